"""The one HTML sanitiser of the texts staff write (site pages, news bodies): an allowlist, applied by the services
before a text is saved, so that whatever reaches the database (a rich text editor's output, a hand-made post, an
import) is safe to render with `|safe`.

What survives: headings (h2–h4; the page's title is its h1), paragraphs and line breaks, lists (also description
lists), links with http, https, mailto or tel (and relative ones within the site), emphasis, quotations,
abbreviations, tables without styling, and images whose source is the project's own media or static files (a
relative path under `MEDIA_URL` or `STATIC_URL`). No script, style, iframe, form or event attribute survives,
nor `style`, `class` or `id` attributes: the site's CSS styles the plain elements. Links get
`rel="noopener noreferrer"`.
"""

import re

import nh3
from django.conf import settings

TAGS = frozenset(
    {
        "h2",
        "h3",
        "h4",
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "strong",
        "em",
        "b",
        "i",
        "blockquote",
        "abbr",
        "img",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ATTRIBUTES = {
    "*": {"lang"},
    "a": {"href", "hreflang", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed with their content (the rest of the unknown tags are removed, their text kept).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)


def _own_file(src: str) -> bool:
    """A relative path under the project's media or static URL; never another host (`//host/…`), never a way out
    (`..`), never a scheme."""
    if not src or "\\" in src or ".." in src or src.startswith("//") or ":" in src.split("/", 1)[0]:
        return False
    return any(src.startswith(prefix) for prefix in (settings.MEDIA_URL, settings.STATIC_URL) if prefix.startswith("/"))


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _own_file(value.strip()) else None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def sanitize_html(html: str) -> str:
    """The allowed part of `html` (see the module's docstring)."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html.replace("\x00", ""),
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    # An image whose source was refused is dropped whole: an <img> without src shows a broken image. nh3 writes
    # attributes with double quotes and escapes them inside values, so ` src="` is found only as the attribute.
    return _drop_sourceless_images(cleaned)


_SOURCELESS_IMAGE = re.compile(r"<img(?![^>]*\ssrc=\")[^>]*>")


def _drop_sourceless_images(html: str) -> str:
    if "<img" not in html:
        return html
    return _SOURCELESS_IMAGE.sub("", html)
