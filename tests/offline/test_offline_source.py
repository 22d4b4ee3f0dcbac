"""The offline verifier's verdicts: the same model as online, from signed files alone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.offline.simulator import NOW, Registry, tajine_certificate
from verify.offline import OfflineDataError, OfflineSource, load_offline_data
from verify.snapshot import verify_certificate_snapshot, verify_label_status_snapshot
from verify.trust_list import verify_trust_list
from verify.verdict import Overall, Verdict
from verify.verifier import verify_label

DAY = timedelta(days=1)


def _source(registry: Registry, *, issued_at=NOW, trust_issued_at=None) -> OfflineSource:  # type: ignore[no-untyped-def]
    root = registry.root_public
    return OfflineSource(
        verify_trust_list(
            registry.trust_list(issued_at=trust_issued_at or issued_at), root_public_key=root
        ),
        verify_label_status_snapshot(
            registry.label_snapshot(issued_at=issued_at), root_public_key=root
        ),
        verify_certificate_snapshot(
            registry.certificate_snapshot(issued_at=issued_at), root_public_key=root
        ),
    )


def _reasons(verdict: Verdict) -> dict[str, str]:
    return {check.name: check.reason for check in verdict.checks}


@pytest.fixture
def registry() -> Registry:
    return Registry()


def test_a_genuine_label_with_fresh_data_is_authentic(registry: Registry) -> None:
    uri = registry.issue()
    verdict = verify_label(uri, _source(registry), now=NOW + timedelta(hours=2))
    assert verdict.verdict is Overall.AUTHENTIC
    assert verdict.mode == "offline"
    assert _reasons(verdict) == {
        "signature": "signature_valid",
        "issuer_key": "key_trusted",
        "label_status": "label_not_listed",
        "certificate_status": "certificate_active",
        "certificate_validity": "issued_within_validity",
        "conformity": "conformity_recorded",
        "log_inclusion": "not_checked_offline",
        "data_freshness": "data_fresh",
    }
    assert verdict.certificate is not None
    assert verdict.certificate.artisan.display_name_arabic == "ورشة السرغيني"
    assert verdict.data_as_of == NOW


def test_a_revoked_label_is_revoked_with_its_reason(registry: Registry) -> None:
    uri = registry.issue("8G4M3NQ0YC")
    registry.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
    verdict = verify_label(uri, _source(registry), now=NOW)
    assert verdict.verdict is Overall.REVOKED
    check = verdict.check("label_status")
    assert check is not None and check.reason == "label_revoked"
    assert check.detail == {"reason_code": "lost_or_stolen"}


def test_a_suspended_label_is_suspended(registry: Registry) -> None:
    uri = registry.issue("9H5N4PR1ZD")
    registry.set_status("9H5N4PR1ZD", "suspended", "inspection_hold")
    assert verify_label(uri, _source(registry), now=NOW).verdict is Overall.SUSPENDED


def test_a_withdrawn_certificate_makes_its_labels_revoked(registry: Registry) -> None:
    registry.certificates = [tajine_certificate(status="withdrawn", reason="fraud")]
    verdict = verify_label(registry.issue(), _source(registry), now=NOW)
    assert verdict.verdict is Overall.REVOKED
    assert _reasons(verdict)["certificate_status"] == "certificate_withdrawn"


def test_a_certificate_the_snapshot_does_not_know_is_unknown_offline(registry: Registry) -> None:
    uri = registry.issue(certificate_code=0x0BADC0DE)
    verdict = verify_label(uri, _source(registry), now=NOW)
    assert verdict.verdict is Overall.UNKNOWN
    assert _reasons(verdict)["certificate_status"] == "certificate_not_found"


def test_a_key_the_trust_list_does_not_know_is_unknown_offline(registry: Registry) -> None:
    uri = registry.issue(key=Ed25519PrivateKey.generate())
    verdict = verify_label(uri, _source(registry), now=NOW)
    assert verdict.verdict is Overall.UNKNOWN
    assert _reasons(verdict)["issuer_key"] == "key_unknown"


def test_a_label_with_an_altered_serial_is_invalid(registry: Registry) -> None:
    uri = registry.issue("7F3K2MQ9XB").replace("/21/7F3K2MQ9XB", "/21/7F3K2MQ9XC")
    verdict = verify_label(uri, _source(registry), now=NOW)
    assert verdict.verdict is Overall.INVALID
    assert _reasons(verdict)["signature"] == "signature_invalid"
    assert _reasons(verdict)["label_status"] == "not_checked"


def test_garbage_is_invalid_not_an_error(registry: Registry) -> None:
    verdict = verify_label("HTTPS://KHATEM.MA/01/123", _source(registry), now=NOW)
    assert verdict.verdict is Overall.INVALID
    assert [c.name for c in verdict.checks][0] == "signature"


def test_a_week_old_snapshot_warns_with_its_age(registry: Registry) -> None:
    verdict = verify_label(registry.issue(), _source(registry), now=NOW + 7 * DAY)
    assert verdict.verdict is Overall.AUTHENTIC_WITH_WARNINGS
    check = verdict.check("data_freshness")
    assert check is not None and check.reason == "status_data_stale"
    assert check.detail is not None and check.detail["age_seconds"] == 7 * 86_400
    assert verdict.reasons == ("status_data_stale",)


def test_a_stale_trust_list_alone_warns_too(registry: Registry) -> None:
    source = _source(registry, issued_at=NOW, trust_issued_at=NOW - 2 * DAY)
    verdict = verify_label(registry.issue(), source, now=NOW + timedelta(hours=1))
    assert verdict.verdict is Overall.AUTHENTIC_WITH_WARNINGS
    assert verdict.reasons == ("trust_list_stale",)


def test_status_data_older_than_30_days_cannot_vouch_for_a_label(registry: Registry) -> None:
    verdict = verify_label(registry.issue(), _source(registry), now=NOW + 31 * DAY)
    assert verdict.verdict is Overall.UNKNOWN
    assert _reasons(verdict)["data_freshness"] == "status_data_expired"


def test_old_status_data_still_proves_a_revocation(registry: Registry) -> None:
    uri = registry.issue("8G4M3NQ0YC")
    registry.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
    verdict = verify_label(uri, _source(registry), now=NOW + 60 * DAY)
    assert verdict.verdict is Overall.REVOKED


def test_old_status_data_does_not_prove_a_suspension_still_holds(registry: Registry) -> None:
    uri = registry.issue("9H5N4PR1ZD")
    registry.set_status("9H5N4PR1ZD", "suspended", "inspection_hold")
    verdict = verify_label(uri, _source(registry), now=NOW + 60 * DAY)
    assert verdict.verdict is Overall.UNKNOWN


def test_the_verdict_serialises_to_the_shared_json_shape(registry: Registry) -> None:
    data = verify_label(registry.issue(), _source(registry), now=NOW).model_dump(mode="json")
    assert data["verdict"] == "AUTHENTIC"
    assert data["mode"] == "offline"
    assert data["certificate"]["artisan"]["region"] == {"code": "MA-07", "name": "Marrakech-Safi"}
    assert data["data_as_of"] == "2026-11-26T10:00:00Z"


def test_a_cache_directory_loads_with_its_pinned_root(registry: Registry, tmp_path: Path) -> None:
    registry.write_cache(tmp_path)
    source = OfflineSource.from_directory(tmp_path)
    assert verify_label(registry.issue(), source, now=NOW).verdict is Overall.AUTHENTIC


def test_a_cache_with_a_tampered_snapshot_does_not_load(registry: Registry, tmp_path: Path) -> None:
    registry.write_cache(tmp_path)
    path = tmp_path / "status" / "labels.json"
    path.write_bytes(path.read_bytes().replace(b'"max_age":86400', b'"max_age":86401'))
    with pytest.raises(OfflineDataError, match="signature does not verify"):
        load_offline_data(tmp_path)


def test_a_cache_without_a_pinned_root_does_not_load(registry: Registry, tmp_path: Path) -> None:
    registry.write_cache(tmp_path, pin=False)
    with pytest.raises(OfflineDataError, match="no root key is pinned"):
        load_offline_data(tmp_path)


def test_a_cache_pinned_to_another_root_does_not_load(registry: Registry, tmp_path: Path) -> None:
    registry.write_cache(tmp_path, pin=False)
    (tmp_path / "root.vkey").write_text(Registry().vkey, encoding="ascii")
    with pytest.raises(OfflineDataError, match="pinned root key"):
        load_offline_data(tmp_path)
