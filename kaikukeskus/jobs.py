"""Background jobs: long work (the annual report PDF, a partner import, …) that Celery does for one person, who
follows its progress on the job's page (`/jobs/<uuid>/`) and finds the result there.

An app registers a kind of job in its `AppConfig.ready()`::

    from kaikukeskus import jobs
    jobs.register("stats.annual_report", render_annual_report, title=_("Annual report"))

The function takes the job and a `progress(percent, message)` callback; it runs in the job's language
(`params["language"]`) and must be safe to run twice (a worker that dies mid-job hands it to another:
`acks_late`). A job that makes a file returns `(filename, content)`, and its page offers the download. A job
that changes data instead returns a dict (JSON: counts, ids), kept as `Job.outcome`; it registers
`describe=`, which turns a finished job into the page's `Outcome` (a sentence and a link onward) in the
reader's language when the page is shown. Such a job refuses for a reason the person can act on by raising
`JobRefusedError(outcome)`: the job fails, and `describe` explains it.

A view starts a job with `job_start(...)`, which creates the row and queues the task; with eager Celery (the
embedded default, the tests) the task runs inline, so the job is finished when the view redirects to its page.
A form that may be sent twice asks `job_find(...)` first and sends the second post to the first one's job.

Who sees a job: its owner, or for an anonymous visitor the same session; anybody else gets 404 (national staff
too: a job's result may be personal). When the broker does not answer, `job_start` marks the job failed and
raises `JobQueueUnavailableError`, which the view turns into a clear message rather than a 500.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaikukeskus.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
JobFunction = Callable[[Job, Progress], "tuple[str, bytes] | dict"]


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


_KINDS: dict[str, JobKind] = {}


class JobQueueUnavailableError(Exception):
    """The job could not be handed to Celery (the broker does not answer)."""


class JobRefusedError(Exception):
    """Raised by a job's function: the work was refused for a reason the person can act on (the data changed
    since they looked). The job fails without being retried or logged as an error; `outcome` (JSON) is kept
    for the kind's `describe`."""

    def __init__(self, outcome: dict):
        super().__init__(outcome)
        self.outcome = outcome


def register(kind: str, function: JobFunction, *, title, describe=None, waiting="") -> None:
    _KINDS[kind] = JobKind(function=function, title=title, describe=describe, waiting=waiting)


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


def job_start(*, request: HttpRequest, kind: str, params: dict) -> Job:
    """Create a job for the person making the request and queue it. With eager Celery it has run when this
    returns. `JobQueueUnavailableError` when the broker is down (the job is then marked failed)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **params}
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params, **_owner(request))
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    from kaikukeskus.tasks import run_job

    try:
        # No publishing retries: a broker that does not answer at once is reported to the person now, rather
        # than after the request has hung for the retries.
        run_job.apply_async(args=[str(job.pk)], retry=False)
    except Exception as error:  # kombu and redis raise several kinds of connection errors
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Job %s could not be queued: the Celery broker does not answer", job.pk, exc_info=True)
        job_fail(job.pk, error=f"not queued: {error!r}")
        raise JobQueueUnavailableError from error


# A database that went away, a storage that did not answer: worth another try (the Celery task retries with
# backoff); any other exception is a bug or bad data, and trying again would fail the same way.
TRANSIENT_ERRORS = (OperationalError, OSError)


def job_run(job_id: str) -> None:
    """Run the job (the Celery task's body). A finished job is left as it is, so a second delivery does no harm.
    The kind's exception marks the job failed (and is logged) rather than failing the task; a transient error
    (`TRANSIENT_ERRORS`) is raised for the task to retry."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=0, error="")

    def progress(percent: int, message: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), message=str(message)[:200])

    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            result = _KINDS[job.kind].function(job, progress)
        if isinstance(result, dict):
            _finish(job.pk, status=Job.Status.DONE, progress=100, outcome=result)
            return
        filename, content = result
        job.result.save(filename, ContentFile(content), save=False)
    except TRANSIENT_ERRORS:
        raise
    except JobRefusedError as refusal:
        _finish(job.pk, status=Job.Status.FAILED, error=f"refused: {refusal.outcome!r}", outcome=refusal.outcome)
        return
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job_fail(job.pk, error=repr(error))
        return
    _finish(job.pk, status=Job.Status.DONE, progress=100, result=job.result.name, result_name=filename)


def job_fail(job_id, *, error: str) -> None:
    _finish(job_id, status=Job.Status.FAILED, error=error)


def _finish(job_id, *, status: str, **fields) -> None:
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


def jobs_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """Forget jobs started longer ago than `older_than`, and their files (a job's file may be personal, and
    nobody follows a week-old job). The annual report PDFs kept for everybody (stats/pdf.py) are not jobs'
    files and stay."""
    old = Job.objects.filter(created_at__lt=timezone.now() - older_than)
    for job in old.exclude(result=""):
        job.result.delete(save=False)
    deleted, _detail = old.delete()
    return deleted


# --- Selectors --------------------------------------------------------------------------------------------


def _jobs_of(request: HttpRequest) -> QuerySet[Job]:
    """The jobs of the request's person: the user's, or an anonymous visitor's same session's."""
    if request.user.is_authenticated:
        return Job.objects.filter(owner=request.user)
    if request.session.session_key:
        return Job.objects.filter(owner__isnull=True, session_key=request.session.session_key)
    return Job.objects.none()


def job_for_request_or_404(*, request: HttpRequest, pk) -> Job:
    """The job if the request is its owner's (the user, or an anonymous visitor's same session); else 404."""
    job = _jobs_of(request).filter(pk=pk).first()
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


def status_text(job: Job) -> str:
    """What the page says of the job besides its progress."""
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
    if not job.is_finished or kind is None or kind.describe is None:
        return None
    return kind.describe(job)
