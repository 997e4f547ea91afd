"""Background jobs: long work (the annual report PDF, a partner import, …) that Celery does for one person, who
follows its progress on the job's page (`/jobs/<uuid>/`) and finds the result there.

An app registers a kind of job in its `AppConfig.ready()`::

    from kaikukeskus import jobs
    jobs.register("stats.annual_report", render_annual_report, title=_("Annual report"))

The function takes the job and a `progress(percent, message)` callback; it runs in the job's language
(`params["language"]`) and must be safe to run twice (a worker that dies mid-job hands it to another:
`acks_late`). A job that makes a file returns `(filename, content)`, and its page offers the download; one whose
file is already kept in the jobs' storage for everybody returns `StoredFile(name, filename)`, and its download is
that file, not a copy. A job
that changes data instead returns a dict (JSON: counts, ids), kept as `Job.outcome`; it registers
`describe=`, which turns a finished job into the page's `Outcome` (a sentence and a link onward) in the
reader's language when the page is shown. Such a job refuses for a reason the person can act on by raising
`JobRefusedError(outcome)`: the job fails, and `describe` explains it.

A view starts a job with `job_start(...)`, which creates the row and queues the task; with eager Celery (the
embedded default, the tests) the task runs inline, so the job is finished when the view redirects to its page.
A form that may be sent twice asks `job_find(...)` first and sends the second post to the first one's job.
Each client starts at most `JOB_RATE` jobs (per user, or per address for anonymous visitors: kaikukeskus/
ratelimit.py); over it `job_start` raises `JobRateLimitedError`, a 429 page.

Who sees a job: its owner, or for an anonymous visitor the same session; anybody else gets 404 (national staff
too: a job's result may be personal). A kind registered `shared=True` makes what is the same for everybody (the
public annual report): one job serves every request with the same parameters while it waits, runs or is done,
and anybody with its address may follow it; such a request starts nothing and counts against no limit.
When the broker does not answer, `job_start` marks the job failed and raises `JobQueueUnavailableError`, which
the view turns into a clear message rather than a 500.

A worker that dies (killed, out of memory, the machine gone) leaves its job "running": while it runs, the job
beats (`heartbeat_at`, every `JOB_HEARTBEAT_SECONDS`, and at each progress), and the watchdog `jobs_watch` (a
periodic Celery task) queues a job whose heartbeat is older than `JOB_HEARTBEAT_TIMEOUT` once more, or fails it
after `JOB_ATTEMPTS` runs with a message that says the service stopped. Each run has its number (`attempt`,
carried by the task's message): a message of a run the watchdog replaced (redelivered by the broker after its
visibility timeout) does nothing, and a replaced run that was only slow changes nothing when it ends.
"""

import datetime
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaikukeskus import ratelimit
from kaikukeskus.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredFile:
    """What a job returns when its file is already in the jobs' storage, kept for everybody: `name` there, and
    the `filename` it downloads as. The job's download is that file: nothing is copied, and purging the job
    leaves it."""

    name: str
    filename: str


Progress = Callable[[int, str], None]
JobFunction = Callable[[Job, Progress], "tuple[str, bytes] | StoredFile | dict"]

# New jobs a client may start (per user; per address, as the portal's limits count it, for anonymous visitors).
JOB_RATE = ratelimit.Rate(10, 10 * 60)
# A running job's worker says it is alive this often; one silent for `JOB_HEARTBEAT_TIMEOUT` is gone. A job that
# has run `JOB_ATTEMPTS` times without finishing fails.
JOB_HEARTBEAT_SECONDS = 30
JOB_HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=3)
JOB_ATTEMPTS = 2
# `Job.error` of a job failed by the watchdog: its page says that the service stopped while working on it.
WORKER_LOST = "worker lost"


@dataclass(frozen=True)
class Outcome:
    """What the page of a finished job that made no file says: a sentence, a link onward, and for a failed job
    the heading of its error summary."""

    message: str
    link_url: str = ""
    link_text: str = ""
    heading: str = ""


