"""The communications app's models, one module per part: news and announcements (`news`), the site's own pages
(`pages`), newsletters and subscribers (`newsletter`)."""

from communications.models.pages import Page

HistoricalPage = Page.history.model  # made by simple_history in models.pages; named here like every app's

__all__ = ["HistoricalPage", "Page"]
