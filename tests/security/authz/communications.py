"""Authorization cases of the communications app's URLs (see tests/security/authz/__init__.py).

The news cases use a coordinators' item: visitors and a former coordinator get 404 by page and by the banner's
dismissal alike; any active coordinator and staff read it. Acknowledging is a coordinator's act: staff (who
coordinate nothing) and a former coordinator get 404. The list, the feed and the API are public.

The newsletter's page, its confirmation and unsubscribe links and a sent issue's web version are public (the
links carry their own signed authority); a draft has no web version for anybody. A person's newsletter setting is
theirs (login); the staff page of an issue, its test and its sending are for national staff only.

The site pages are public once published (the world publishes every page); their preview and publishing are for
national staff only (everybody else: login, then 404). The site search and the sitemap are public."""

from tests.security.authz import LOGIN, REDIRECT, Case, public, staff_only

COORDINATORS = {"anonymous": 404, "own": 200, "other": 200, "former": 404, "staff": 200}


def populate(world):
    from tests.communications.factories import NewsItemFactory

    world.news_item = NewsItemFactory(
        slug="koordinaattoreille", audience="coordinators", pinned=True, to_acknowledge=True
    )
    _populate_pages(world)
    _populate_newsletters(world)


def _populate_newsletters(world):
    from communications import services
    from tests.communications.factories import NewsletterFactory

    world.newsletter = NewsletterFactory()
    world.sent_newsletter = NewsletterFactory(sent=True)
    world.unsubscribe_token = services.unsubscribe_token("tilaaja@example.fi")
    world.confirm_token = services.confirmation_token(email="tilaaja@example.fi", language="fi")


def _populate_pages(world):
    from communications import services
    from communications.models.pages import Page

    for key in Page.Key.values:
        page = Page(key=key, draft_title_fi=f"Sivu {key}", draft_body_fi="<p>Teksti.</p>")
        services.page_save_draft(actor=world.staff, page=page)
        services.page_publish(actor=world.staff, page=page)
    # The draft changed since: the preview offers to publish it.
    world.page = Page.objects.get(key=Page.Key.ABOUT)
    world.page.draft_body_fi = "<p>Uusi teksti.</p>"
    services.page_save_draft(actor=world.staff, page=world.page)
    world.page.refresh_from_db()


def _page(world):
    return {"key": world.page.key}


CASES: list = [
    Case("communications:news-list", public()),
    Case("communications:news-feed", public()),
    Case("communications:news-detail", COORDINATORS, kwargs=lambda w: {"slug": w.news_item.slug}),
    Case(
        "communications:news-dismiss",
        {"anonymous": 404, "own": REDIRECT, "other": REDIRECT, "former": 404, "staff": REDIRECT},
        kwargs=lambda w: {"pk": w.news_item.pk},
        method="post",
        data=lambda w: {},
    ),
    Case(
        "communications:news-acknowledge",
        {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "former": 404, "staff": 404},
        kwargs=lambda w: {"slug": w.news_item.slug},
        method="post",
        data=lambda w: {},
    ),
    Case("communications-api:news-list", public()),
    Case("about", public()),
    Case("get-the-card", public()),
    Case("for-venues", public()),
    Case("for-issuers", public()),
    Case("for-municipalities", public()),
    Case("sitemap", public()),
    Case("communications:search", public(), data=lambda w: {"q": "teksti"}),
    Case("communications:page-preview", staff_only(), kwargs=_page),
    Case(
        "communications:page-publish",
        staff_only(REDIRECT),
        kwargs=_page,
        method="post",
        data=lambda w: {"version": w.page.version},
    ),
    Case("communications:newsletter-subscribe", public()),
    Case("communications:newsletter-check-email", public()),
    Case("communications:newsletter-confirm", public(), kwargs=lambda w: {"token": w.confirm_token}),
    Case("communications:newsletter-unsubscribe", public(), kwargs=lambda w: {"token": w.unsubscribe_token}),
    Case("communications:newsletter-issue", public(), kwargs=lambda w: {"pk": w.sent_newsletter.pk}),
    Case(
        "communications:newsletter-preference",
        {"anonymous": LOGIN, "own": 200, "other": 200, "former": 200, "staff": 200},
    ),
    Case("communications:newsletter-review", staff_only(), kwargs=lambda w: {"pk": w.newsletter.pk}),
    Case("communications:newsletter-send", staff_only(), kwargs=lambda w: {"pk": w.newsletter.pk}),
    Case(
        "communications:newsletter-test",
        staff_only(REDIRECT),
        kwargs=lambda w: {"pk": w.newsletter.pk},
        method="post",
        data=lambda w: {},
    ),
]
