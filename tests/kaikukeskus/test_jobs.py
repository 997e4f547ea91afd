"""Background jobs: the person who started one follows it on its page and downloads the result there; nobody
else sees it; with eager Celery the job has run when its page opens; a broker that does not answer is a clear
message, not a 500."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from kaikukeskus import jobs, tasks
from kaikukeskus.models import Job

pytestmark = pytest.mark.django_db

CALLS = []


def _echo(job, progress):
    progress(50, "Halfway")
    CALLS.append(job.pk)
    if job.params.get("fail"):
        raise ValueError("bad data")
    if job.params.get("transient"):
        raise OperationalError("the database went away")
    return f"echo-{job.params['n']}.txt", f"echo {job.params['n']}".encode()


jobs.register("tests.echo", _echo, title="Echo")


def start(client, **params):
    """What a view does: start the job for the request's person (the test client's session or user)."""
    request = RequestFactory().post("/")
    request.user = _user(client)
    request.session = client.session
    job = jobs.job_start(request=request, kind="tests.echo", params=params)
    client.cookies["sessionid"] = request.session.session_key
    return job


def _user(client):
    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.session = client.session
    return get_user(request) if request.session.get("_auth_user_id") else AnonymousUser()


def detail(client, job):
    return client.get(reverse("job-detail", kwargs={"pk": job.pk}))


def download(client, job):
    return client.get(reverse("job-download", kwargs={"pk": job.pk}))


def test_with_eager_celery_the_job_is_done_when_started(coordinator_client, coordinator):
    job = start(coordinator_client, n=1)
    assert (job.status, job.progress, job.owner, job.session_key) == (Job.Status.DONE, 100, coordinator, "")
    assert job.params == {"language": "fi", "n": 1}
    page = detail(coordinator_client, job)
    assert page.status_code == 200
    assert b'http-equiv="refresh"' not in page.content
    assert reverse("job-download", kwargs={"pk": job.pk}).encode() in page.content
    response = download(coordinator_client, job)
    assert response["Content-Disposition"] == 'attachment; filename="echo-1.txt"'
    assert b"".join(response.streaming_content) == b"echo 1"


def test_an_unfinished_job_page_refreshes_itself_and_shows_progress(coordinator_client, coordinator):
    job = Job.objects.create(owner=coordinator, kind="tests.echo", status=Job.Status.RUNNING, progress=40)
    page = detail(coordinator_client, job)
    assert b'<meta http-equiv="refresh" content="2">' in page.content
    assert b'<progress id="job-progress" max="100" value="40">' in page.content
    assert download(coordinator_client, job).status_code == 404
    assert "no-store" in page["Cache-Control"]


def test_an_anonymous_visitors_job_is_theirs_by_session(client):
    job = start(client, n=2)
    assert job.owner is None and job.session_key
    assert detail(client, job).status_code == 200
    assert download(client, job).status_code == 200


def test_nobody_else_sees_or_downloads_a_job(client, coordinator_client, other_coordinator, staff):
    job = start(coordinator_client, n=3)
    for user in (other_coordinator, staff):
        client.force_login(user)
        assert detail(client, job).status_code == 404
        assert download(client, job).status_code == 404
    client.logout()
    assert detail(client, job).status_code == 404
    assert download(client, job).status_code == 404


def test_another_anonymous_session_does_not_see_the_job(client, django_user_model):
    from django.test import Client

    job = start(client, n=4)
    stranger = Client()
    stranger.get("/")  # a session of its own
    assert detail(stranger, job).status_code == 404
    assert download(stranger, job).status_code == 404


def test_a_failing_job_is_marked_failed_and_its_page_says_so(coordinator_client):
    job = start(coordinator_client, n=5, fail=True)
    assert job.status == Job.Status.FAILED and "bad data" in job.error and job.finished_at
    page = detail(coordinator_client, job)
    assert "Tiedostoa ei voitu tehdä" in page.content.decode()
    assert b'http-equiv="refresh"' not in page.content
    assert download(coordinator_client, job).status_code == 404


def test_a_transient_error_is_retried_by_a_worker_and_fails_the_job_in_the_end(coordinator, monkeypatch):
    job = Job.objects.create(owner=coordinator, kind="tests.echo", params={"n": 6, "transient": True})
    retried = []

    def retry(**kwargs):
        retried.append(kwargs["countdown"])
        raise RuntimeError("retry scheduled")

    monkeypatch.setattr(tasks.run_job, "retry", retry)
    # Called as a worker calls it (not eager), on its first delivery.
    with pytest.raises(RuntimeError, match="retry scheduled"):
        tasks.run_job(str(job.pk))
    assert retried == [5]
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # the retry runs it again
    monkeypatch.setattr(tasks.run_job, "max_retries", 0)  # the last delivery
    tasks.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "went away" in job.error


def test_running_a_finished_job_again_does_nothing(coordinator):
    job = Job.objects.create(owner=coordinator, kind="tests.echo", params={"n": 7}, status=Job.Status.DONE)
    CALLS.clear()
    jobs.job_run(str(job.pk))
    assert CALLS == []


def test_a_broker_that_does_not_answer_is_a_clear_message_not_a_500(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_job, "apply_async", refuse)
    with pytest.raises(jobs.JobQueueUnavailableError):
        start(client, n=8)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "not queued" in job.error


def test_old_jobs_are_purged_with_their_files(coordinator_client, coordinator):
    import datetime

    from django.utils import timezone

    old = start(coordinator_client, n=9)
    recent = start(coordinator_client, n=10)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    storage = old.result.storage
    assert storage.exists(old.result.name)
    assert tasks.purge_old_jobs.delay().get() == 1
    assert not storage.exists(old.result.name)
    assert list(Job.objects.all()) == [recent]
    assert storage.exists(recent.result.name)


# --- Jobs that make no file: an outcome, described on the page ---------------------------------------------


def _count(job, progress):
    if job.params.get("refuse"):
        raise jobs.JobRefusedError({"reason": "changed"})
    return {"counted": job.params["n"]}


def _describe(job):
    if job.status == Job.Status.DONE:
        return jobs.Outcome(message=f"Counted {job.outcome['counted']}.", link_url="/back/", link_text="Go back")
    return jobs.Outcome(message=f"Refused: {job.outcome['reason']}.", heading="Nothing was counted")


jobs.register("tests.count", _count, title="Count", describe=_describe, waiting="Wait for the count.")


def start_count(client, **params):
    request = RequestFactory().post("/")
    request.user = _user(client)
    request.session = client.session
    return jobs.job_start(request=request, kind="tests.count", params=params)


def test_a_job_that_makes_no_file_shows_its_outcome_and_a_link_onward(coordinator_client):
    job = start_count(coordinator_client, n=3)
    assert (job.status, job.outcome, bool(job.result)) == (Job.Status.DONE, {"counted": 3}, False)
    html = detail(coordinator_client, job).content.decode()
    assert '<p role="status">Counted 3.</p>' in html
    assert '<a class="button" href="/back/">Go back</a>' in html
    assert "/download/" not in html
    assert download(coordinator_client, job).status_code == 404


def test_a_refused_job_fails_with_its_reason_explained_and_is_not_logged_as_an_error(coordinator_client, caplog):
    job = start_count(coordinator_client, n=1, refuse=True)
    assert (job.status, job.outcome) == (Job.Status.FAILED, {"reason": "changed"})
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    html = detail(coordinator_client, job).content.decode()
    assert 'role="alert"' in html and "<h2>Nothing was counted</h2>" in html and "Refused: changed." in html


def test_an_unfinished_job_of_a_kind_says_its_own_waiting_line(coordinator_client, coordinator):
    job = Job.objects.create(owner=coordinator, kind="tests.count", params={"n": 1})
    html = detail(coordinator_client, job).content.decode()
    assert "Wait for the count." in html and 'http-equiv="refresh"' in html


def test_job_find_gives_the_persons_unfailed_job_with_the_same_parameters(coordinator_client, coordinator, client):
    done = start_count(coordinator_client, n=4)
    start_count(coordinator_client, n=5, refuse=True)
    request = RequestFactory().get("/")
    request.user = coordinator
    assert jobs.job_find(request=request, kind="tests.count", params={"n": 4}) == done
    assert jobs.job_find(request=request, kind="tests.count", params={"n": 5}) is None  # failed: start again
    assert jobs.job_find(request=request, kind="tests.echo", params={"n": 4}) is None
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = client.session
    assert jobs.job_find(request=request, kind="tests.count", params={"n": 4}) is None


def test_a_job_no_worker_has_started_for_minutes_says_so_and_checks_less_often(coordinator_client, coordinator):
    """A worker down while the broker answers: the job waits in the queue. After `JOB_START_TIMEOUT` the page says
    what is happening (it runs when the service is back; nothing is lost) instead of refreshing in silence."""
    fresh = Job.objects.create(owner=coordinator, kind="tests.echo")
    page = detail(coordinator_client, fresh)
    assert b'content="2"' in page.content and b"job-stalled" not in page.content
    stalled = Job.objects.create(owner=coordinator, kind="tests.echo")
    Job.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - jobs.JOB_START_TIMEOUT - timedelta(seconds=1))
    stalled.refresh_from_db()
    assert jobs.is_stalled(stalled) and not jobs.is_stalled(fresh)
    page = detail(coordinator_client, stalled)
    assert b"job-stalled" in page.content
    assert "Taustapalvelu ei ole aloittanut työtä" in page.content.decode()
    assert f'content="{jobs.JOB_STALLED_REFRESH_SECONDS}"'.encode() in page.content
    running = Job.objects.create(owner=coordinator, kind="tests.echo", status=Job.Status.RUNNING)
    Job.objects.filter(pk=running.pk).update(created_at=stalled.created_at)
    running.refresh_from_db()
    assert not jobs.is_stalled(running)  # a long job that has started is not stalled


# --- A broker that does not answer is known at once --------------------------------------------------------


@contextmanager
def project_app_on(settings, broker_url: str):
    """The project's Celery app publishing to `broker_url`, not eager (its pools are made again for the address,
    and again after)."""
    from kaikukeskus.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    reset_pools()
    try:
        yield app
    finally:
        app.conf.update(broker_url=previous[0], task_always_eager=previous[1])
        reset_pools()


@pytest.fixture
def closed_broker(settings):
    """A port where nothing listens, as with Redis down."""
    with project_app_on(settings, "redis://127.0.0.1:6399/0") as app:
        yield app


def test_with_the_broker_down_starting_a_job_answers_503_in_well_under_2_seconds(client, closed_broker):
    """Before the settings' fail-fast policy the same request waited 19 s (the result backend's reconnections)."""
    import time

    from kaikukeskus.views import job_start_response

    request = RequestFactory().post("/")
    request.user = _user(client)
    request.session = client.session
    started = time.monotonic()
    response = job_start_response(request, kind="tests.echo", params={"n": 11})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert Job.objects.get().status == Job.Status.FAILED
    # Any other task published with the default retries (an e-mail) gives up as soon.
    started = time.monotonic()
    with pytest.raises(BrokerError):
        tasks.purge_old_jobs.delay()
    assert time.monotonic() - started < 5


# --- A worker that dies: the watchdog --------------------------------------------------------------------


def _lost(owner, *, attempt=1, kind="tests.echo", **params):
    """A job its worker was killed on: left "running 40 %" with a heartbeat older than the watchdog waits."""
    job = Job.objects.create(
        owner=owner, kind=kind, params=params, status=Job.Status.RUNNING, progress=40, attempt=attempt
    )
    old = timezone.now() - jobs.JOB_HEARTBEAT_TIMEOUT - timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=old, created_at=old)
    return job


def test_a_job_whose_worker_was_killed_is_run_once_more_by_the_watchdog(coordinator_client, coordinator):
    job = _lost(coordinator, n=12)
    alive = Job.objects.create(owner=coordinator, kind="tests.echo", status=Job.Status.RUNNING, progress=40)
    Job.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())
    CALLS.clear()
    assert tasks.watch_jobs.delay().get() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.attempt, job.result_name) == (Job.Status.DONE, 2, "echo-12.txt")  # eager: run at once
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING  # a job whose worker is alive is left
    # The first run's message, handed out again by the broker after its visibility timeout, does nothing.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    jobs.job_run(str(job.pk), 1)
    assert len(CALLS) == 1 and Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_a_job_lost_twice_fails_and_its_page_says_so_and_stops_updating(coordinator_client, coordinator):
    job = _lost(coordinator, attempt=jobs.JOB_ATTEMPTS, n=13)
    counted = _lost(coordinator, attempt=jobs.JOB_ATTEMPTS, kind="tests.count", n=1)
    page = detail(coordinator_client, job)
    assert b'http-equiv="refresh"' in page.content  # before: "running 40 %", updating itself
    assert jobs.jobs_watch() == {"requeued": 0, "failed": 2}
    for lost in (job, counted):
        lost.refresh_from_db()
        assert lost.status == Job.Status.FAILED and lost.error.startswith(jobs.WORKER_LOST) and lost.finished_at
        html = detail(coordinator_client, lost).content.decode()
        assert "Palvelu pysähtyi kesken työn" in html and 'role="alert"' in html
        assert 'http-equiv="refresh"' not in html and "päivittyy" not in html and "<progress" not in html
    assert jobs.jobs_watch() == {"requeued": 0, "failed": 0}  # final: left alone


def test_a_replaced_run_that_was_only_slow_changes_nothing_when_it_ends(coordinator):
    job = _lost(coordinator, n=14)
    Job.objects.filter(pk=job.pk).update(attempt=2, status=Job.Status.RUNNING)  # the watchdog's second run
    jobs.job_fail(job.pk, error="late", attempt=1)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_job_tasks_are_handed_back_when_their_worker_dies_and_the_watchdog_runs_every_minute(settings):
    from kaikukeskus.celery import app

    assert tasks.run_job.acks_late and tasks.run_job.reject_on_worker_lost
    watch = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == tasks.watch_jobs.name]
    assert len(watch) == 1 and watch[0]["schedule"] <= 60
    # A task still running is never handed to a second worker; a lost one is noticed well before that.
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT > jobs.JOB_HEARTBEAT_TIMEOUT.total_seconds()


@pytest.mark.django_db(transaction=True)
def test_a_worker_beats_while_the_function_runs(coordinator, settings, monkeypatch):
    """The heartbeat comes from a thread of its own, whatever the job's function does (here: sleeps briefly
    without reporting progress)."""
    import time

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(jobs, "JOB_HEARTBEAT_SECONDS", 0.05)
    beats = []

    def quiet(job, progress):
        start = Job.objects.get(pk=job.pk).heartbeat_at
        time.sleep(0.3)
        beats.append((start, Job.objects.get(pk=job.pk).heartbeat_at))
        return {"ok": True}

    jobs.register("tests.quiet", quiet, title="Quiet", describe=lambda job: jobs.Outcome(message="ok"))
    job = Job.objects.create(owner=coordinator, kind="tests.quiet")
    jobs.job_run(str(job.pk), job.attempt)
    ((start, later),) = beats
    assert later > start
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_lost_job_is_run_again_by_a_real_worker_through_redis(coordinator, settings):
    """The watchdog's second run goes through Redis to a real worker, which takes it as the job's current run."""
    import os
    import time

    from celery.contrib.testing.worker import start_worker

    job = _lost(coordinator, n=15)
    with (
        project_app_on(settings, os.environ["REDIS_URL"]) as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        assert jobs.jobs_watch() == {"requeued": 1, "failed": 0}
        deadline = time.monotonic() + 30
        while Job.objects.get(pk=job.pk).status != Job.Status.DONE and time.monotonic() < deadline:
            time.sleep(0.05)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.result_name) == (Job.Status.DONE, 2, "echo-15.txt")


jobs.register("tests.shared", _echo, title="Shared echo", shared=True)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_requests_at_the_same_moment_meet_one_shared_job(settings, monkeypatch):
    """Each request in a transaction of its own: the partial unique index lets one create the job, the others
    wait for its commit and take that job."""
    import threading

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda *args, **kwargs: None)  # queued, no worker yet
    start, got = threading.Barrier(20), []

    def visitor(number):
        try:
            request = RequestFactory().post("/", REMOTE_ADDR=f"203.0.113.{number}")
            request.user, request.session = AnonymousUser(), SessionStore()
            start.wait()
            got.append(jobs.job_start(request=request, kind="tests.shared", params={"n": 16}).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=visitor, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    job = Job.objects.get()
    assert got == [job.pk] * 20 and job.status == Job.Status.QUEUED