@dataclass(frozen=True)
class JobKind:
    function: JobFunction
    title: str  # what the job's page calls it (lazily translated)
    describe: "Callable[[Job], Outcome] | None" = None  # for a job that makes no file
    waiting: str = ""  # the line under the progress bar (lazily translated)
    shared: bool = False  # the result is the same for everybody: one job serves every such request


_KINDS: dict[str, JobKind] = {}


class JobQueueUnavailableError(Exception):
    """The job could not be handed to Celery (the broker does not answer)."""


class JobRateLimitedError(Exception):
    """The client has started `JOB_RATE` jobs already; nothing was started."""


class JobRefusedError(Exception):
    """Raised by a job's function: the work was refused for a reason the person can act on (the data changed
    since they looked). The job fails without being retried or logged as an error; `outcome` (JSON) is kept
    for the kind's `describe`."""

    def __init__(self, outcome: dict):
        super().__init__(outcome)
        self.outcome = outcome


def register(kind: str, function: JobFunction, *, title, describe=None, waiting="", shared=False) -> None:
    _KINDS[kind] = JobKind(function=function, title=title, describe=describe, waiting=waiting, shared=shared)


def title(job: Job) -> str:
    return str(_KINDS[job.kind].title) if job.kind in _KINDS else job.kind


# --- Services ---------------------------------------------------------------------------------------------


def _owner(request: HttpRequest) -> dict:
    """The job's owner: the user, or the anonymous visitor's session (created now if there is none)."""
    if request.user.is_authenticated:
        return {"owner": request.user, "session_key": ""}
    if request.session.session_key is None:
        request.session.save()
    return {"owner": None, "session_key": request.session.session_key}


