import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from materials import selectors, services
from materials.models import Kind, MaterialDownloadDay, MaterialVersion, Visibility
from tests.localities.factories import CoordinatorFactory
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file
from tests.materials.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db
S = MaterialVersion.Status


def test_publishing_supersedes_the_current_version_and_records_who(staff):
    old = PublishedVersionFactory(label="2022")
    new = VersionFactory(material=old.material, label="2024")
    add_file(new)
    services.material_version_publish(actor=staff, version=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (S.SUPERSEDED, S.PUBLISHED)
    assert new.published_by == staff and new.published_on is not None
    assert new.history.first().history_change_reason == "published"
    assert old.history.first().history_change_reason == "superseded"


def test_the_database_refuses_a_second_current_version():
    old = PublishedVersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedVersionFactory(material=old.material)


def test_a_version_without_files_or_not_a_draft_is_not_published(staff):
    version = VersionFactory()
    with pytest.raises(ValidationError, match="at least one file"):
        services.material_version_publish(actor=staff, version=version)
    published = PublishedVersionFactory()
    with pytest.raises(ValidationError, match="not a draft"):
        services.material_version_publish(actor=staff, version=published)


def test_a_version_says_what_changed_before_it_is_published(staff):
    version = VersionFactory(changes_fi=" ", changes_en="Chapter 3")
    add_file(version)
    with pytest.raises(ValidationError) as error:
        services.material_version_publish(actor=staff, version=version)
    assert "Say what changed" in error.value.message_dict["changes_fi"][0]


def test_only_staff_publish(coordinator):
    version = VersionFactory()
    add_file(version)
    with pytest.raises(PermissionDenied):
        services.material_version_publish(actor=coordinator, version=version)


def test_withdrawing_the_current_version_restores_nothing(staff):
    old = PublishedVersionFactory(label="2022", status=S.SUPERSEDED)
    current = PublishedVersionFactory(material=old.material, label="2024")
    services.material_version_withdraw(actor=staff, version=current, reason="Error in section 3")
    old.refresh_from_db()
    current.refresh_from_db()
    assert current.status == S.WITHDRAWN and current.withdrawn_reason == "Error in section 3"
    assert old.status == S.SUPERSEDED
    assert not MaterialVersion.objects.filter(material=old.material, status=S.PUBLISHED).exists()


def test_withdrawing_needs_a_reason(staff):
    with pytest.raises(ValidationError):
        services.material_version_withdraw(actor=staff, version=PublishedVersionFactory(), reason=" ")


def test_an_upload_stores_size_sha256_format_and_a_safe_name(staff):
    version = VersionFactory()
    content = pdf_bytes("guideline")
    material_file = services.material_file_add(
        actor=staff, version=version, language="sv", upload=upload("../../Riktlinje 2024.PDF", content)
    )
    import hashlib

    assert material_file.sha256 == hashlib.sha256(content).hexdigest()
    assert (material_file.size, material_file.format, material_file.original_name) == (
        len(content),
        "pdf",
        "Riktlinje 2024.PDF",
    )
    assert material_file.file.name.startswith(f"materials/{version.material.slug}/{version.pk}/sv-riktlinje-2024")
    assert ".." not in material_file.file.name


def test_the_same_file_uploaded_twice_is_noticed_with_where_it_is(staff):
    old = PublishedVersionFactory(label="2022")
    content = pdf_bytes("same")
    services.material_file_add(actor=staff, version=old, language="fi", upload=upload("a.pdf", content))
    draft = VersionFactory(material=old.material, label="2024")
    with pytest.raises(ValidationError) as error:
        services.material_file_add(actor=staff, version=draft, language="fi", upload=upload("b.pdf", content))
    assert "already uploaded: version 2022, Finnish (a.pdf)" in error.value.message_dict["file"][0]


def test_an_upload_with_wrong_content_is_refused_and_nothing_saved(staff):
    version = VersionFactory()
    with pytest.raises(ValidationError):
        services.material_file_add(actor=staff, version=version, language="fi", upload=upload("a.pdf", b"<html>"))
    assert not version.files.exists()


def test_files_of_a_superseded_version_are_history(staff):
    version = PublishedVersionFactory(status=S.SUPERSEDED)
    with pytest.raises(ValidationError):
        services.material_file_add(actor=staff, version=version, language="fi", upload=upload("a.pdf", pdf_bytes()))


def test_download_counts_are_per_file_and_day_without_personal_data():
    material_file = add_file(PublishedVersionFactory())
    day = datetime.date(2026, 3, 1)
    for _ in range(3):
        services.download_count(material_file=material_file, on=day)
    services.download_count(material_file=material_file, on=day + datetime.timedelta(days=1))
    assert list(MaterialDownloadDay.objects.order_by("day").values_list("day", "count")) == [
        (day, 3),
        (day + datetime.timedelta(days=1), 1),
    ]
    assert {field.name for field in MaterialDownloadDay._meta.fields} == {"id", "file", "day", "count"}


# --- Following --------------------------------------------------------------------------------------------


def _publish_new(staff, material, label="2"):
    version = VersionFactory(
        material=material, label=label, changes_fi="Luku 3 uusittu.", changes_sv="Kapitel 3 förnyat.", changes_en="Ch 3"
    )
    add_file(version)
    return services.material_version_publish(actor=staff, version=version)


def test_coordinators_follow_the_guideline_by_default_and_get_the_news_in_their_language(
    staff, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    other_coordinator.preferred_language = "sv"
    other_coordinator.save()
    guideline = MaterialFactory(kind=Kind.GUIDELINE, title_fi="Toimintamalli", title_sv="Verksamhetsmodell")
    services.material_follow_set(actor=coordinator, material=guideline, following=False)
    with django_capture_on_commit_callbacks(execute=True):
        _publish_new(staff, guideline)
    assert [message.to for message in mail.outbox] == [[other_coordinator.email]]
    assert "Verksamhetsmodell" in mail.outbox[0].subject
    assert "Kapitel 3 förnyat." in mail.outbox[0].body


def test_followers_of_other_materials_chose_to_follow(
    staff, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    material = MaterialFactory()
    services.material_follow_set(actor=coordinator, material=material, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        _publish_new(staff, material)
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Luku 3 uusittu." in mail.outbox[0].body  # Finnish, the coordinator's language


def test_a_former_coordinator_gets_nothing_and_staff_only_materials_tell_staff_only(staff, locality):
    from django.utils import timezone

    today = timezone.localdate()
    CoordinatorFactory(locality=locality, started_on=today - datetime.timedelta(days=10), ended_on=today)
    guideline = MaterialFactory(kind=Kind.GUIDELINE)
    assert list(selectors.followers(material=guideline)) == []
    secret = MaterialFactory(visibility=Visibility.STAFF, kind=Kind.GUIDELINE)
    CoordinatorFactory(locality=locality)
    assert list(selectors.followers(material=secret)) == []


def test_followers_are_told_once_even_if_the_task_runs_twice(staff, coordinator, django_capture_on_commit_callbacks):
    guideline = MaterialFactory(kind=Kind.GUIDELINE)
    with django_capture_on_commit_callbacks(execute=True):
        version = _publish_new(staff, guideline)
    assert services.followers_notify(version=version) == 0
    assert len(mail.outbox) == 1


def test_a_visitor_cannot_follow_a_material_and_a_coordinator_not_a_staff_one(visitor, coordinator):
    with pytest.raises(ValidationError):
        services.material_follow_set(actor=visitor, material=MaterialFactory(), following=True)
    from django.http import Http404

    with pytest.raises(Http404):
        services.material_follow_set(actor=coordinator, material=MaterialFactory(visibility="staff"), following=True)


def test_news_since_the_previous_visit(coordinator):
    assert services.news_visit(user=coordinator) is None
    since = services.news_visit(user=coordinator)
    assert since is None  # a reload within the same visit
    from django.utils import timezone

    from materials.models import MaterialNewsSeen

    MaterialNewsSeen.objects.filter(user=coordinator).update(last_visit_at=timezone.now() - datetime.timedelta(days=2))
    since = services.news_visit(user=coordinator)
    assert since is not None
    PublishedVersionFactory(published_at=since - datetime.timedelta(hours=1))
    new = PublishedVersionFactory()
    assert selectors.news_since(user=coordinator, since=since) == [new]


def test_a_task_that_fails_half_way_tells_everybody_when_retried(staff, coordinator, other_coordinator, monkeypatch):
    guideline = MaterialFactory(kind=Kind.GUIDELINE)
    version = PublishedVersionFactory(material=guideline)
    sent = []
    smtp = {"down": True}

    def flaky(*, user, version):
        if user == other_coordinator and smtp["down"]:
            raise OSError("SMTP down")
        sent.append(user)

    monkeypatch.setattr(services, "_send_version_email", flaky)
    with pytest.raises(OSError):
        services.followers_notify(version=version)
    version.refresh_from_db()
    assert version.followers_notified_at is None
    smtp["down"] = False
    assert services.followers_notify(version=version) == 2
    assert sent == [coordinator, coordinator, other_coordinator]
    assert services.followers_notify(version=version) == 0
