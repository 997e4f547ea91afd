"""A confirmed partner import runs as a background job: the coordinator lands on the job's page, which says what
was imported and links back to the partner list, or says why nothing was. All rows or none, once, with the
coordinator's scope checked when the job runs; only the coordinator sees the job."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from kaikukeskus import jobs, tasks
from kaikukeskus.models import Job
from localities.models import Coordinator
from networks import import_job, services
from networks.models import Partner, PartnerImport
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = "role;name;municipality;sector;offer_fi;contact_name;contact_email"


def upload(actor, locality, *lines):
    content = "\n".join([HEADER, *lines]).encode()
    return services.partner_import_create(actor=actor, locality=locality, file_name="k.csv", content=content)


def preview_url(partner_import):
    return reverse(
        "networks:partner-import-preview", kwargs={"slug": partner_import.locality.slug, "pk": partner_import.pk}
    )


def confirm(client, partner_import):
    return client.post(preview_url(partner_import), {"sha256": partner_import.sha256})


def job_of(response) -> Job:
    """The job a confirmation started, from the redirect to its page."""
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert response.url.endswith(f"/jobs/{job.pk}/")
    return job


def job_url(job, language="en"):
    with translation.override(language):
        return reverse("job-detail", kwargs={"pk": job.pk})


def job_page(client, job, language="en") -> str:
    response = client.get(job_url(job, language))
    assert response.status_code == 200
    return response.content.decode()


TWO_ROWS = ("venue;Teatteri;Kajaani;culture;Vapaalippu;Maija;maija@example.fi", "venue;Museo;Sotkamo;culture;;;")


def test_confirming_starts_a_job_whose_page_shows_the_counts_and_links_back(coordinator, coordinator_client, locality):
    PartnerFactory(locality=locality, name="Museo", offer_fi="Vanha")
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    job = job_of(confirm(coordinator_client, partner_import))
    assert (job.kind, job.owner, job.status) == (import_job.JOB_KIND, coordinator, Job.Status.DONE)
    assert job.outcome == {"counts": {"new": 1, "update": 1, "unchanged": 0, "error": 0}}
    assert sorted(Partner.objects.values_list("name", "offer_fi")) == [("Museo", ""), ("Teatteri", "Vapaalippu")]
    partner_import.refresh_from_db()
    assert partner_import.status == PartnerImport.Status.APPLIED

    html = job_page(coordinator_client, job)
    assert 'http-equiv="refresh"' not in html and "/download/" not in html
    assert '<p role="status">Import done: 1 new, 1 updated, 0 unchanged.</p>' in html
    partners = reverse("networks:partner-list", kwargs={"slug": locality.slug})
    assert f'<a class="button" href="{partners}">Back to the partner list</a>' in html
    # Said in the reader's language, whatever the language the job ran in.
    html = job_page(coordinator_client, job, "fi")
    assert "Tuonti valmis: 1 uutta" in html and "Takaisin kumppaniluetteloon" in html
    assert f'href="{partners.removeprefix("/en")}"' in html


def test_a_confirmation_sent_twice_leads_to_the_same_job_and_imports_once(coordinator, coordinator_client, locality):
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    first = job_of(confirm(coordinator_client, partner_import))
    second = job_of(confirm(coordinator_client, partner_import))
    assert first == second and Job.objects.count() == 1
    assert Partner.objects.count() == 2
    assert all(partner.history.count() == 1 for partner in Partner.objects.all())
    # The preview now says the file was imported and links to the job instead of offering to confirm.
    page = coordinator_client.get(preview_url(partner_import))
    assert not page.context["can_apply"]
    assert f'href="{job_url(first)}"' in page.content.decode()


def test_two_jobs_for_one_preview_apply_it_once(coordinator, locality):
    """Two confirmations that crossed (or a job delivered again after its worker died) both end as done with
    the import's counts, and the rows are written once."""
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    params = import_job.job_params(partner_import, sha256=partner_import.sha256)
    first, second = (Job.objects.create(owner=coordinator, kind=import_job.JOB_KIND, params=params) for _ in "12")
    tasks.run_job(str(first.pk))
    tasks.run_job(str(second.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Job.Status.DONE
    assert first.outcome == second.outcome == {"counts": {"new": 2, "update": 0, "unchanged": 0, "error": 0}}
    assert Partner.objects.count() == 2
    assert all(partner.history.count() == 1 for partner in Partner.objects.all())


def test_a_partner_edited_since_the_preview_fails_the_job_and_changes_nothing(
    coordinator, coordinator_client, locality
):
    partner = PartnerFactory(locality=locality, name="Teatteri", offer_fi="Vanha")
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    services.partner_update(actor=coordinator, partner=partner, values={"offer_fi": "Käsin"}, expected_version=1)
    job = job_of(confirm(coordinator_client, partner_import))
    assert job.status == Job.Status.FAILED and job.outcome == {"reason": "changed"}
    partner.refresh_from_db()
    assert partner.offer_fi == "Käsin" and Partner.objects.count() == 1  # all or nothing

    html = job_page(coordinator_client, job)
    assert 'role="alert"' in html and "Nothing was imported" in html
    assert "The partners have changed since the preview" in html
    assert f'href="{preview_url(partner_import)}">Check the updated preview</a>' in html
    assert "Kumppanien tiedot ovat muuttuneet esikatselun jälkeen" in job_page(coordinator_client, job, "fi")
    # The preview shows the fresh plan, and confirming it (knowingly) starts a new job that works.
    preview = coordinator_client.get(preview_url(partner_import))
    assert preview.context["can_apply"] and preview.context["counts"]["update"] == 1
    again = job_of(confirm(coordinator_client, partner_import))
    assert again != job and again.status == Job.Status.DONE
    partner.refresh_from_db()
    assert partner.offer_fi == "Vapaalippu"


def test_an_expired_preview_is_refused_on_the_preview_page_without_a_job(coordinator, coordinator_client, locality):
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    PartnerImport.objects.filter(pk=partner_import.pk).update(created_at=timezone.now() - PartnerImport.VALID_FOR)
    response = confirm(coordinator_client, partner_import)
    assert response.status_code == 409 and "The preview has expired" in response.content.decode()
    assert not Job.objects.exists() and not Partner.objects.exists()


def test_a_broker_that_does_not_answer_is_explained_on_the_preview_and_nothing_is_imported(
    coordinator, coordinator_client, locality, settings, monkeypatch
):
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_job, "apply_async", refuse)
    response = confirm(coordinator_client, partner_import)
    assert response.status_code == 503
    assert "The import could not be started" in response.content.decode()
    assert response.context["can_apply"]  # it can be confirmed again once the service is back
    assert Job.objects.get().status == Job.Status.FAILED
    partner_import.refresh_from_db()
    assert partner_import.status == PartnerImport.Status.PREVIEWED and not Partner.objects.exists()

    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.undo()
    assert job_of(confirm(coordinator_client, partner_import)).status == Job.Status.DONE
    assert Partner.objects.count() == 2


def test_a_coordinator_over_the_limit_of_jobs_is_told_on_the_preview_and_nothing_is_imported(
    coordinator, coordinator_client, locality, monkeypatch
):
    from kaikukeskus import ratelimit

    partner_import = upload(coordinator, locality, *TWO_ROWS)
    monkeypatch.setattr(jobs, "JOB_RATE", ratelimit.Rate(0, 600))
    response = confirm(coordinator_client, partner_import)
    assert response.status_code == 429
    assert "You have started many imports" in response.content.decode()
    assert not Job.objects.exists() and not Partner.objects.exists()


def test_a_queued_job_is_followed_from_the_preview_and_its_page_refreshes(coordinator, coordinator_client, locality):
    """With a real broker the job waits for a worker: the page refreshes itself, and the preview points to it
    instead of offering to confirm again."""
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    params = import_job.job_params(partner_import, sha256=partner_import.sha256)
    job = Job.objects.create(owner=coordinator, kind=import_job.JOB_KIND, params=params)
    page = job_page(coordinator_client, job)
    assert '<meta http-equiv="refresh"' in page and "until the import is done" in page
    preview = coordinator_client.get(preview_url(partner_import))
    assert not preview.context["can_apply"]
    assert f'<a href="{job_url(job)}">Follow the import</a>' in preview.content.decode()
    assert job_of(confirm(coordinator_client, partner_import)) == job
    assert not Partner.objects.exists()


def test_the_job_checks_the_coordinators_scope_when_it_runs(coordinator, locality):
    partner_import = upload(coordinator, locality, *TWO_ROWS)
    params = import_job.job_params(partner_import, sha256=partner_import.sha256)
    job = Job.objects.create(owner=coordinator, kind=import_job.JOB_KIND, params=params)
    Coordinator.objects.filter(user=coordinator).update(ended_on=timezone.localdate())  # left before it ran
    tasks.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "PermissionDenied" in job.error
    assert not Partner.objects.exists()


def test_an_unexpected_failure_says_nothing_was_imported(coordinator, coordinator_client, locality, monkeypatch):
    partner_import = upload(coordinator, locality, *TWO_ROWS)

    def broken(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(services, "partner_import_apply", broken)
    job = job_of(confirm(coordinator_client, partner_import))
    assert job.status == Job.Status.FAILED and job.outcome == {}
    html = job_page(coordinator_client, job)
    assert "The import could not be finished, so nothing was imported" in html
    assert f'href="{preview_url(partner_import)}">Back to the preview</a>' in html


def test_only_the_coordinator_who_confirmed_sees_the_job(
    coordinator, coordinator_client, locality, other_coordinator, staff
):
    job = job_of(confirm(coordinator_client, upload(coordinator, locality, *TWO_ROWS)))
    colleague = Coordinator.objects.create(
        user=type(coordinator).objects.create_user(email="toinen@kajaani.example.fi"), locality=locality
    ).user
    for user in (colleague, other_coordinator, staff):
        client = Client()
        client.force_login(user)
        assert client.get(job_url(job)).status_code == 404
    assert Client().get(job_url(job)).status_code == 404


def test_job_find_ignores_failed_jobs_and_other_uploads(coordinator, coordinator_client, locality):
    from django.test import RequestFactory

    partner_import = upload(coordinator, locality, *TWO_ROWS)
    other_import = upload(coordinator, locality, TWO_ROWS[0])
    params = import_job.job_params(partner_import, sha256=partner_import.sha256)
    request = RequestFactory().get("/")
    request.user = coordinator
    Job.objects.create(owner=coordinator, kind=import_job.JOB_KIND, params=params, status=Job.Status.FAILED)
    Job.objects.create(
        owner=coordinator,
        kind=import_job.JOB_KIND,
        params=import_job.job_params(other_import, sha256=other_import.sha256),
    )
    assert jobs.job_find(request=request, kind=import_job.JOB_KIND, params=params) is None
    waiting = Job.objects.create(owner=coordinator, kind=import_job.JOB_KIND, params=params)
    assert jobs.job_find(request=request, kind=import_job.JOB_KIND, params=params) == waiting


def test_the_counts_are_written_in_the_readers_number_format():
    job = Job(kind=import_job.JOB_KIND, status=Job.Status.DONE, params={"locality": "kainuu", "upload": 1})
    job.outcome = {"counts": {"new": 10000, "update": 1234, "unchanged": 0}}
    with translation.override("fi"):
        assert "10\xa0000 uutta, 1\xa0234 päivitetty, 0 " in import_job.partner_import_outcome(job).message
    with translation.override("en"):
        assert "10,000 new, 1,234 updated, 0 unchanged" in import_job.partner_import_outcome(job).message
