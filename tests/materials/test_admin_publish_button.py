"""A material version is published from its own page too (not only with the list's action), through the same
service, and the list's message counts in the reader's language with the right plural."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from tests.materials.factories import PublishedVersionFactory, VersionFactory, add_file

pytestmark = pytest.mark.django_db


def test_the_version_page_has_a_publish_button_that_asks_first(staff_client):
    current = PublishedVersionFactory(label="2024")
    draft = VersionFactory(material=current.material, label="2026")
    add_file(draft)

    change = staff_client.get(reverse("admin:materials_materialversion_change", args=[draft.pk])).content.decode()
    url = reverse("admin:materials_materialversion_publish", args=[draft.pk])
    assert f'href="{url}"' in change

    confirm = staff_client.get(url)
    assert confirm.status_code == 200
    assert str(current) in confirm.content.decode()  # says which version it supersedes
    draft.refresh_from_db()
    assert draft.status == "draft"  # a GET publishes nothing

    response = staff_client.post(url, {"published_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    current.refresh_from_db()
    draft.refresh_from_db()
    assert (current.status, draft.status) == ("superseded", "published")
    assert draft.history.latest().history_change_reason == "published"
    assert f'href="{url}"' not in staff_client.get(response["Location"]).content.decode()


def test_a_draft_without_files_is_refused_on_the_page(staff_client):
    draft = VersionFactory(label="2026")
    url = reverse("admin:materials_materialversion_publish", args=[draft.pk])

    response = staff_client.post(url, {"published_on": timezone.localdate().isoformat()})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("fi", "1 versio julkaistu.", "2 versiota julkaistu."),
        ("sv", "1 version publicerad.", "2 versioner publicerade."),
        ("en", "1 version published.", "2 versions published."),
    ],
)
def test_the_publish_action_says_its_count_with_the_right_plural(staff_client, language, one, two):
    with translation.override(language):
        changelist = reverse("admin:materials_materialversion_changelist")
    said = []
    for count in (1, 2):
        drafts = [VersionFactory() for _ in range(count)]
        for draft in drafts:
            add_file(draft)
        response = staff_client.post(changelist, {"action": "publish", "_selected_action": [str(d.pk) for d in drafts]})
        said.append([str(m) for m in get_messages(response.wsgi_request)])
    assert one in said[0]
    assert two in said[1]
