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
