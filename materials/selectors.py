"""Reads for materials. Every lookup passes through `Material.objects.visible_to(user)`, so a material the user may
not see is never found (404) on a page, a stable link, a download or in the API."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from localities.models import Coordinator
from localities.permissions import acts_as_national_staff, is_coordinator
from materials.models import (
    Consultation,
    ConsultationComment,
    Language,
    Material,
    MaterialFile,
    MaterialFollow,
    MaterialVersion,
    Visibility,
)

Status = MaterialVersion.Status
# When a language has several formats, the stable link gives the first of these it finds.
PREFERRED_FORMATS = ("pdf", "docx", "odt", "pptx", "odp", "xlsx", "ods", "png", "jpg", "svg", "zip")


def _current_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=MaterialVersion.objects.current().prefetch_related(
            Prefetch("files", queryset=MaterialFile.objects.order_by("language", "format"))
        ),
        to_attr="current_versions",
    )


def library(*, user, kind: str = "", audience: str = "", language: str = "", query: str = "") -> QuerySet[Material]:
    """The public library: the materials the user may see that have a current version, with its files; the same
    three queries for any number of materials."""
    materials = Material.objects.visible_to(user).with_current_version()
    if kind:
        materials = materials.filter(kind=kind)
    if audience:
        materials = materials.filter(audience=audience)
    if language:
        materials = materials.filter(
            Exists(
                MaterialFile.objects.filter(
                    version__material=OuterRef("pk"), version__status=Status.PUBLISHED, language=language
                )
            )
        )
    if query:
        words = Q()
        for field in ("title_fi", "title_sv", "title_en", "description_fi", "description_sv", "description_en"):
            words |= Q(**{f"{field}__icontains": query})
        materials = materials.filter(words)
    return materials.prefetch_related(_current_prefetch()).order_by("kind", "title_fi", "pk")


def material_for_user_or_404(*, user, slug: str) -> Material:
    return get_object_or_404(Material.objects.visible_to(user), slug=slug)


@dataclass
class LanguageStatus:
    """A language some version of the material has a file in, and whether the current version has it."""

    language: str
    label: str | Promise
    in_current: bool
    newest: MaterialVersion | None


def material_detail(*, user, slug: str) -> tuple[Material, MaterialVersion | None, list[MaterialVersion]]:
    """The material, its current version and its older (superseded) versions, each with files and, where it went
    through a consultation, the comments it took in."""
    material = material_for_user_or_404(user=user, slug=slug)
    taken_in = Prefetch(
        "consultation__comments",
        queryset=ConsultationComment.objects.filter(status=ConsultationComment.Status.ACCEPTED),
        to_attr="taken_in",
    )
    versions = list(
        material.versions.history_shown()
        .select_related("consultation")
        .prefetch_related(Prefetch("files", queryset=MaterialFile.objects.order_by("language", "format")), taken_in)
        .order_by("-published_on", "-pk")
    )
    current = next((version for version in versions if version.is_current), None)
    older = [version for version in versions if not version.is_current]
    return material, current, older


def translation_status(*, current: MaterialVersion | None, older: list[MaterialVersion]) -> list[LanguageStatus]:
    """For staff: every language any shown version has, and whether the current version has it (else the newest
    version that does: its translation is outdated)."""
    current_languages = {file.language for file in current.files.all()} if current else set()
    result = []
    for code, label in Language.choices:
        newest = None
        if code not in current_languages:
            newest = next((v for v in older if any(f.language == code for f in v.files.all())), None)
            if newest is None:
                continue
        result.append(LanguageStatus(code, label, code in current_languages, newest))
    return result


def _preferred(files: list[MaterialFile], fmt: str = "") -> MaterialFile | None:
    if fmt:
        return next((file for file in files if file.format == fmt), None)
    return min(files, key=lambda file: PREFERRED_FORMATS.index(file.format), default=None)


def latest_file(*, user, slug: str, language: str, fmt: str = "") -> tuple[Material, MaterialFile, bool]:
    """The stable link's file: the current version's file in `language` (PDF first unless `fmt` names one), or,
    when the current version lacks that language, the newest older version's file in it (`is_fallback` True).
    404 when no shown version has the language."""
    material = material_for_user_or_404(user=user, slug=slug)
    files = list(
        MaterialFile.objects.filter(version__material=material, language=language)
        .filter(version__status__in=[Status.PUBLISHED, Status.SUPERSEDED])
        .select_related("version__material")
        .order_by("-version__published_on", "-version__pk")
    )
    current = [file for file in files if file.version.is_current]
    chosen = _preferred(current, fmt)
    if chosen is not None:
        return material, chosen, False
    if not files:
        raise Http404("no file in that language")
    newest_version = files[0].version
    chosen = _preferred([file for file in files if file.version_id == newest_version.pk], fmt)
    if chosen is None:
        raise Http404("no file in that format")
    if not MaterialVersion.objects.filter(material=material, status=Status.PUBLISHED).exists():
        # The current version was withdrawn: the stable link leads nowhere rather than to an older text.
        raise Http404("no current version")
    return material, chosen, True


def current_files(*, material: Material) -> list[MaterialFile]:
    """The current (published) version's files, one language after another: what a stable link for a language
    that has no file offers instead of a bare "not found"."""
    return list(
        MaterialFile.objects.filter(version__material=material, version__status=Status.PUBLISHED)
        .select_related("version__material")
        .order_by("language", "format")
    )


def downloadable_file_or_404(*, user, slug: str, pk: int) -> MaterialFile:
    """A file of a shown version of a material the user may see. Staff also reach drafts' and withdrawn files
    (to check them before publishing); consultation commenters reach the draft's through the consultation."""
    statuses = [Status.PUBLISHED, Status.SUPERSEDED]
    if acts_as_national_staff(user):
        statuses += [Status.DRAFT, Status.WITHDRAWN]
    files = MaterialFile.objects.filter(
        version__material__in=Material.objects.visible_to(user), version__status__in=statuses
    ).select_related("version__material")
    return get_object_or_404(files, pk=pk, version__material__slug=slug)


