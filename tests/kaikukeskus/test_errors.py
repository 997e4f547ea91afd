import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefix", "text"), [("", "Sivua ei löytynyt"), ("/sv", "Sidan hittades inte")])
def test_not_found_page_is_in_the_layout_and_language(client, settings, prefix, text):
    settings.DEBUG = False
    response = client.get(f"{prefix}/portal/localities/no-such-locality/")
    assert response.status_code in (302, 404)
    response = client.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_a_form_over_the_size_limit_is_a_400_that_names_the_cause(client, settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/sv/contact/", {"message": "x" * 2000})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Formuläret skickade mer text än portalen tar emot på en gång (1000\xa0byte" in page
    assert "tecken" not in page


def test_another_bad_request_is_not_blamed_on_characters(client, settings):
    settings.DEBUG = False
    response = client.get("/en/contact/", HTTP_HOST="bad host")
    assert response.status_code == 400
    assert "The portal could not read the request." in response.content.decode()
