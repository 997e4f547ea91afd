"""Browser checks of the working groups' list and the feedback meeting's planning page: axe finds nothing in
Finnish and Swedish, and at a phone's 390 px nothing is wider than the screen. The coordinator then plans a
meeting in Swedish and lands on its page."""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, log_in
from tests.e2e.test_ui_narrow_screens import MEASURE, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def member(transactional_db, password):
    from tests.cooperation.factories import ActionItemFactory, GroupMeetingFactory, MembershipFactory
    from tests.localities.factories import CoordinatorFactory, LocalityFactory

    locality = LocalityFactory(name_fi="Kajaani", name_sv="Kajana", slug="kajaani")
    user = CoordinatorFactory(locality=locality, user__email="aino@kajaani.example.fi").user
    membership = MembershipFactory(user=user, group__name_fi="Kulttuurihyvinvoinnin yhteistyöryhmä")
    meeting = GroupMeetingFactory(group=membership.group, minutes="Todettiin suunnitelma.")
    ActionItemFactory(meeting=meeting, due_on=timezone.localdate() - datetime.timedelta(days=3))
    return user


@pytest.mark.parametrize("prefix", ["", "/sv"])
def test_groups_and_meeting_planning_pages_are_accessible_on_a_phone(browser, live_server, member, password, prefix):
    from tests.e2e.conftest import _new_page

    context, page, problems = _new_page(browser, live_server, viewport=PHONE, locale="fi-FI")
    try:
        log_in(page, email=member.email, password=password, language_prefix=prefix)
        for path in ("/portal/groups/", "/portal/localities/kajaani/meetings/plan/"):
            page.goto(f"{prefix}{path}")
            assert page.locator("h1").count() == 1
            assert_accessible(page)
            assert page.evaluate(MEASURE) == [], path
        page.goto(f"{prefix}/portal/groups/")
        page.locator("main table a").first.click()
        assert_accessible(page)
        assert page.evaluate(MEASURE) == []
        if prefix == "/sv":
            page.goto(f"{prefix}/portal/localities/kajaani/meetings/plan/")
            day = timezone.localdate() + datetime.timedelta(days=10)
            page.locator("input[name=date]").fill(day.isoformat())
            page.locator("input[name=start_time]").fill("13:00")
            page.locator("input[name=place]").fill("Huvudbiblioteket")
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert "/meetings/" in page.url and "Responsmöte" in page.locator("h1").inner_text()
            assert_accessible(page)
            assert page.evaluate(MEASURE) == []
    finally:
        context.close()
    problems.assert_none()
