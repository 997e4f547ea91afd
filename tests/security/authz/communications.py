"""Authorization cases of the communications app's URLs (see tests/security/authz/__init__.py).

The site pages are public once published (the world publishes every page); their preview and publishing are for
national staff only (everybody else: login, then 404). The site search and the sitemap are public."""

from tests.security.authz import REDIRECT, Case, public, staff_only


def populate(world):
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


CASES = [
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
]
