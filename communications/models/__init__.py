"""The communications app's models, one module per part: news and announcements (`news`), the site's own pages
(`pages`), newsletters and subscribers (`newsletter`)."""