def followers(*, material: Material) -> QuerySet:
    """Who gets an e-mail of a new version: active users who may see the material and follow it, either by their
    own choice or, for a material followed by default (the guideline), as coordinators who have not stopped."""
    users = get_user_model().objects.filter(is_active=True)
    coordinators = Coordinator.objects.active().values("user_id")
    staff = get_user_model().objects.national_staff().values("pk")
    if material.visibility == Visibility.STAFF:
        users = users.filter(pk__in=staff)
    else:
        users = users.filter(Q(pk__in=coordinators) | Q(pk__in=staff))
    chose = MaterialFollow.objects.filter(material=material, user=OuterRef("pk"))
    rule = Q(Exists(chose.filter(following=True)))
    if material.followed_by_default:
        rule |= Q(pk__in=coordinators) & ~Q(Exists(chose))
    return users.filter(rule).order_by("pk")


def is_following(*, user, material: Material) -> bool:
    return followers(material=material).filter(pk=user.pk).exists()


def news_since(*, user, since: datetime.datetime | None, limit: int = 10) -> list[MaterialVersion]:
    """Versions published since `since` (the last month's when unknown) of materials the user may see."""
    if since is None:
        since = timezone.now() - datetime.timedelta(days=30)
    return list(
        MaterialVersion.objects.filter(
            material__in=Material.objects.visible_to(user), status=Status.PUBLISHED, published_at__gt=since
        )
        .select_related("material")
        .order_by("-published_at")[:limit]
    )


# --- Consultation -----------------------------------------------------------------------------------------


def open_consultations_for(*, user) -> list[Consultation]:
    """Open rounds the user may comment on: coordinators and staff, materials they may see."""
    if not (is_coordinator(user=user) or acts_as_national_staff(user)):
        return []
    return list(
        Consultation.objects.filter(
            closed_at__isnull=True,
            closes_on__gte=timezone.localdate(),
            version__status=Status.DRAFT,
            version__material__in=Material.objects.visible_to(user),
        )
        .select_related("version__material")
        .order_by("closes_on")
    )


def comments_awaiting_answer() -> list[Consultation]:
    """For staff: rounds with comments nobody has answered yet, each with that number (`waiting`)."""
    return list(
        Consultation.objects.annotate(
            waiting=Count("comments", filter=Q(comments__status=ConsultationComment.Status.NEW))
        )
        .filter(waiting__gt=0)
        .select_related("version__material")
        .order_by("closes_on")
    )


def consultation_for_user_or_404(*, user, pk: int) -> Consultation:
    """A consultation a coordinator or staff member may read (open or closed); everyone else 404."""
    if not (is_coordinator(user=user) or acts_as_national_staff(user)):
        raise Http404("not a commenter")
    return get_object_or_404(
        Consultation.objects.filter(version__material__in=Material.objects.visible_to(user)).select_related(
            "version__material"
        ),
        pk=pk,
    )


def consultation_comments(*, consultation: Consultation, user=None, partner=None) -> QuerySet[ConsultationComment]:
    """Staff see every comment; a coordinator their own, a partner theirs."""
    comments = consultation.comments.select_related("author", "partner", "locality", "replied_by")
    if partner is not None:
        return comments.filter(partner=partner)
    if acts_as_national_staff(user):
        return comments
    return comments.filter(author=user)
