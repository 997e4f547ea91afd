"""The one HTML allowlist of the texts staff write (news bodies): what a browser may render of them.

Headings, paragraphs, lists, emphasis, quotes, tables of plain cells, links with safe schemes and images that come
from the project's own storage (MEDIA_URL or STATIC_URL, on this site only). Everything else goes: scripts and
styles with their content, event attributes (`onerror`), `style` and `class`, `javascript:` and `data:` URLs,
images from elsewhere (a tracking pixel in a newsletter would tell a third party who read it). The service and the
model's `clean()` both apply it, so HTML posted by hand past the admin's editor is cleaned the same way; cleaning
clean HTML changes nothing (`sanitize(sanitize(x)) == sanitize(x)`)."""

import html as html_module
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.html import strip_tags

TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "th": {"scope"}}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed with their content, not only their tags.
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "noscript", "textarea", "select"}


def own_image(src: str) -> bool:
    """An image from this site's storage: a path under MEDIA_URL or STATIC_URL, or the same on SITE_URL."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return False
    path = parts.path
    if ".." in path or "\\" in path or not path.startswith("/"):
        return False
    return any(
        path.startswith(prefix) for prefix in (settings.MEDIA_URL, settings.STATIC_URL) if prefix.startswith("/")
    )


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if own_image(value) else None
    if element == "th" and attribute == "scope":
        return value if value in {"row", "col"} else None
    if element == "img" and attribute in {"width", "height"}:
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def sanitize(html: str) -> str:
    if not html:
        return ""
    # Cleaned until it no longer changes: the HTML parser re-nests what one pass leaves (a heading inside a
    # heading), so a second pass could change the first's output; stored text must be a fixed point. Two or
    # three passes reach it; the limit only bounds a parser surprise.
    cleaned = html
    for _pass in range(5):
        again = nh3.clean(
            cleaned,
            tags=TAGS,
            clean_content_tags=DROPPED_WITH_CONTENT,
            attributes=ATTRIBUTES,
            attribute_filter=_attribute_filter,
            url_schemes=LINK_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
        if again == cleaned:
            break
        cleaned = again
    # An image whose source was refused stays as its text alternative (harmless: it loads nothing).
    return cleaned.strip()


_LINK = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|h2|h3|h4|ul|ol|blockquote|table|tr)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def to_text(html: str) -> str:
    """A sanitised text as plain text for an e-mail: paragraphs on their own lines, list items with a dash,
    links followed by their address."""
    text = _LINK.sub(lambda match: f"{match.group(2)} ({match.group(1)})", sanitize(html))
    text = _LIST_ITEM.sub("\n- ", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html_module.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
