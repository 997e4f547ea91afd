"""Background jobs: long work (the annual report PDF, …) that Celery does for one person, who follows its
progress on the job's page (`/jobs/<uuid>/`) and downloads the result there.

An app registers a kind of job in its `AppConfig.ready()`::

    from kaikukeskus import jobs
    jobs.register("stats.annual_report", render_annual_report, title=_("Annual report"))

The function takes the job and a `progress(percent, message)` callback and returns `(filename, content)`; it
runs in the job's language (`params["language"]`) and must be safe to run twice (a worker that dies mid-job
hands it to another: `acks_late`). A view starts a job with `job_start(...)`, which creates the row and queues
the task; with eager Celery (the embedded default, the tests) the task runs inline, so the job is finished when
the view redirects to its page.

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
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaikukeskus.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
JobFunction = Callable[[Job, Progress], tuple[str, bytes]]


@dataclass(frozen=True)
class JobKind:
    function: JobFunction
    title: str  # what the job's page calls it (lazily translated)


_KINDS: dict[str, JobKind] = {}


class JobQueueUnavailableError(Exception):
    """The job could not be handed to Celery (the broker does not answer)."""


def register(kind: str, function: JobFunction, *, title) -> None:
    _KINDS[kind] = JobKind(function=function, title=title)


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
            filename, content = _KINDS[job.kind].function(job, progress)
        job.result.save(filename, ContentFile(content), save=False)
    except TRANSIENT_ERRORS:
        raise
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


def job_for_request_or_404(*, request: HttpRequest, pk) -> Job:
    """The job if the request is its owner's (the user, or an anonymous visitor's same session); else 404."""
    if request.user.is_authenticated:
        jobs = Job.objects.filter(owner=request.user)
    elif request.session.session_key:
        jobs = Job.objects.filter(owner__isnull=True, session_key=request.session.session_key)
    else:
        raise Http404
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def status_text(job: Job) -> str:
    """What the page says of the job besides its progress."""
    if job.status == Job.Status.FAILED:
        return _("The file could not be made. Please try again in a moment; if it fails again, contact Kaikukeskus.")
    return job.message or job.get_status_display()
