"""The staff workspace's locality pages: the pilot board (filters as a plain GET form, the same queries for 5
pilots and 40) and a locality's one page, whose statistics and trainings parts other apps add through
`localities.workspace`'s registry."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from localities import selectors, services
from localities.models import AccessRequest, Coordinator, Locality, WellbeingServicesCounty
from tests.localities.factories import (
    AccessRequestFactory,
    CoordinatorFactory,
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
    ProspectContactFactory,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("localities:staff-pilots")


def _today() -> datetime.date:
    return timezone.localdate()


def _pilot(**locality_fields) -> Locality:
    locality = LocalityFactory(**locality_fields)
    pilot = PilotFactory(locality=locality, milestones=False)
    MilestoneFactory(pilot=pilot, due_on=_today() - datetime.timedelta(days=3), title_fi="Aloituskokous pidetty")
    MilestoneFactory(pilot=pilot, due_on=_today() + datetime.timedelta(days=30))
    meeting = FeedbackMeetingFactory(locality=locality)
    FollowUpActionFactory(meeting=meeting, due_on=_today() - datetime.timedelta(days=1))
    return locality


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_board_shows_every_pilot_with_its_progress_and_overdue_work(staff_client):
    _pilot(name_fi="Kajaani")
    LocalityFactory(name_fi="Pysyvä", status=Locality.Status.PERMANENT)

    _count, page = _queries(staff_client, BOARD)

    assert "Kajaani" in page and "Pysyvä" not in page
    assert "0/2" in page  # progress
    assert "Aloituskokous pidetty" in page  # the next milestone (overdue) in the reader's language
    assert "1 välitavoite" in page and "1 toimenpide" in page
    assert reverse("localities:staff-locality", kwargs={"slug": Locality.objects.get(name_fi="Kajaani").slug}) in page


def test_the_board_filters_by_county_and_status_with_a_plain_get_form(staff_client):
    kainuu, lappi = WellbeingServicesCounty.objects.order_by("pk")[:2]
    _pilot(name_fi="Kajaani", county=kainuu)
    _pilot(name_fi="Rovaniemi", county=lappi, status=Locality.Status.PREPARING)

    _count, by_county = _queries(staff_client, f"{BOARD}?county={kainuu.pk}")
    assert "Kajaani" in by_county and "Rovaniemi" not in by_county
    _count, by_status = _queries(staff_client, f"{BOARD}?status=preparing")
    assert "Rovaniemi" in by_status and "Kajaani" not in by_status
    _count, nothing_late = _queries(staff_client, f"{BOARD}?overdue=on&county={lappi.pk}&status=piloting")
    assert "Rovaniemi" not in nothing_late and "Kajaani" not in nothing_late
    # An unknown value shows the whole board rather than an error.
    _count, unknown = _queries(staff_client, f"{BOARD}?status=nonsense")
    assert "Kajaani" in unknown and "Rovaniemi" in unknown
    assert '<form method="get"' in by_county


def test_the_board_makes_the_same_queries_for_5_pilots_and_40(staff_client):
    for _ in range(5):
        _pilot()
    few, _page = _queries(staff_client, BOARD)
    for _ in range(35):
        _pilot()
    many, page = _queries(staff_client, BOARD)
    assert many == few
    assert page.count('<th scope="row">') == 40


@pytest.fixture
def kajaani():
    from tests.stats.factories import ReportFactory, yearly_round
    from tests.trainings.factories import RegistrationFactory, TrainingFactory

    locality = _pilot(name_fi="Kajaani")
    coordinator = CoordinatorFactory(locality=locality, user__first_name="Aino").user
    ProspectContactFactory(locality=locality, summary="Ensimmäinen puhelu kulttuuritoimeen.")
    ReportFactory(round=yearly_round(2025), locality=locality, status="submitted")
    RegistrationFactory(
        training=TrainingFactory(past=True, title_fi="Perehdytyskoulutus"),
        user=coordinator,
        email=coordinator.email,
        name="Aino Koordinaattori",
        status="attended",
    )
    return locality


def test_a_localitys_page_has_everything_about_it_including_other_apps_parts(staff_client, kajaani):
    from stats.models import LocalityReport

    _count, page = _queries(staff_client, reverse("localities:staff-locality", kwargs={"slug": kajaani.slug}))

    assert f"<dd>{kajaani.get_status_display()}</dd>" in page
    assert "Ensimmäinen puhelu kulttuuritoimeen." in page  # the contacts log
    assert "Palautekokous" in page  # the meetings
    # The statistics' part (stats registers it): the report linked to its review.
    report = LocalityReport.objects.get(locality=kajaani)
    assert reverse("stats:staff-report", kwargs={"pk": report.pk}) in page
    # The trainings' part: the training its coordinator attended.
    assert "Perehdytyskoulutus" in page and "Aino Koordinaattori" in page


def test_a_localitys_page_makes_the_same_queries_however_long_its_history(staff_client, kajaani):
    from tests.stats.factories import ReportFactory, yearly_round
    from tests.trainings.factories import RegistrationFactory, TrainingFactory

    url = reverse("localities:staff-locality", kwargs={"slug": kajaani.slug})
    few, _page = _queries(staff_client, url)
    for year in range(2015, 2023):
        ReportFactory(round=yearly_round(year), locality=kajaani, status="approved")
    for _ in range(5):
        meeting = FeedbackMeetingFactory(locality=kajaani)
        FollowUpActionFactory(meeting=meeting)
        ProspectContactFactory(locality=kajaani)
        CoordinatorFactory(locality=kajaani)
        RegistrationFactory(training=TrainingFactory(past=True), locality=kajaani)
    many, _page = _queries(staff_client, url)
    assert many == few


def test_the_staff_front_page_links_the_workspace(staff_client):
    _pilot(name_fi="Kajaani")
    page = staff_client.get(reverse("portal")).content.decode()
    assert "Henkilökunnan työtila" in page
    for url in (BOARD, reverse("stats:staff-rounds"), reverse("stats:staff-years"), reverse("trainings:coverage")):
        assert f'href="{url}"' in page
    # The overdue milestone's locality opens its page in the workspace.
    assert reverse("localities:staff-locality", kwargs={"slug": Locality.objects.get(name_fi="Kajaani").slug}) in page


def test_coordinators_keep_their_own_front_page(coordinator_client):
    page = coordinator_client.get(reverse("portal")).content.decode()
    assert "Henkilökunnan työtila" not in page
    assert BOARD not in page


def test_the_admin_links_to_the_workspace_where_the_work_now_lives(staff_client):
    from tests.stats.factories import ReportFactory, yearly_round

    locality = _pilot(name_fi="Kajaani")
    report = ReportFactory(round=yearly_round(2025), locality=locality, status="submitted")
    staff_page = reverse("localities:staff-locality", kwargs={"slug": locality.slug})
    pages = {
        reverse("admin:localities_locality_change", args=[locality.pk]): staff_page,
        reverse("admin:localities_pilotboard_timeline", args=[locality.pk]): staff_page,
        reverse("admin:localities_pilotboard_changelist"): BOARD,
        reverse("admin:stats_localityreport_change", args=[report.pk]): reverse(
            "stats:staff-report", kwargs={"pk": report.pk}
        ),
        reverse("admin:stats_reportinground_change", args=[report.round_id]): reverse(
            "stats:staff-round", kwargs={"pk": report.round_id}
        ),
        reverse("admin:stats_nationalyear_changelist"): reverse("stats:staff-years"),
    }
    for admin_url, workspace_url in pages.items():
        response = staff_client.get(admin_url)
        assert response.status_code == 200, admin_url
        assert f'href="{workspace_url}"' in response.content.decode(), admin_url


# --- Access requests ------------------------------------------------------------------------------------------


def _access_requests_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("localities:staff-access-requests")


def _decide_url(access_request, language: str = "en") -> str:
    with translation.override(language):
        return reverse("localities:staff-access-request-decide", kwargs={"pk": access_request.pk})


def _decide(client, access_request, decision: str, note: str = ""):
    prefix = f"request-{access_request.pk}"
    return client.post(
        _decide_url(access_request), {f"{prefix}-decision": decision, f"{prefix}-note": note}, follow=True
    )


def test_the_front_page_counts_pending_requests_and_links_to_the_workspace_list(staff_client, coordinator):
    AccessRequestFactory(user=coordinator, locality=LocalityFactory(name_fi="Tornio", name_en="Tornio"))
    AccessRequestFactory(
        locality=LocalityFactory(name_fi="Oulu", name_en="Oulu"), status="declined", decided_at=timezone.now()
    )

    with translation.override("en"):
        front = staff_client.get(reverse("portal")).content.decode()
    assert "1 access request waits for a decision" in front
    assert _access_requests_url() in front

    page = staff_client.get(_access_requests_url()).content.decode()
    assert "Tornio" in page and "Oulu" not in page  # only what waits for a decision
    assert coordinator.email in page
    assert f'action="{_decide_url(AccessRequest.objects.get(status="pending"))}"' in page
    assert 'value="approve"' in page and 'value="decline"' in page


def test_staff_approve_a_request_from_the_workspace_through_the_service(
    staff_client, staff, coordinator, django_capture_on_commit_callbacks
):
    tornio = LocalityFactory(name_fi="Tornio", name_en="Tornio")
    access_request = AccessRequestFactory(user=coordinator, locality=tornio, side="culture")

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(staff_client, access_request, "approve", note="Welcome aboard!")

    assert response.redirect_chain[-1][0] == _access_requests_url()
    page = response.content.decode()
    assert f"{coordinator.display_name} now coordinates Tornio and is told by e-mail." in page
    assert "No access request waits for a decision." in page
    access_request.refresh_from_db()
    assert (access_request.status, access_request.decided_by) == ("approved", staff)
    assert access_request.history.latest().history_user == staff
    assert Coordinator.objects.active().filter(user=coordinator, locality=tornio, side="culture").exists()
    assert len(mail.outbox) == 1 and "Welcome aboard!" in mail.outbox[0].body


def test_staff_decline_a_request_with_a_message_and_open_nothing(
    staff_client, coordinator, django_capture_on_commit_callbacks
):
    tornio = LocalityFactory(name_fi="Tornio", name_en="Tornio")
    access_request = AccessRequestFactory(user=coordinator, locality=tornio)

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(staff_client, access_request, "decline", note="Ask your manager first.")

    assert f"The request of {coordinator.display_name} for Tornio is declined" in response.content.decode()
    access_request.refresh_from_db()
    assert (access_request.status, access_request.decision_note) == ("declined", "Ask your manager first.")
    assert not Coordinator.objects.filter(user=coordinator, locality=tornio).exists()
    assert mail.outbox[0].to == [coordinator.email] and "Ask your manager first." in mail.outbox[0].body


def test_a_request_decided_meanwhile_is_not_decided_twice(
    staff_client, staff, coordinator, django_capture_on_commit_callbacks
):
    access_request = AccessRequestFactory(user=coordinator, locality=LocalityFactory())
    services.access_request_decline(actor=staff, access_request=access_request)

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(staff_client, access_request, "approve")

    assert "This request has been decided already." in response.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == "declined"
    assert not Coordinator.objects.filter(user=coordinator, locality=access_request.locality).exists()
    assert mail.outbox == []


def test_a_post_without_a_decision_shows_the_list_with_the_error(staff_client, coordinator):
    access_request = AccessRequestFactory(user=coordinator, locality=LocalityFactory(name_fi="Tornio"))

    response = staff_client.post(_decide_url(access_request), {f"request-{access_request.pk}-note": "Hmm"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please check the form" in page and "Hmm" in page  # what was typed stays
    access_request.refresh_from_db()
    assert access_request.status == "pending"


def test_only_staff_see_pending_requests_through_the_selector(staff, coordinator):
    AccessRequestFactory(user=coordinator, locality=LocalityFactory())
    assert selectors.pending_access_requests(user=staff).count() == 1
    assert not selectors.pending_access_requests(user=coordinator).exists()


def test_the_access_request_list_makes_the_same_queries_for_3_requests_and_20(staff_client):
    for _ in range(3):
        AccessRequestFactory()
    few, _page = _queries(staff_client, _access_requests_url())
    for _ in range(17):
        AccessRequestFactory()
    many, page = _queries(staff_client, _access_requests_url())
    assert many == few
    assert page.count('value="approve"') == 20
