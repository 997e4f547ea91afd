"""/favicon.ico, which browsers ask for on pages that name no icon, answers with the site's icon, not a 404."""

import pytest
from django.templatetags.static import static


@pytest.mark.parametrize("method", ["get", "head"])
def test_favicon_ico_leads_to_the_site_icon(client, method):
    response = getattr(client, method)("/favicon.ico")

    assert response.status_code == 302
    assert response.headers["Location"] == static("img/favicon.svg")
