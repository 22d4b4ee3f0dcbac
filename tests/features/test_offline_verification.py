"""Step definitions of ``offline_verification.feature`` (state through ``target_fixture``).

The registry is the real app on SQLite and PostgreSQL; the officer's device is a cache
directory filled by ``khatem verify sync`` (the ``sync_cache`` function behind it) and read
by the offline verifier alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when

import labeling.snapshots.publication as publication
from tests.offline.fixtures import TajineWorkshop
from tests.verification.fixtures import issue
from verify.cli import SyncError, sync_cache
from verify.label_codec import parse_label_uri
from verify.offline import OfflineSource
from verify.verdict import Verdict
from verify.verifier import verify_label

scenarios("offline_verification.feature")

REGISTRY = "http://testserver"
LABELS = "/.well-known/khatem/status/labels.json"


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Requesting ``db_url`` runs each scenario on SQLite and on PostgreSQL."""
    return db_url


@pytest.fixture
def device(tmp_path: Path) -> Path:
    """The officer's verifier cache directory."""
    return tmp_path / "khatem-verify"


@pytest.fixture
def check_time() -> dict[str, datetime]:
    """When the officer checks (set by the sync steps: data age is measured from it)."""
    return {"now": datetime.now(UTC)}


def _sync(client: httpx.Client, device: Path, root_vkey: str) -> None:
    sync_cache(client=client, registry=REGISTRY, directory=device, root_key=root_vkey)


def _sync_later(
    client: httpx.Client,
    device: Path,
    root_vkey: str,
    monkeypatch: pytest.MonkeyPatch,
) -> datetime:
    """Sync with snapshots the registry signs a minute from now; their issue time.

    A label's issue time is its minute, so data made within that minute cannot tell whether
    the label came before it (UNKNOWN offline, docs/offline-verification.md). The officer
    syncs later than the Background's label was issued: the registry's snapshot clock is
    set on by a minute instead of the test waiting for one.
    """
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)
    monkeypatch.setattr(publication, "utcnow", lambda: at)
    _sync(client, device, root_vkey)
    return at


## Given


@given("a Safi potter certified Madmoun for its culinary tajines", target_fixture="workshop")
def certified_potter(tajine_workshop: TajineWorkshop) -> TajineWorkshop:
    return tajine_workshop


@given("the registry issued a label for one of its tajines", target_fixture="tajine_label")
def tajine_label(verify_client: TestClient, workshop: TajineWorkshop) -> str:
    (uri,) = issue(verify_client, workshop.inspector, workshop.certificate, 1)
    return uri


