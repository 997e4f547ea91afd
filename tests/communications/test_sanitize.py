"""The news bodies' allowlist: hostile HTML made by hand, and generated HTML (hypothesis), never keeps a script, a
style, an event attribute, a dangerous URL or a foreign image, in the service, the model's clean and the page."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communications import services
from communications.models import NewsItem
from communications.sanitize import ATTRIBUTES, LINK_SCHEMES, TAGS, own_image, sanitize

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<img src="/media/kuva.png" onload="alert(1)">',
    '<a href="javascript:alert(1)">klikkaa</a>',
    '<a href="JaVaScRiPt:alert(1)">klikkaa</a>',
    '<a href="&#106;avascript:alert(1)">klikkaa</a>',
    '<a href=" javascript:alert(1)">klikkaa</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">teksti</p>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<form action="https://evil.example/"><input name="pw"></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<img src="https://evil.example/pixel.gif" alt="seuranta">',
    '<img src="//evil.example/media/x.png">',
    '<img src="/media/../admin/x.png">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<div onclick="alert(1)">teksti</div>',
    '<a href="/news/" onmouseover="alert(1)">linkki</a>',
    "<!-- <script>alert(1)</script> -->",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<h2 class="x" id="y">otsikko</h2>',
]


class _Checker(HTMLParser):
    """Reads the cleaned HTML as a browser would and fails on any tag or attribute outside the allowlist, a link
    with another scheme and an image from elsewhere."""

    def handle_starttag(self, tag, attrs):
        assert tag in TAGS, tag
        for name, value in attrs:
            assert name in ATTRIBUTES.get(tag, set()) or (tag == "a" and name == "rel"), (tag, name)
            if name == "href":
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in {"", *LINK_SCHEMES}, value
            if name == "src":
                assert own_image(value), value


def assert_safe(html: str) -> None:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', html):
        assert src.startswith(("/media/", "/static/")) and ".." not in src, html


@pytest.mark.parametrize("html", HOSTILE)
def test_hand_made_hostile_html_is_cleaned(html):
    assert_safe(sanitize(html))


def test_what_staff_may_write_survives():
    html = (
        '<h2>Otsikko</h2><p><strong>Tärkeää</strong> ja <em>korostettua</em>. <a href="https://kaikukortti.fi/">'
        'Linkki</a></p><ul><li>yksi</li></ul><ol><li>kaksi</li></ol><img src="/media/news/kuva.png" alt="Kuva">'
    )
    cleaned = sanitize(html)
    for kept in (
        "<h2>Otsikko</h2>",
        "<strong>Tärkeää</strong>",
        "<em>korostettua</em>",
        "<ul><li>yksi</li></ul>",
        '<img src="/media/news/kuva.png" alt="Kuva">',
        'href="https://kaikukortti.fi/"',
        "<ol>",
    ):
        assert kept in cleaned


GENERATED_TAGS = [
    "p",
    "a",
    "img",
    "script",
    "style",
    "svg",
    "h2",
    "em",
    "div",
    "iframe",
    "math",
    "noscript",
    "template",
]
ATTRS = ["href", "src", "onerror", "onclick", "style", "class", "alt", "formaction", "xlink:href"]
VALUES = ["javascript:alert(1)", "/media/x.png", "https://evil.example/", "x", "data:text/html,<b>", "  JAVASCRIPT:1"]


@st.composite
def hostile_html(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(GENERATED_TAGS))
        attrs = " ".join(
            f'{draw(st.sampled_from(ATTRS))}="{draw(st.sampled_from(VALUES))}"' for _ in range(draw(st.integers(0, 3)))
        )
        text = draw(st.text(alphabet="<>\"'=/ abcäö&;", max_size=12))
        close = draw(st.booleans())
        parts.append(f"<{tag} {attrs}>{text}{f'</{tag}>' if close else ''}")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_html())
def test_generated_hostile_html_is_cleaned_and_cleaning_again_changes_nothing(html):
    cleaned = sanitize(html)
    assert_safe(cleaned)
    assert sanitize(cleaned) == cleaned


@pytest.mark.django_db
def test_the_service_and_the_model_clean_store_only_clean_html(staff):
    item = NewsItem(
        slug="vihamielinen",
        title_fi="Otsikko",
        body_fi='<p onclick="x">Hei</p><script>1</script>',
        body_sv='<a href="javascript:1">x</a>',
    )
    services.news_item_save(actor=staff, item=item)
    item.refresh_from_db()
    assert item.body_fi == "<p>Hei</p>"
    assert "javascript" not in item.body_sv
    item.body_en = "<img src=x onerror=alert(1)>"
    item.full_clean()
    assert "onerror" not in item.body_en


@pytest.mark.django_db
def test_a_body_written_past_the_model_is_still_shown_safely(client):
    from tests.communications.factories import NewsItemFactory

    item = NewsItemFactory(slug="ohi-mallin")
    NewsItem.objects.filter(pk=item.pk).update(body_fi='<p>Teksti</p><script>alert("x")</script>')
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Teksti" in page and 'alert("x")' not in page


@pytest.mark.django_db
def test_admin_posted_html_is_sanitised(staff_client):
    from django.urls import reverse

    response = staff_client.post(
        reverse("admin:communications_newsitem_add"),
        {
            "slug": "admin-uutinen",
            "audience": "public",
            "publish_at_0": "1.1.2026",
            "publish_at_1": "09:00",
            "title_fi": "Ylläpidon uutinen",
            "body_fi": '<h2 onclick="x">Otsikko</h2><script>alert(1)</script><img src="https://evil.example/p.gif">',
            "reminder_after_days": "7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsItem.objects.get(slug="admin-uutinen")
    assert item.body_fi == "<h2>Otsikko</h2><img>"
    assert item.history.first().history_user.email == "staff@kaikukeskus.example.fi"


PAGE_HOSTILE = [
    "<script>alert(1)</script>",
    '<p onclick="alert(1)">x</p>',
    '<img src="/media/a.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name=x></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<IMG SRC=j&#X41vascript:alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="  javascript:alert(1)">x</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<div id="x" class="y" data-x="1">x</div>',
    "<!--<img src=x onerror=alert(1)>-->",
]


@pytest.mark.parametrize("html", PAGE_HOSTILE)
def test_nothing_executable_survives(html):
    cleaned = sanitize(html).lower()
    for needle in (
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "onload",
        "<style",
        "style=",
        "<iframe",
        "<svg",
        "<form",
        "<input",
        "<object",
        "<embed",
        "<base",
        "<meta",
        "data:",
        "class=",
        "id=",
    ):
        assert needle not in cleaned, (html, cleaned)


def test_the_allowlist_keeps_headings_lists_links_and_emphasis():
    html = (
        "<h2>Otsikko</h2><p>Teksti <strong>vahva</strong> ja <em>korostus</em>.</p>"
        "<ul><li>yksi</li></ul><ol><li>kaksi</li></ol>"
        '<p><a href="https://kaikukortti.fi/">kaikukortti.fi</a> <a href="mailto:info@example.fi">posti</a>'
        ' <a href="/localities/">alueet</a></p>'
    )
    cleaned = sanitize(html)
    for kept in (
        "<h2>Otsikko</h2>",
        "<strong>vahva</strong>",
        "<em>korostus</em>",
        "<ul><li>yksi</li></ul>",
        "<ol><li>kaksi</li></ol>",
        'href="https://kaikukortti.fi/"',
        'href="mailto:info@example.fi"',
        'href="/localities/"',
        'rel="noopener noreferrer"',
    ):
        assert kept in cleaned


def test_images_only_from_the_sites_own_media_or_static_files():
    assert sanitize('<img src="/media/pages/kuva.png" alt="Kuva">') == '<img src="/media/pages/kuva.png" alt="Kuva">'
    assert '<img src="/static/img/logo.svg"' in sanitize('<img src="/static/img/logo.svg" alt="">')
    for foreign in (
        "https://evil.example/a.png",
        "//evil.example/a.png",
        "/media/../secret",
        "/other/a.png",
        "data:image/png;base64,AAAA",
        "/media\\a.png",
    ):
        cleaned = sanitize(f'<p>a<img src="{foreign}" alt="x"></p>')
        assert "src" not in cleaned and "evil" not in cleaned, foreign


def test_text_is_kept_escaped():
    assert sanitize("<p>1 < 2 & 3 > 2</p>") == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"
    assert "\x00" not in sanitize("a\x00b")
    assert sanitize("") == ""
