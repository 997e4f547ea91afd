from celery import shared_task


@shared_task(acks_late=True, ignore_result=False)
def ping() -> str:
    """A round trip through the broker for health checks and the worker test (the one task whose result is
    read)."""
    return "pong"


@shared_task(acks_late=True)
def purge_old_jobs() -> int:
    from kaikukeskus import jobs

    return jobs.jobs_purge()


@shared_task(bind=True, acks_late=True, max_retries=3)
def run_job(self, job_id: str) -> None:
    """A background job (kaikukeskus/jobs.py): retried with backoff on a transient error, then failed."""
    from kaikukeskus import jobs

    try:
        jobs.job_run(job_id)
    except jobs.TRANSIENT_ERRORS as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            jobs.job_fail(job_id, error=repr(error))
            return
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error
