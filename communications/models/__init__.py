"""The communications app's models, one module per part: news and announcements (`news`), the site's own pages
(`pages`), newsletters and subscribers (`newsletter`)."""

from communications.models.news import Acknowledgement, Audience, NewsDismissal, NewsItem, NewsTag
from communications.models.newsletter import Newsletter, NewsletterDelivery, Subscriber
from communications.models.pages import Page

HistoricalPage = Page.history.model  # made by simple_history in models.pages; named here like every app's

__all__ = [
    "Acknowledgement",
    "Audience",
    "HistoricalPage",
    "NewsDismissal",
    "NewsItem",
    "NewsTag",
    "Newsletter",
    "NewsletterDelivery",
    "Page",
    "Subscriber",
]
