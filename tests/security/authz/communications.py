"""Authorization cases of the communications app's URLs (see tests/security/authz/__init__.py).

The news cases use a coordinators' item: visitors and a former coordinator get 404 by page and by the banner's
dismissal alike; any active coordinator and staff read it. Acknowledging is a coordinator's act: staff (who
coordinate nothing) and a former coordinator get 404. The list, the feed and the API are public."""

from tests.security.authz import LOGIN, REDIRECT, Case, public

COORDINATORS = {"anonymous": 404, "own": 200, "other": 200, "former": 404, "staff": 200}


def populate(world):
    from tests.communications.factories import NewsItemFactory

    world.news_item = NewsItemFactory(
        slug="koordinaattoreille", audience="coordinators", pinned=True, to_acknowledge=True
    )


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
]
