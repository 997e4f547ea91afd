from celery import shared_task


@shared_task(acks_late=True)
def ping() -> str:
    """A round trip through the broker for health checks and the worker test."""
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


@shared_task(acks_late=True, ignore_result=True)
def send_queued_mail() -> dict[str, int]:
    """The outbox's delivery (kaikukeskus/mail.py): after each commit that queued mail, and every minute."""
    from kaikukeskus import mail

    return mail.deliver_queued()


@shared_task(acks_late=True)
def purge_sent_mail() -> int:
    from kaikukeskus import mail

    return mail.purge_sent()
