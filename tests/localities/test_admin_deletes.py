"""The admin's deletes go through the services: a feedback meeting (with its follow-up actions), an agreement, a
locality and a prospect contact, on the row's delete page and with "delete selected", each recording the staff
member and the reason key `deleted` in the row's history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from localities import services
from localities.models import FeedbackMeeting, FollowUpAction, Locality, LocalityAgreement, ProspectContact
from tests.localities.factories import (
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityAgreementFactory,
    LocalityFactory,
    ProspectContactFactory,
)
from tests.networks.factories import PartnerFactory
from tests.stats.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _deleted_by(model, pk) -> tuple:
    record = model.history.filter(id=pk).latest()
    return record.history_type, record.history_user, record.history_change_reason


def _delete_page(client, model, row):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    return client.post(url, {"post": "yes"})


def _delete_selected(client, model, *rows):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"},
    )


ROWS = {
    FeedbackMeeting: lambda: FeedbackMeetingFactory(),
    LocalityAgreement: lambda: LocalityAgreementFactory(),
    Locality: lambda: LocalityFactory(),
    ProspectContact: lambda: ProspectContactFactory(),
}


@pytest.mark.parametrize("model", ROWS, ids=lambda model: model.__name__)
def test_a_row_deleted_on_its_page_or_in_bulk_records_the_staff_member(staff_client, staff, model):
    on_page, first, second = (ROWS[model]() for _ in range(3))

    assert _delete_page(staff_client, model, on_page).status_code == 302
    assert _delete_selected(staff_client, model, first, second).status_code == 302

    for row in (on_page, first, second):
        assert not model.objects.filter(pk=row.pk).exists()
        assert _deleted_by(model, row.pk) == ("-", staff, "deleted")


def test_a_meetings_follow_up_actions_go_with_it_recorded(staff_client, staff):
    action = FollowUpActionFactory()
    assert _delete_page(staff_client, FeedbackMeeting, action.meeting).status_code == 302
    assert _deleted_by(FollowUpAction, action.pk) == ("-", staff, "deleted")


def test_a_locality_with_partners_or_reports_is_not_deleted(staff_client, staff):
    with_partner = PartnerFactory().locality
    with_report = ReportFactory().locality

    for locality in (with_partner, with_report):
        with pytest.raises(ValidationError, match="ei voi poistaa"):
            services.locality_delete(actor=staff, locality=locality)
        # The admin's delete page names what holds it, as it did before, and deletes nothing.
        response = _delete_page(staff_client, Locality, locality)
        assert response.status_code == 200 and response.context["protected"]
    assert _delete_selected(staff_client, Locality, with_partner, with_report).status_code == 200
    assert Locality.objects.filter(pk__in=[with_partner.pk, with_report.pk]).count() == 2


def test_a_coordinator_deletes_none_of_these_rows(coordinator, locality, other_locality):
    """Neither their own locality's rows nor another's: these deletes are the staff's."""
    for place in (locality, other_locality):
        calls = [
            (services.feedback_meeting_delete, "meeting", FeedbackMeetingFactory(locality=place)),
            (services.agreement_delete, "agreement", LocalityAgreementFactory(locality=place)),
            (services.locality_delete, "locality", place),
            (services.prospect_contact_delete, "contact", ProspectContactFactory(locality=place)),
        ]
        for service, row_as, row in calls:
            with pytest.raises(PermissionDenied):
                service(actor=coordinator, **{row_as: row})
    assert FeedbackMeeting.objects.count() == LocalityAgreement.objects.count() == ProspectContact.objects.count() == 2
    assert Locality.objects.filter(pk__in=[locality.pk, other_locality.pk]).count() == 2
