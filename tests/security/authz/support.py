"""Support's URLs: a question belongs to its locality (its coordinators and staff; another locality's and a former
coordinator get 404), attachments the same; the inbox and the staff's thread are staff's."""

from tests.security.authz import LOGIN, REDIRECT, Case, scoped, staff_only


def populate(world):
    from support import services
    from support.models import Category
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
    Case(
        "support:staff-update",
        staff_only(REDIRECT),
        kwargs=_question,
        method="post",
        data=lambda w: {"state": "open", "assignee": ""},
    ),
]
