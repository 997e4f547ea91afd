"""The write kernel (kaikukeskus/history.py): who and a stable reason key, translated only when shown."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kaikukeskus import history
from localities.models import Locality
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db


def test_save_records_who_and_the_key_whatever_the_language(staff):
    locality = LocalityFactory()
    locality.description_fi = "Uusi kuvaus"
    with translation.override("sv"):
        history.save(locality, actor=staff, reason="edited")
    record = locality.history.latest()
    assert (record.history_user, record.history_change_reason) == (staff, "edited")
    with translation.override("fi"):
        assert history.reason_label(record.history_change_reason) == "Muokattu"
    with translation.override("sv"):
        assert history.reason_label(record.history_change_reason) == "Redigerad"


def test_a_visitor_or_the_system_is_stored_as_nobody():
    locality = LocalityFactory()
    history.save(locality, actor=AnonymousUser(), reason="edited")
    history.save(locality, actor=None, reason="edited")
    assert [record.history_user for record in locality.history.all()[:2]] == [None, None]


def test_save_checks_the_row_first_and_writes_nothing_when_it_is_invalid(staff):
    locality = LocalityFactory()
    before = locality.history.count()
    locality.name_fi = ""
    with pytest.raises(ValidationError):
        history.save(locality, actor=staff, reason="edited")
    assert locality.history.count() == before
    assert Locality.objects.get(pk=locality.pk).name_fi


def test_a_detail_follows_the_key_and_the_whole_fits_the_column():
    stored = history.with_detail("report.returned", "Korjaa  kävijät\n" * 20)
    assert stored.startswith("report.returned: Korjaa kävijät Korjaa") and len(stored) == history.REASON_LENGTH
    with translation.override("en"):
        assert history.reason_label(stored).startswith("Returned: Korjaa kävijät")


def test_an_unknown_or_old_reason_is_shown_as_it_was_stored():
    assert history.reason_label("Tallennettu") == "Tallennettu"
    assert history.reason_label("no such key: a detail") == "no such key: a detail"
    assert history.reason_label(None) == ""


def test_the_admin_history_shows_the_reason_in_the_readers_language(staff_client, staff):
    locality = LocalityFactory()
    history.save(locality, actor=staff, reason=history.with_detail("status", "preparing → piloting"))
    page = staff_client.get(reverse("admin:localities_locality_history", args=[locality.pk]), HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 200
    assert "Tila muuttui: preparing → piloting" in page.content.decode()
