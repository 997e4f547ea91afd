"""A read-only request asks a question its parts share once (`kaikukeskus.request_memo`); anything else asks
every time, so an answer never outlives a change."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaikukeskus.request_memo import RequestMemoMiddleware, once_per_request
from localities.models import Coordinator
from localities.permissions import is_coordinator

pytestmark = pytest.mark.django_db

MEMBERSHIP_CHECK = 'SELECT 1 AS "a" FROM "localities_coordinator"'


def test_the_portal_front_page_asks_once_whether_the_user_coordinates(coordinator_client):
    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get(reverse("portal"))
    assert response.status_code == 200
    # Each panel and the navigation ask it (a dozen times before).
    assert [query["sql"] for query in queries if query["sql"].startswith(MEMBERSHIP_CHECK)] != []
    assert sum(query["sql"].startswith(MEMBERSHIP_CHECK) for query in queries) == 1


def test_outside_a_request_every_question_is_asked_again(coordinator):
    assert is_coordinator(user=coordinator)
    Coordinator.objects.filter(user=coordinator).update(ended_on=timezone.localdate())
    assert not is_coordinator(user=coordinator)


def _run(method: str, calls: list[int]) -> None:
    def view(request):
        for _ in range(2):
            once_per_request("key", lambda: calls.append(1) or len(calls))
        return HttpResponse("ok")

    RequestMemoMiddleware(view)(getattr(RequestFactory(), method.lower())("/"))


@pytest.mark.parametrize(("method", "computed"), [("GET", 1), ("HEAD", 1), ("POST", 2)])
def test_only_read_only_requests_remember(method, computed):
    calls: list[int] = []
    _run(method, calls)
    assert len(calls) == computed
    _run(method, calls)  # the next request starts afresh
    assert len(calls) == 2 * computed