def _client(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return ratelimit.client_key(request)


def _shared_key(kind: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([kind, params], sort_keys=True).encode()).hexdigest()


def _shared_job(key: str) -> Job | None:
    """The latest job for the shared key that is waiting, running or done."""
    return Job.objects.filter(key=key).exclude(status=Job.Status.FAILED).order_by("-created_at").first()


def job_start(*, request: HttpRequest, kind: str, params: dict) -> Job:
    """Create a job for the person making the request and queue it; for a shared kind, the job already serving
    the same parameters if there is one. With eager Celery it has run when this returns.
    `JobRateLimitedError` when the client has started too many; `JobQueueUnavailableError` when the broker is
    down (the job is then marked failed)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **params}
    key = _shared_key(kind, params) if _KINDS[kind].shared else ""
    if key and (existing := _shared_job(key)) is not None:
        return existing
    if ratelimit.hit(f"job:{kind}", {"client": (_client(request), JOB_RATE)}):
        raise JobRateLimitedError
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, params=params, key=key, **_owner(request))
    except IntegrityError:
        existing = _shared_job(key) if key else None
        if existing is None:
            raise
        return existing  # started by a request at the same moment
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    from kaikukeskus.tasks import run_job

    try:
        # No publishing retries: a broker that does not answer at once is reported to the person now, rather
        # than after the request has hung for the retries.
        run_job.apply_async(args=[str(job.pk), job.attempt], retry=False)
    except Exception as error:  # kombu and redis raise several kinds of connection errors
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Job %s could not be queued: the Celery broker does not answer", job.pk, exc_info=True)
        job_fail(job.pk, error=f"not queued: {error!r}")
        raise JobQueueUnavailableError from error


# A database that went away, a storage that did not answer: worth another try (the Celery task retries with
# backoff); any other exception is a bug or bad data, and trying again would fail the same way.
TRANSIENT_ERRORS = (OperationalError, OSError)


def _run_of(job_id, attempt: int | None) -> QuerySet[Job]:
    """The job while it is unfinished and this run (`attempt`; None: any) is its current one: what a run may
    change."""
    jobs = Job.objects.filter(pk=job_id).exclude(status__in=Job.FINISHED)
    return jobs if attempt is None else jobs.filter(attempt=attempt)


def job_run(job_id: str, attempt: int | None = None) -> None:
    """Run the job (the Celery task's body) as its run `attempt` (None: a message from before runs were
    numbered). A finished job, or a run the watchdog has replaced, is left as it is, so a second delivery does no
    harm. The kind's exception marks the job failed (and is logged) rather than failing the task; a transient
    error (`TRANSIENT_ERRORS`) is raised for the task to retry."""
    job = _run_of(job_id, attempt).first()
    if job is None:
        return
    run = _run_of(job.pk, job.attempt)
    if not run.update(status=Job.Status.RUNNING, progress=0, error="", heartbeat_at=timezone.now()):
        return  # finished or replaced a moment ago

    def progress(percent: int, message: str = "") -> None:
        run.update(progress=max(0, min(100, percent)), message=str(message)[:200], heartbeat_at=timezone.now())

    try:
        with _heartbeat(run), translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            result = _KINDS[job.kind].function(job, progress)
        if isinstance(result, dict):
            _finish(run, status=Job.Status.DONE, progress=100, outcome=result)
            return
        if isinstance(result, StoredFile):
            filename, name = result.filename, result.name
        else:
            filename, content = result
            job.result.save(filename, ContentFile(content), save=False)
            name = job.result.name
    except TRANSIENT_ERRORS:
        raise
    except JobRefusedError as refusal:
        _finish(run, status=Job.Status.FAILED, error=f"refused: {refusal.outcome!r}", outcome=refusal.outcome)
        return
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job_fail(job.pk, error=repr(error), attempt=job.attempt)
        return
    _finish(run, status=Job.Status.DONE, progress=100, result=name, result_name=filename)


@contextmanager
def _heartbeat(run: QuerySet[Job]) -> Iterator[None]:
    """While a worker runs the job, a thread of its own says so every `JOB_HEARTBEAT_SECONDS`, whatever the
    job's function is doing (a long transaction, a long layout). Not with eager Celery: no worker to lose."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(JOB_HEARTBEAT_SECONDS):
                run.update(heartbeat_at=timezone.now())
        except Exception:
            logger.warning("A job's heartbeat failed", exc_info=True)
        finally:
            connection.close()  # the thread's own

    thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_fail(job_id, *, error: str, attempt: int | None = None) -> None:
    _finish(_run_of(job_id, attempt), status=Job.Status.FAILED, error=error)


def _finish(run: QuerySet[Job], *, status: str, **fields) -> None:
    run.update(status=status, finished_at=timezone.now(), **fields)


def jobs_watch(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The watchdog (a periodic task): a job "running" whose heartbeat is older than `JOB_HEARTBEAT_TIMEOUT` has
    lost its worker. It is queued once more as its next run, or after `JOB_ATTEMPTS` runs failed with
    `WORKER_LOST` (its page says the service stopped while working on it). Returns the counts."""
    cutoff = (now or timezone.now()) - JOB_HEARTBEAT_TIMEOUT
    lost = Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    counts = {"requeued": 0, "failed": 0}
    for job in lost:
        if job.attempt >= JOB_ATTEMPTS:
            logger.warning("Job %s (%s) lost its worker %s times: failed", job.pk, job.kind, job.attempt)
            job_fail(job.pk, error=f"{WORKER_LOST}: no heartbeat since {job.heartbeat_at}", attempt=job.attempt)
            counts["failed"] += 1
            continue
        replaced = _run_of(job.pk, job.attempt).update(
            status=Job.Status.QUEUED, attempt=F("attempt") + 1, progress=0, message="", heartbeat_at=None
        )
        if not replaced:  # finished or replaced meanwhile
            continue
        logger.warning("Job %s (%s) lost its worker: queued again", job.pk, job.kind)
        job.attempt += 1
        try:
            _enqueue(job)
        except JobQueueUnavailableError:
            counts["failed"] += 1
        else:
            counts["requeued"] += 1
    return counts


def _own_file(job: Job) -> bool:
    """The job's file is its own copy (not a `StoredFile` kept for everybody)."""
    return bool(job.result) and job.result.name.startswith(job.result_folder)


def jobs_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """Forget jobs started longer ago than `older_than`, and their own files (a job's file may be personal, and
    nobody follows a week-old job). The annual report PDFs kept for everybody (stats/pdf.py), which their jobs
    hand out as `StoredFile`, are not jobs' files and stay."""
    old = Job.objects.filter(created_at__lt=timezone.now() - older_than)
    for job in old.exclude(result=""):
        if _own_file(job):
            job.result.delete(save=False)
    deleted, _detail = old.delete()
    return deleted


# --- Selectors --------------------------------------------------------------------------------------------


def _jobs_of(request: HttpRequest) -> QuerySet[Job]:
    """The jobs of the request's person: the user's, or an anonymous visitor's same session's (not the shared
    ones others started)."""
    if request.user.is_authenticated:
        return Job.objects.filter(owner=request.user)
    if request.session.session_key:
        return Job.objects.filter(owner__isnull=True, session_key=request.session.session_key)
    return Job.objects.none()


def job_for_request_or_404(*, request: HttpRequest, pk) -> Job:
    """The job if the request is its owner's (the user, or an anonymous visitor's same session) or the job is
    shared (its result is the same for everybody); else 404."""
    job = (_jobs_of(request) | Job.objects.exclude(key="")).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def job_find(*, request: HttpRequest, kind: str, params: dict) -> Job | None:
    """The person's latest job of `kind` started with `params` that has not failed (waiting, running or done),
    if any: a form posted twice then leads to the job the first post started rather than to a second one."""
    jobs = _jobs_of(request).filter(kind=kind, **{f"params__{key}": value for key, value in params.items()})
    return jobs.exclude(status=Job.Status.FAILED).order_by("-created_at").first()


# A job still waiting for a worker after this long: the workers are down or swamped while the broker answers.
# It runs when they are back (the broker keeps it); the page says so and checks less often.
JOB_START_TIMEOUT = datetime.timedelta(minutes=2)
JOB_REFRESH_SECONDS = 2
JOB_STALLED_REFRESH_SECONDS = 30


def is_stalled(job: Job, *, now: datetime.datetime | None = None) -> bool:
    """No worker has started the job within `JOB_START_TIMEOUT`."""
    return job.status == Job.Status.QUEUED and job.created_at < (now or timezone.now()) - JOB_START_TIMEOUT


def refresh_seconds(job: Job) -> int:
    """How often the unfinished job's page reloads itself."""
    return JOB_STALLED_REFRESH_SECONDS if is_stalled(job) else JOB_REFRESH_SECONDS


def is_lost(job: Job) -> bool:
    """The job failed because the service stopped while working on it (`jobs_watch`)."""
    return job.status == Job.Status.FAILED and job.error.startswith(WORKER_LOST)


def status_text(job: Job) -> str:
    """What the page says of the job besides its progress."""
    if is_lost(job):
        return _("The service stopped while working on this, so it could not be finished. Please try again.")
    if job.status == Job.Status.FAILED:
        return _("The file could not be made. Please try again in a moment; if it fails again, contact Kaikukeskus.")
    return job.message or job.get_status_display()


def waiting_text(job: Job) -> str:
    """The line under an unfinished job's progress bar."""
    kind = _KINDS.get(job.kind)
    if kind is not None and kind.waiting:
        return str(kind.waiting)
    return _("This page updates itself every few seconds until the file is ready.")


def outcome(job: Job) -> Outcome | None:
    """What the page of a finished job of a kind that makes no file says (None: a file job, or not finished)."""
    kind = _KINDS.get(job.kind)
    if not job.is_finished or kind is None or kind.describe is None or is_lost(job):
        return None
    return kind.describe(job)
