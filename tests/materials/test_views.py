import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from materials.models import MaterialDownloadDay, MaterialVersion
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file
from tests.materials.files import ooxml_bytes

pytestmark = pytest.mark.django_db
S = MaterialVersion.Status


@pytest.fixture
def default_language() -> str:
    return "fi"  # the pages in Finnish, the site's default


def _library_rows(count: int):
    for index in range(count):
        version = PublishedVersionFactory(material=MaterialFactory(kind=["guideline", "manual", "poster"][index % 3]))
        add_file(version, "fi")
        add_file(version, "sv")


@pytest.mark.parametrize("rows", [5, 50])
def test_the_library_makes_the_same_queries_for_any_number_of_materials(client, django_assert_num_queries, rows):
    _library_rows(rows)
    # + the footer's published site pages (communications.context_processors)
    with django_assert_num_queries(5):  # the public data version (changed by the rows) and the library's three
        response = client.get(reverse("materials:library"))
    assert response.status_code == 200
    assert len(response.context["materials"]) == rows


def test_the_library_filters_by_kind_audience_language_and_words(client):
    guideline = PublishedVersionFactory(
        material=MaterialFactory(kind="guideline", audience="coordinators", title_fi="Valtakunnallinen toimintamalli")
    )
    add_file(guideline, "fi")
    poster = PublishedVersionFactory(material=MaterialFactory(kind="poster", audience="public", title_fi="Juliste"))
    add_file(poster, "sv")
    url = reverse("materials:library")

    def slugs(**query):
        return [material.slug for material in client.get(url, query).context["materials"]]

    assert slugs(kind="guideline") == [guideline.material.slug]
    assert slugs(audience="public") == [poster.material.slug]
    assert slugs(language="sv") == [poster.material.slug]
    assert slugs(q="toimintamalli") == [guideline.material.slug]


def test_the_library_hides_private_materials_drafts_and_withdrawn_ones_from_visitors(client, coordinator):
    add_file(PublishedVersionFactory(material=MaterialFactory(slug="public-one")))
    add_file(PublishedVersionFactory(material=MaterialFactory(slug="for-coordinators", visibility="coordinators")))
    add_file(PublishedVersionFactory(material=MaterialFactory(slug="for-staff", visibility="staff")))
    add_file(VersionFactory(material=MaterialFactory(slug="only-a-draft")))
    add_file(PublishedVersionFactory(material=MaterialFactory(slug="withdrawn"), status=S.WITHDRAWN))
    url = reverse("materials:library")
    assert [m.slug for m in client.get(url).context["materials"]] == ["public-one"]
    client.force_login(coordinator)
    assert sorted(m.slug for m in client.get(url).context["materials"]) == ["for-coordinators", "public-one"]


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "visitor"])
def test_a_staff_only_material_answers_404_by_every_url_but_to_staff(client, role, coordinator, visitor, staff):
    material = MaterialFactory(slug="internal", visibility="staff")
    material_file = add_file(PublishedVersionFactory(material=material), "fi")
    urls = [
        reverse("materials:detail", kwargs={"slug": "internal"}),
        reverse("materials:latest", kwargs={"slug": "internal", "language": "fi"}),
        reverse(
            "materials:download",
            kwargs={"slug": "internal", "pk": material_file.pk, "name": material_file.download_name},
        ),
    ]
    if role != "anonymous":
        client.force_login({"coordinator": coordinator, "visitor": visitor}[role])
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert "internal" not in client.get("/api/v1/materials/").content.decode()
    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [200, 302, 200]


def test_staff_reach_staff_only_materials_and_drafts_only_with_the_second_factor_set(client, staff, settings):
    """Where two-factor authentication is required, staff without it are nobody special outside the portal and
    the admin too: a staff-only material and drafts' files answer 404 as to a visitor."""
    settings.STAFF_MFA_REQUIRED = True
    material = MaterialFactory(slug="internal", visibility="staff")
    add_file(PublishedVersionFactory(material=material), "fi")
    draft_file = add_file(VersionFactory(material=material, label="draft"), "sv")
    public_draft = add_file(VersionFactory(material=MaterialFactory(slug="public-one")), "fi")
    urls = [
        reverse("materials:detail", kwargs={"slug": "internal"}),
        reverse("materials:download", kwargs={"slug": "internal", "pk": draft_file.pk, "name": "x.pdf"}),
        reverse("materials:download", kwargs={"slug": "public-one", "pk": public_draft.pk, "name": "x.pdf"}),
    ]
    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [200, 302, 302]  # the file, by its right name


def test_the_detail_shows_current_files_and_older_versions_with_their_changes(client):
    material = MaterialFactory(slug="guideline", kind="guideline")
    old = PublishedVersionFactory(
        material=material, label="2022", status=S.SUPERSEDED, changes_fi="Ensimmäinen versio."
    )
    add_file(old, "en")
    current = PublishedVersionFactory(material=material, label="2024", changes_fi="Luku 3 uusittu.")
    add_file(current, "fi")
    add_file(current, "fi", name="malli.docx", content=ooxml_bytes("docx", text="x"))
    PublishedVersionFactory(material=material, label="wrong", status=S.WITHDRAWN, changes_fi="Vetäisty.")
    response = client.get(reverse("materials:detail", kwargs={"slug": "guideline"}))
    page = response.content.decode()
    assert "Luku 3 uusittu." in page and "Ensimmäinen versio." in page and "Vetäisty." not in page
    assert "DOCX" in page and "PDF" in page and "nglanti" in page
    assert reverse("materials:latest", kwargs={"slug": "guideline", "language": "fi"}) in page
    assert "Käännökset" not in page  # the translation status is for staff


