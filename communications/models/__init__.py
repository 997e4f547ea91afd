"""The communications app's models, one module per part: news and announcements (`news`), the site's own pages
(`pages`), newsletters and subscribers (`newsletter`)."""

from communications.models.news import Acknowledgement, Audience, NewsDismissal, NewsItem, NewsTag

__all__ = ["Acknowledgement", "Audience", "NewsDismissal", "NewsItem", "NewsTag"]
