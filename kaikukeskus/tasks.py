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


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def run_job(self, job_id: str, attempt: int | None = None) -> None:
    """A background job's run `attempt` (kaikukeskus/jobs.py): retried with backoff on a transient error, then
    failed. Acknowledged when it ends, and handed back to the queue when its worker process dies."""
    from kaikukeskus import jobs

    try:
        jobs.job_run(job_id, attempt)
    except jobs.TRANSIENT_ERRORS as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            jobs.job_fail(job_id, error=repr(error), attempt=attempt)
            return
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def watch_jobs() -> dict:
    """Every minute: jobs whose worker is gone are run once more or failed (`jobs.jobs_watch`)."""
    from kaikukeskus import jobs

    return jobs.jobs_watch()


@shared_task(acks_late=True)
def send_queued_mail() -> dict[str, int]:
    """The outbox's delivery (kaikukeskus/mail.py): after each commit that queued mail, and every minute."""
    from kaikukeskus import mail

    return mail.deliver_queued()


@shared_task(acks_late=True)
def purge_sent_mail() -> int:
    from kaikukeskus import mail

    return mail.purge_sent()
