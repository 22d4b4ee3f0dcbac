"""A page on another origin calls the registry in a real Chromium (CORS, core.http_conventions).

The registry runs on one loopback port; a retailer's page (a tiny HTML page) is served from
another, so the browser treats them as different origins and applies CORS: the page's script
verifies a label by GET, a pallet by a JSON POST (which the browser preflights), reads the
label URL's JSON with its ``ETag`` and ``Link`` headers, and cannot read a staff route.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

# Runs in the retailer's page: every call crosses origins. Each result says what the page
# could read, or the error the browser gave it.
SCRIPT = """async ({registry, label, path}) => {
  const read = async (request) => {
    try {
      const response = await request();
      return {status: response.status, body: await response.json(),
              etag: response.headers.get("ETag"), link: response.headers.get("Link")};
    } catch (error) {
      return {error: String(error)};
    }
  };
  return {
    single: await read(() => fetch(`${registry}/api/v1/verify?label=${encodeURIComponent(label)}`)),
    bulk: await read(() => fetch(`${registry}/api/v1/verify`, {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({labels: [label, "not a label"]})})),
    labelUrl: await read(() => fetch(`${registry}${path}`,
      {headers: {Accept: "application/json"}})),
    trustList: await read(() => fetch(`${registry}/.well-known/khatem/trust-list.json`)),
    staff: await read(() => fetch(`${registry}/api/v1/artisans`)),
    withCredentials: await read(() => fetch(`${registry}/api/v1/verify?label=x`,
      {credentials: "include"})),
  };
}"""


def test_a_retailers_page_on_another_origin_verifies_labels(
    browser: Any,
    registry: str,
    retailer: str,
    verify_client: Any,
    inspector: Actor,
    certificate: CertificateRef,
) -> None:
    [label] = issue(verify_client, inspector, certificate, 1)
    path = "/" + label.split("://", 1)[1].split("/", 1)[1]
    page = browser.new_page()
    assert page.goto(retailer + "/").status == 200
    assert page.evaluate("() => location.origin") != registry
    results = page.evaluate(SCRIPT, {"registry": registry, "label": label, "path": path})

    assert results["single"]["status"] == 200, results["single"]
    assert results["single"]["body"]["verdict"] == "AUTHENTIC"
    bulk = results["bulk"]
    assert bulk["status"] == 200, bulk
    assert [v["verdict"] for v in bulk["body"]["verdicts"]] == ["AUTHENTIC", "INVALID"]
    at_label = results["labelUrl"]
    assert at_label["status"] == 200 and at_label["body"]["verdict"] == "AUTHENTIC"
    assert at_label["etag"] and 'rel="linkset"' in at_label["link"]  # exposed headers
    assert results["trustList"]["status"] == 200
    # A staff route is not open to other origins: the browser hides its answer.
    assert "error" in results["staff"], results["staff"]
    # Nor does any route accept credentials from another origin.
    assert "error" in results["withCredentials"], results["withCredentials"]
    page.close()