@given("the customs officer synced the registry's data this morning")
def synced_this_morning(
    verify_client: TestClient,
    device: Path,
    root_vkey: str,
    check_time: dict[str, datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synced_at = _sync_later(verify_client, device, root_vkey, monkeypatch)
    check_time["now"] = synced_at + timedelta(hours=3)


@given("the customs officer synced the registry's data just now")
def synced_just_now(
    verify_client: TestClient, device: Path, root_vkey: str, check_time: dict[str, datetime]
) -> None:
    _sync(verify_client, device, root_vkey)
    check_time["now"] = datetime.now(UTC) + timedelta(hours=1)


@given(parsers.parse("the customs officer synced the registry's data {days:d} days ago"))
def synced_days_ago(
    verify_client: TestClient,
    device: Path,
    root_vkey: str,
    check_time: dict[str, datetime],
    days: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synced_at = _sync_later(verify_client, device, root_vkey, monkeypatch)
    check_time["now"] = synced_at + timedelta(days=days)


@given("the registry then issued another label for one of its tajines", target_fixture="new_label")
def new_label(verify_client: TestClient, workshop: TajineWorkshop) -> str:
    (uri,) = issue(verify_client, workshop.inspector, workshop.certificate, 1)
    return uri


@given("the tajine's label is then revoked because it was stolen from the workshop")
def label_revoked(verify_client: TestClient, workshop: TajineWorkshop, tajine_label: str) -> None:
    serial = parse_label_uri(tajine_label).serial
    page = verify_client.get("/api/v1/labels", headers=workshop.inspector.headers).json()
    (label,) = [item for item in page["items"] if item["serial"] == serial]
    response = verify_client.post(
        f"/api/v1/labels/{label['id']}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=workshop.inspector.headers,
    )
    assert response.status_code == 200, response.text


## When


@when("the officer checks the tajine's label without signal", target_fixture="verdict")
def check_offline(tajine_label: str, device: Path, check_time: dict[str, datetime]) -> Verdict:
    """No client at all: only the files on the device."""
    return verify_label(tajine_label, OfflineSource.from_directory(device), now=check_time["now"])


@when("the officer checks the new label without signal", target_fixture="verdict")
def check_new_label_offline(
    new_label: str, device: Path, check_time: dict[str, datetime]
) -> Verdict:
    return verify_label(new_label, OfflineSource.from_directory(device), now=check_time["now"])


@when("the officer syncs again")
def sync_again(verify_client: TestClient, device: Path, root_vkey: str) -> None:
    _sync(verify_client, device, root_vkey)


@when(
    "the officer syncs from a network that alters the registry's label snapshot",
    target_fixture="refusal",
)
def sync_through_tampering_network(
    verify_client: TestClient, device: Path, root_vkey: str
) -> SyncError:
    def tamper(request: httpx.Request) -> httpx.Response:
        answer = verify_client.get(request.url.path)
        body = answer.content
        if request.url.path == LABELS:
            # Someone on the path stretches the snapshot's life so stale data looks fresh.
            body = body.replace(b'"max_age":86400', b'"max_age":86399')
        return httpx.Response(answer.status_code, content=body)

    network = httpx.Client(transport=httpx.MockTransport(tamper))
    with pytest.raises(SyncError) as refused:
        _sync(network, device, root_vkey)
    return refused.value


## Then


@then(parsers.parse('the verdict is "{expected}"'))
def verdict_is(verdict: Verdict, expected: str) -> None:
    assert verdict.verdict.value == expected, verdict.model_dump(mode="json")
    assert verdict.mode == "offline"


@then(parsers.parse('the verdict is "{expected}" with the reason "{reason}"'))
def verdict_with_reason(verdict: Verdict, expected: str, reason: str) -> None:
    assert verdict.verdict.value == expected, verdict.model_dump(mode="json")
    check = verdict.check("label_status")
    assert check is not None and check.detail == {"reason_code": reason}


@then('the verdict is "UNKNOWN" because the data cannot know the label')
def unknown_newer_than_data(verdict: Verdict) -> None:
    assert verdict.verdict.value == "UNKNOWN", verdict.model_dump(mode="json")
    assert verdict.reasons == ("label_not_found",)
    assert verdict.data_as_of is not None and verdict.label is not None
    # The label's minute had not ended when the data was made.
    assert verdict.label.issued_at + timedelta(minutes=1) > verdict.data_as_of


@then("the officer reads the potter's name in Latin and in Arabic script")
def reads_names(verdict: Verdict) -> None:
    assert verdict.certificate is not None
    artisan = verdict.certificate.artisan
    assert any("a" <= char.lower() <= "z" for char in artisan.display_name_latin)
    assert any("\u0600" <= char <= "\u06ff" for char in artisan.display_name_arabic)
    assert verdict.certificate.conformity.scheme_code == "MADMOUN"


@then(parsers.parse("the officer is warned that the status data is {days:d} days old"))
def warned_stale(verdict: Verdict, days: int) -> None:
    check = verdict.check("data_freshness")
    assert check is not None and check.outcome.value == "warning"
    assert check.reason == "status_data_stale"
    assert check.detail is not None
    assert check.detail["age_seconds"] // 86_400 == days
    assert verdict.reasons == ("status_data_stale",)


@then(parsers.parse('the sync is refused because the "{message}"'))
def sync_refused(refusal: SyncError, message: str) -> None:
    assert message in str(refusal)


@then("nothing is stored on the officer's device")
def nothing_stored(device: Path) -> None:
    assert not device.exists() or not any(device.rglob("*.json"))
