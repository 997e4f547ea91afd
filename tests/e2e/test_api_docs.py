"""A developer reads the open data API's documentation: Swagger UI runs under the site's CSP (no errors in the
console), from our own static files, passes axe, and tries an endpoint; without JavaScript the page links the
OpenAPI document."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_docs_page_runs_under_the_csp_and_tries_an_endpoint(page, live_server):
    PartnerFactory(name="Teatteri")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else problems.append(request.url)
    )
    page.goto("/api/v1/docs/")
    # Every endpoint of the generated OpenAPI document, in its order.
    schema = json.loads(page.request.get("/api/v1/schema/?format=json").text())
    expect(page.locator(".opblock-summary-path")).to_have_text(sorted(schema["paths"]))
    assert "/api/v1/venues/" in schema["paths"]
    assert_accessible(page)
    page.locator(".opblock-summary-control", has=page.locator("[data-path='/api/v1/venues/']")).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".response-col_description .microlight").first).to_contain_text("Teatteri")
    assert_accessible(page)
    assert not problems


def test_docs_page_without_javascript_links_the_schema(page_without_js):
    page_without_js.goto("/api/v1/docs/")
    page_without_js.get_by_role("link", name="JSON").click()
    assert json.loads(page_without_js.locator("body").inner_text())["openapi"] == "3.1.0"