def test_staff_see_which_translations_are_outdated(client, staff):
    material = MaterialFactory(slug="guideline")
    old = PublishedVersionFactory(material=material, label="2022", status=S.SUPERSEDED)
    add_file(old, "en")
    add_file(PublishedVersionFactory(material=material, label="2024"), "fi")
    client.force_login(staff)
    response = client.get(reverse("materials:detail", kwargs={"slug": "guideline"}))
    statuses = {status.language: status for status in response.context["translations"]}
    assert statuses["fi"].in_current
    assert not statuses["en"].in_current and statuses["en"].newest.label == "2022"


def test_the_stable_link_leads_to_the_current_file_pdf_first(client):
    material = MaterialFactory(slug="guideline")
    old = PublishedVersionFactory(material=material, label="2022", status=S.SUPERSEDED)
    add_file(old, "fi")
    current = PublishedVersionFactory(material=material, label="2024")
    docx = add_file(current, "fi", name="malli.docx", content=ooxml_bytes("docx", text="y"))
    pdf = add_file(current, "fi")
    url = reverse("materials:latest", kwargs={"slug": "guideline", "language": "fi"})
    assert client.get(url)["Location"].endswith(f"/files/{pdf.pk}/{pdf.download_name}")
    assert client.get(url, {"format": "docx"})["Location"].endswith(f"/files/{docx.pk}/{docx.download_name}")


def test_the_stable_link_offers_the_newest_older_file_with_a_note_when_the_current_lacks_the_language(client):
    material = MaterialFactory(slug="guideline")
    add_file(PublishedVersionFactory(material=material, label="2020", status=S.SUPERSEDED), "en")
    newest_english = add_file(PublishedVersionFactory(material=material, label="2022", status=S.SUPERSEDED), "en")
    add_file(PublishedVersionFactory(material=material, label="2024"), "fi")
    response = client.get("/en/materials/guideline/latest/en/")
    assert response.status_code == 200
    assert response.context["file"] == newest_english
    assert "a newer version exists in other languages" in response.content.decode()
    assert client.get("/materials/guideline/latest/sv/").status_code == 404
    assert client.get("/materials/guideline/latest/xx/").status_code == 404


def test_a_public_download_has_type_disposition_etag_cache_headers_and_is_counted(client):
    material_file = add_file(PublishedVersionFactory(material=MaterialFactory(slug="guideline"), label="2024"), "sv")
    url = reverse(
        "materials:download", kwargs={"slug": "guideline", "pk": material_file.pk, "name": material_file.download_name}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="kaikukortti-guideline-2024-sv.pdf"'
    assert response["ETag"] == f'"{material_file.sha256}"'
    assert response["Cache-Control"] == "public, no-cache"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    again = client.get(url, HTTP_IF_NONE_MATCH=f'"{material_file.sha256}"')
    assert again.status_code == 304
    assert MaterialDownloadDay.objects.get(file=material_file).count == 1


def test_svg_and_office_files_are_attachments_and_private_materials_no_store(client, coordinator):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    material = MaterialFactory(slug="logo", visibility="coordinators")
    material_file = add_file(PublishedVersionFactory(material=material, label="1"), "fi", name="logo.svg", content=svg)
    material_file.format = "svg"
    material_file.save()
    client.force_login(coordinator)
    response = client.get(
        reverse(
            "materials:download", kwargs={"slug": "logo", "pk": material_file.pk, "name": material_file.download_name}
        )
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_wrong_file_name_redirects_to_the_right_one_and_a_draft_file_is_404(client):
    material_file = add_file(PublishedVersionFactory(material=MaterialFactory(slug="m")), "fi")
    url = reverse("materials:download", kwargs={"slug": "m", "pk": material_file.pk, "name": "other.pdf"})
    assert client.get(url)["Location"].endswith(material_file.download_name)
    draft_file = add_file(VersionFactory(material=material_file.version.material), "sv")
    url = reverse("materials:download", kwargs={"slug": "m", "pk": draft_file.pk, "name": draft_file.download_name})
    assert client.get(url).status_code == 404
    other = reverse(
        "materials:download", kwargs={"slug": "other", "pk": material_file.pk, "name": material_file.download_name}
    )
    assert client.get(other).status_code == 404


def test_a_coordinator_follows_and_unfollows(client, coordinator):
    from materials import selectors

    material = MaterialFactory(slug="m")
    add_file(PublishedVersionFactory(material=material))
    client.force_login(coordinator)
    url = reverse("materials:follow", kwargs={"slug": "m"})
    client.post(url, {"following": "1"})
    assert selectors.is_following(user=coordinator, material=material)
    response = client.post(url, {"following": "0"}, follow=True)
    assert not selectors.is_following(user=coordinator, material=material)
    assert "Et enää seuraa" in response.content.decode()


def test_the_stable_link_of_a_material_whose_current_version_was_withdrawn_leads_nowhere(client, staff):
    from materials import services

    material = MaterialFactory(slug="guideline")
    add_file(PublishedVersionFactory(material=material, label="2022", status=S.SUPERSEDED), "fi")
    current = PublishedVersionFactory(material=material, label="2024")
    add_file(current, "fi")
    services.material_version_withdraw(actor=staff, version=current, reason="Virhe")
    assert client.get("/materials/guideline/latest/fi/").status_code == 404
    page = client.get("/materials/guideline/").content.decode()
    assert "Kaikukeskus on vetänyt sen pois" in page
