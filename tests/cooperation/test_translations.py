"""No English on the working groups' and the planned feedback meetings' Finnish and Swedish pages (the walk of
tests/test_translations.py, over these pages)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from localities.models import FeedbackMeeting
from tests.cooperation.factories import (
    ActionItemFactory,
    GroupMeetingFactory,
    MeetingAttendeeFactory,
    MeetingDocumentFactory,
    MembershipFactory,
)
from tests.localities.factories import FeedbackMeetingFactory
from tests.test_translations import LANGUAGES, english_msgids, post_and_read, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def msgids():
    return english_msgids()


@pytest.fixture
def language(request):
    from django.utils import translation

    with translation.override(request.param):
        yield request.param


def _pages(*, coordinator, locality) -> dict[str, str]:
    membership = MembershipFactory(user=coordinator, group__name_fi="Kulttuurihyvinvoinnin työryhmä")
    group = membership.group
    meeting = GroupMeetingFactory(group=group, minutes="Muistio", place="Teams")
    MeetingAttendeeFactory(meeting=meeting, membership=membership, name="")
    ActionItemFactory(meeting=meeting, due_on=timezone.localdate() - datetime.timedelta(days=2))
    MeetingDocumentFactory(meeting=meeting)
    planned = FeedbackMeetingFactory(
        locality=locality,
        state=FeedbackMeeting.State.PLANNED,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="Kirjasto",
        agenda="Kokemukset",
    )
    slug = {"slug": locality.slug}
    return {
        "groups": reverse("cooperation:group-list"),
        "group": reverse("cooperation:group-detail", kwargs={"pk": group.pk}),
        "meeting": reverse("cooperation:meeting-detail", kwargs={"pk": group.pk, "meeting_pk": meeting.pk}),
        "plan": reverse("localities:meeting-plan", kwargs=slug),
        "planned": reverse("localities:meeting-detail", kwargs={**slug, "pk": planned.pk}),
        "group-email": reverse("cooperation:group-email", kwargs={"pk": group.pk}),
    }


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_pages(client, coordinator, staff, locality, msgids, language):
    pages = _pages(coordinator=coordinator, locality=locality)
    client.force_login(coordinator)
    coordinator_pages = {name: url for name, url in pages.items() if name != "group-email"}
    assert walk(client, coordinator_pages, language=language, msgids=msgids) == {}
    assert post_and_read(client, pages["plan"], {"date": "x"}, language=language, msgids=msgids) == []
    client.force_login(staff)
    assert walk(client, pages, language=language, msgids=msgids) == {}
