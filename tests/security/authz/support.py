"""Support's URLs: a question belongs to its locality (its coordinators and staff; another locality's and a former
coordinator get 404), attachments the same; the inbox and the staff's thread are staff's."""

import datetime

from django.utils import timezone

from tests.security.authz import LOGIN, REDIRECT, Case, public, scoped, staff_only


def populate(world):
    from support import services
    from support.models import Article, Booking, Category, Slot
    from tests.support.conftest import pdf

    world.question = services.question_create(
        actor=world.coordinator,
        locality=world.locality,
        category=Category.PILOT,
        subject="Pilotin aikataulu",
        body="Milloin pilotti voi alkaa?",
        files=[pdf()],
    )
    world.attachment = world.question.messages.get().attachments.get()
    world.slot = Slot.objects.create(
        starts_at=timezone.now() + datetime.timedelta(days=7), online_link="https://meet.example.fi/x", capacity=5
    )
    world.booking = Booking.objects.create(
        slot=world.slot, locality=world.locality, topic="Pilotti", booked_by=world.coordinator
    )
    world.article = Article.objects.create(
        slug="kortit",
        title_fi="Kortit",
        body_fi="Kortit",
        category=Category.CARDS,
        visibility=Article.Visibility.PUBLIC,
        is_published=True,
    )
    world.coordinators_article = Article.objects.create(
        slug="koordinaattoreille",
        title_fi="Koordinaattoreille",
        body_fi="Vain koordinaattoreille",
        category=Category.CARDS,
        visibility=Article.Visibility.COORDINATORS,
        is_published=True,
    )


def _question(world):
    return {"pk": world.question.pk}


# A coordinator of any locality may open the list and ask; somebody without a role gets 404.
COORDINATORS = {"anonymous": LOGIN, "own": 200, "other": 200, "former": 404, "staff": 200}

CASES = [
    Case("support:list", COORDINATORS),
    Case("support:create", COORDINATORS),
    Case("support:detail", scoped(), kwargs=_question),
    Case("support:attachment", scoped(), kwargs=lambda w: {"pk": w.attachment.pk}),
    Case("support:inbox", staff_only()),
    Case("support:staff-detail", staff_only(), kwargs=_question),
    Case("support:staff-article", staff_only(REDIRECT), kwargs=_question, method="post", data=lambda w: {}),
    Case("support:articles", COORDINATORS),
    Case("support:article", COORDINATORS, kwargs=lambda w: {"slug": w.coordinators_article.slug}),
    Case("support:report", staff_only()),
    Case("support:report-export", staff_only(), kwargs=lambda w: {"file_format": "csv"}),
    Case("support:slots", COORDINATORS),
    Case(
        "support:slot-book",
        {**COORDINATORS, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT},
        kwargs=lambda w: {"pk": w.slot.pk},
        method="post",
        data=lambda w: {"topic": "Tilastot"},
    ),
    Case("support:booking-move", scoped(), kwargs=lambda w: {"pk": w.booking.pk}),
    Case(
        "support:booking-cancel",
        scoped(own=REDIRECT, staff=REDIRECT),
        kwargs=lambda w: {"pk": w.booking.pk},
        method="post",
    ),
    Case("support:faq", public()),
    Case("support:faq-detail", public(), kwargs=lambda w: {"slug": w.article.slug}),
    Case(
        "support:staff-update",
        staff_only(REDIRECT),
        kwargs=_question,
        method="post",
        data=lambda w: {"state": "open", "assignee": ""},
    ),
]
