"""Writes of the communications app. Every state change is a function here: keyword-only, one transaction,
`actor=` for checks and history (`kaikukeskus.history`), bodies sanitised before they are saved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from communications.models.pages import LANGUAGES, Page
from communications.sanitize import sanitize_html
from kaikukeskus import history
from kaikukeskus.models import User
from localities.permissions import require_staff

history.register_reasons({"page.draft_saved": _l("Draft saved"), "page.published": _l("Published")})


def _clean_draft(page: Page) -> None:
    for language in LANGUAGES:
        setattr(page, f"draft_title_{language}", " ".join(getattr(page, f"draft_title_{language}").split()))
        setattr(page, f"draft_body_{language}", sanitize_html(getattr(page, f"draft_body_{language}")).strip())
    for language in ("sv", "en"):
        has_title = bool(getattr(page, f"draft_title_{language}"))
        has_body = bool(getattr(page, f"draft_body_{language}"))
        if has_title != has_body:
            field = f"draft_body_{language}" if has_title else f"draft_title_{language}"
            raise ValidationError({field: _("Give both the title and the text in this language, or neither.")})


@transaction.atomic
def page_save_draft(*, actor: User | None, page: Page, expected_version: int | None = None) -> Page:
    """Staff write a page's draft (visitors keep reading the published text until `page_publish`). The bodies are
    sanitised here, whoever posts them. `StaleVersionError` and nothing written when someone saved the page after
    `expected_version`, the version the form was opened with."""
    require_staff(actor)
    _clean_draft(page)
    history.save(page, actor=actor, reason="page.draft_saved", expected_version=expected_version)
    return page


@transaction.atomic
def page_delete(*, actor: User | None, page: Page) -> None:
    """Staff remove a page: its address answers 404 again (the contact page, the accessibility statement and the
    privacy notice show their built-in text). The history keeps its revisions."""
    require_staff(actor)
    history.delete(page, actor=actor, reason="deleted")


@transaction.atomic
def page_publish(*, actor: User | None, page: Page, expected_version: int | None = None) -> Page:
    """Staff publish the draft they previewed: the published text becomes a copy of the draft. `expected_version`
    is the version the preview showed, so that a draft changed since is not published unseen."""
    require_staff(actor)
    page = Page.objects.select_for_update().get(pk=page.pk)
    _clean_draft(page)
    for part in ("title", "body"):
        for language in LANGUAGES:
            setattr(page, f"{part}_{language}", getattr(page, f"draft_{part}_{language}"))
    page.published_at = timezone.now()
    page.published_by = actor
    history.save(page, actor=actor, reason="page.published", expected_version=expected_version)
    return page
