"""A label issued after the offline data was made is never AUTHENTIC offline (the promise of
docs/retailer-api.md, "Offline"): the data cannot know it, so the verdict is UNKNOWN with
``label_not_found``.

A label's ``issued_at`` is a minute, floored: the label was issued somewhere in
``[issued_at, issued_at + 1 min)``. Data made at ``data_as_of`` (whole seconds, the older
status snapshot's ``issued_at``) can vouch for it only if that whole minute had ended:
``issued_at + 1 min <= data_as_of``. The clock is frozen (``now`` is passed, and the CLI's
``_now`` patched); nothing depends on the real time.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import verify.cli as cli
from tests.offline.simulator import NOW, Registry
from verify.offline import LABEL_TIME_STEP, OfflineSource
from verify.snapshot import verify_certificate_snapshot, verify_label_status_snapshot
from verify.trust_list import verify_trust_list
from verify.verdict import Overall, Verdict
from verify.verifier import verify_label

MINUTE = timedelta(minutes=1)
#: The offline data is read an hour after it was made: fresh, so freshness plays no part.
LATER = timedelta(hours=1)


def _source(
    registry: Registry, *, labels_at: datetime, certificates_at: datetime | None = None
) -> OfflineSource:
    root = registry.root_public
    return OfflineSource(
        verify_trust_list(registry.trust_list(issued_at=labels_at), root_public_key=root),
        verify_label_status_snapshot(
            registry.label_snapshot(issued_at=labels_at), root_public_key=root
        ),
        verify_certificate_snapshot(
            registry.certificate_snapshot(issued_at=certificates_at or labels_at),
            root_public_key=root,
        ),
    )


def _label_status(verdict: Verdict) -> str:
    check = verdict.check("label_status")
    assert check is not None
    return check.reason


@pytest.fixture
def registry() -> Registry:
    return Registry()


def test_the_label_time_step_is_the_label_formats_minute() -> None:
    assert LABEL_TIME_STEP == MINUTE


def test_a_label_issued_after_the_snapshot_is_unknown_not_authentic(registry: Registry) -> None:
    uri = registry.issue(issued_at=NOW + 2 * MINUTE)
    verdict = verify_label(uri, _source(registry, labels_at=NOW), now=NOW + LATER)
    assert verdict.verdict is Overall.UNKNOWN, verdict.model_dump(mode="json")
    assert verdict.reasons == ("label_not_found",)
    assert verdict.data_as_of == NOW


def test_a_label_in_the_snapshots_own_minute_is_unknown(registry: Registry) -> None:
    """Snapshot at 10:00:30, label stamped 10:00: issued between 10:00:00 and 10:00:59, so
    perhaps after the snapshot. Comparing the stamp alone (10:00 < 10:00:30) would say
    AUTHENTIC."""
    uri = registry.issue(issued_at=NOW)
    source = _source(registry, labels_at=NOW + timedelta(seconds=30))
    verdict = verify_label(uri, source, now=NOW + LATER)
    assert verdict.verdict is Overall.UNKNOWN
    assert _label_status(verdict) == "label_not_found"


def test_a_label_stamped_at_the_snapshots_exact_time_is_unknown(registry: Registry) -> None:
    uri = registry.issue(issued_at=NOW)
    verdict = verify_label(uri, _source(registry, labels_at=NOW), now=NOW + LATER)
    assert verdict.verdict is Overall.UNKNOWN


def test_a_label_whose_minute_ended_when_the_snapshot_was_made_is_authentic(
    registry: Registry,
) -> None:
    """Stamped 09:59: issued before 10:00:00, the snapshot's time. The boundary is
    inclusive."""
    uri = registry.issue(issued_at=NOW - MINUTE)
    verdict = verify_label(uri, _source(registry, labels_at=NOW), now=NOW + LATER)
    assert verdict.verdict is Overall.AUTHENTIC, verdict.model_dump(mode="json")
    assert _label_status(verdict) == "label_not_listed"


def test_the_older_snapshot_sets_the_datas_time(registry: Registry) -> None:
    """``data_as_of`` is the older of the two snapshots: a label newer than it is UNKNOWN
    even if the label snapshot is newer still."""
    uri = registry.issue(issued_at=NOW + 30 * MINUTE)
    source = _source(registry, labels_at=NOW + 2 * LATER, certificates_at=NOW)
    verdict = verify_label(uri, source, now=NOW + 3 * LATER)
    assert verdict.data_as_of == NOW
    assert verdict.verdict is Overall.UNKNOWN


def test_a_status_the_snapshot_lists_still_counts_within_the_minute(registry: Registry) -> None:
    """Issued and revoked within the snapshot's minute: the snapshot lists it, so it knows
    it (REVOKED, not UNKNOWN)."""
    uri = registry.issue("8G4M3NQ0YC", issued_at=NOW)
    registry.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
    source = _source(registry, labels_at=NOW + timedelta(seconds=40))
    verdict = verify_label(uri, source, now=NOW + LATER)
    assert verdict.verdict is Overall.REVOKED


def test_a_forgery_newer_than_the_data_is_still_invalid(registry: Registry) -> None:
    uri = registry.issue(issued_at=NOW + LATER).replace("/21/7F3K2MQ9XB", "/21/7F3K2MQ9XC")
    verdict = verify_label(uri, _source(registry, labels_at=NOW), now=NOW + LATER)
    assert verdict.verdict is Overall.INVALID


@settings(max_examples=60, deadline=None)
@given(
    data_seconds=st.integers(min_value=-3 * 86_400, max_value=3 * 86_400),
    label_minutes=st.integers(min_value=-180, max_value=180),
)
def test_authentic_exactly_when_the_labels_whole_minute_precedes_the_data(
    data_seconds: int, label_minutes: int
) -> None:
    registry = Registry()
    data_at = NOW + timedelta(seconds=data_seconds)
    minute_of_data = data_at.replace(second=0)
    issued_at = minute_of_data + timedelta(minutes=label_minutes)
    uri = registry.issue(issued_at=issued_at)
    verdict = verify_label(uri, _source(registry, labels_at=data_at), now=data_at + LATER)
    if issued_at + MINUTE <= data_at:
        assert verdict.verdict is Overall.AUTHENTIC, (issued_at, data_at)
    else:
        assert verdict.verdict is Overall.UNKNOWN, (issued_at, data_at)
        assert verdict.reasons == ("label_not_found",)


def test_the_cli_says_unknown_offline_for_a_label_newer_than_its_data(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_now", lambda: NOW + LATER)
    cache = registry.write_cache(tmp_path, issued_at=NOW + timedelta(seconds=20))
    uri = registry.issue(issued_at=NOW)
    outcome = CliRunner().invoke(cli.app, [uri, "--offline", "--json", "--dir", str(cache)])
    assert outcome.exit_code == cli.EXIT_CODES["UNKNOWN"], outcome.output
    data = json.loads(outcome.stdout)
    assert data["verdict"] == "UNKNOWN"
    assert data["reasons"] == ["label_not_found"]
    assert data["label"]["issued_at"] == "2026-11-26T10:00:00Z"
    assert data["data_as_of"] == "2026-11-26T10:00:20Z"
