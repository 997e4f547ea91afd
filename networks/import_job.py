"""A confirmed partner import runs as a background job (`kaikukeskus.jobs`): ten thousand rows take longer than
a web request may. The preview's confirmation starts the job (views.partner_import_preview); the coordinator
follows it on the job's page, which says what was imported, or why nothing was, and links onward."""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kaikukeskus import jobs
from kaikukeskus.models import Job
from networks import services
from networks.models import PartnerImport

JOB_KIND = "networks.partner_import"

Refused = services.ImportRefusedError


def job_params(upload: PartnerImport, *, sha256: str) -> dict:
    """What the job needs, and what tells a second confirmation of the same preview from a new one."""
    return {"upload": upload.pk, "sha256": sha256, "locality": upload.locality.slug}


def partner_import_job(job: Job, progress: jobs.Progress) -> dict:
    """The job's work (registered in `NetworksConfig.ready`): apply the upload as its owner, with the owner's
    scope checked now, all rows or none. Outcome `{"counts": …}`, or a refusal `{"reason": …}`."""
    upload = PartnerImport.objects.select_related("locality").filter(pk=job.params["upload"]).first()
    if upload is None:  # purged after a week
        raise jobs.JobRefusedError({"reason": Refused.EXPIRED})
    # The rows are checked and written in one transaction, whose progress nobody outside it could see.
    progress(10, _("Checking the rows against the partners and saving them"))
    try:
        counts = services.partner_import_apply(actor=job.owner, upload=upload, sha256=job.params["sha256"])
    except Refused as refusal:
        if refusal.reason != Refused.APPLIED:
            raise jobs.JobRefusedError({"reason": refusal.reason}) from refusal
        # Applied already: by this job on an earlier delivery that died before it could say so, or by another
        # confirmation of the same preview. The file was imported once; say what that import did.
        upload.refresh_from_db()
        counts = upload.plan.get("counts", {})
    return {"counts": counts}


def partner_import_outcome(job: Job) -> jobs.Outcome:
    """The job page's sentence and link, in the reader's language."""
    slug, pk = job.params["locality"], job.params["upload"]
    if job.status == Job.Status.DONE:
        return jobs.Outcome(
            message=_("Import done: %(new)s new, %(update)s updated, %(unchanged)s unchanged.")
            % {
                name: number_format(job.outcome["counts"].get(name, 0), force_grouping=True)
                for name in ("new", "update", "unchanged")
            },
            link_url=reverse("networks:partner-list", kwargs={"slug": slug}),
            link_text=_("Back to the partner list"),
        )
    heading = _("Nothing was imported")
    reason = job.outcome.get("reason")
    if reason == Refused.EXPIRED:
        return jobs.Outcome(
            message=Refused.message(reason),
            link_url=reverse("networks:partner-import", kwargs={"slug": slug}),
            link_text=_("Upload the file again"),
            heading=heading,
        )
    preview_url = reverse("networks:partner-import-preview", kwargs={"slug": slug, "pk": pk})
    if reason in (Refused.CHANGED, Refused.INVALID):
        return jobs.Outcome(
            message=Refused.message(reason),
            link_url=preview_url,
            link_text=_("Check the updated preview"),
            heading=heading,
        )
    return jobs.Outcome(
        message=_(
            "The import could not be finished, so nothing was imported. Please try again in a moment; if it fails "
            "again, contact Kaikukeskus."
        ),
        link_url=preview_url,
        link_text=_("Back to the preview"),
        heading=heading,
    )
