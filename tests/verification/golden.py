"""Verdicts over every reason code, from fixed keys, clocks and facts: the inputs of the
golden test (``test_golden_verdicts.py``), which holds the JSON a retailer received for each
of them before the verdict became one pydantic model (``golden/verdicts-v1.json``).

Everything here is deterministic (keys from fixed seeds, fixed instants), so the JSON of a
scenario is the same in every run. Do not change a scenario's inputs: its golden JSON was
captured from them. Add a scenario with its golden JSON instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.offline.simulator import Registry as OfflineRegistry
from verify.label_codec import (
    LabelToken,
    format_certificate_code,
    issue_label_uri,
    key_id,
    parse_label_uri,
)
from verify.offline import OfflineSource
from verify.snapshot import verify_certificate_snapshot, verify_label_status_snapshot
from verify.trust_list import verify_trust_list
from verify.verdict import (
    ArtisanFacts,
    CertificateFacts,
    Check,
    Conformity,
    Outcome,
    StandardFacts,
    Verdict,
)
from verify.verifier import KeyFacts, LabelRecord, verify_label

__all__ = ["NOW", "SCENARIOS", "Scenario", "seeded_key"]

NOW = datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC)
ISSUED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
KEY_SINCE = datetime(2026, 1, 1, tzinfo=UTC)
GTIN = "06111234000019"
CODE = 0x1234ABCD
OTHER_CODE = 0x0BADC0DE
HOST = "KHATEM.MA"


def seeded_key(seed: int) -> Ed25519PrivateKey:
    """A fixed Ed25519 key (tests only: its seed is public)."""
    return Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)


LABEL_KEY = seeded_key(1)
OTHER_KEY = seeded_key(2)


def _kid(key: Ed25519PrivateKey) -> str:
    return key_id(key.public_key().public_bytes_raw())


def sign(
    serial: str,
    *,
    key: Ed25519PrivateKey = LABEL_KEY,
    issued_at: datetime = ISSUED_AT,
    code: int = CODE,
    kid: str | None = None,
) -> str:
    return issue_label_uri(
        host=HOST,
        gtin=GTIN,
        serial=serial,
        kid=kid or _kid(key),
        issued_at=issued_at,
        certificate_code=code,
        sign=key.sign,
    )


def certificate(
    *,
    status: str = "active",
    reason: str | None = None,
    valid_until: date = date(2028, 12, 31),
    outcome: str = "pass",
) -> CertificateFacts:
    """A carpet weavers' cooperative's certificate, with a level, two standards and a
    name that JSON must escape."""
    return CertificateFacts(
        code=format_certificate_code(CODE),
        status=status,
        status_reason=reason,
        valid_from=date(2026, 1, 1),
        valid_until=valid_until,
        conformity=Conformity(
            scheme_code="TAPIS-SUPERIEURE",
            scheme_name='Estampille tapis — qualité "supérieure"',
            level=2,
            level_name="Niveau 2",
            standards=(
                StandardFacts(code="NM 09.0.200", title="Tapis noués à la main"),
                StandardFacts(code="NM 09.0.201", title="Laine \\ teintures naturelles"),
            ),
            criteria_met=("knot-density", "natural-dyes"),
            audit_date=date(2025, 12, 15),
            audit_outcome=outcome,
            body_code="CHAMBRE-MA-08",
            body_name="Chambre d'artisanat Drâa-Tafilalet",
        ),
        artisan=ArtisanFacts(
            display_name_latin="Coopérative Akhiam",
            display_name_arabic="تعاونية أخيام",
            region_code="MA-08",
            region_name="Drâa-Tafilalet",
            craft="Tissage de tapis",
        ),
    )


def _record(uri: str, **changes: object) -> LabelRecord:
    token = parse_label_uri(uri)
    record = LabelRecord(
        status="active",
        log_index=41,
        logged_at=token.issued_at,
        signature=token.signature,
        kid=token.kid,
        issued_at=token.issued_at,
        certificate_code=token.certificate_code,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


@dataclass
class Memory:
    """A :class:`verify.verifier.VerificationSource` over fixed facts (the registry's, online)."""

    labels: dict[tuple[str, str], LabelRecord] = field(default_factory=dict)
    keys: dict[str, KeyFacts] = field(default_factory=dict)
    certificates: dict[int, CertificateFacts] = field(default_factory=dict)
    tree_size: int | None = 100
    authoritative: bool = True
    mode: str = "online"

    def key(self, kid: str) -> KeyFacts | None:
        return self.keys.get(kid)

    def label(self, token: LabelToken) -> LabelRecord | None:
        return self.labels.get((token.gtin, token.serial))

    def certificate(self, code: int) -> CertificateFacts | None:
        return self.certificates.get(code)

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check:
        if record is None:
            return Check(name="log_inclusion", outcome=Outcome.NOT_APPLICABLE, reason="not_checked")
        if record.log_index is None:
            return Check(name="log_inclusion", outcome=Outcome.WARNING, reason="log_entry_missing")
        index, size = record.log_index, self.tree_size
        if size is not None and index < size:
            return Check(
                name="log_inclusion",
                outcome=Outcome.PASSED,
                reason="included_in_checkpoint",
                detail={
                    "leaf_index": index,
                    "tree_size": size,
                    "proof": f"/log/proof/inclusion?index={index}&size={size}",
                },
            )
        return Check(
            name="log_inclusion",
            outcome=Outcome.NOT_APPLICABLE,
            reason="log_checkpoint_pending",
            detail={"leaf_index": index},
        )

    def freshness(self, now: datetime) -> Check:
        return Check(name="data_freshness", outcome=Outcome.PASSED, reason="live_registry")

    def data_as_of(self) -> datetime | None:
        return None


def _key(
    key: Ed25519PrivateKey = LABEL_KEY,
    *,
    retired_at: datetime | None = None,
    compromised_since: datetime | None = None,
) -> KeyFacts:
    return KeyFacts(
        kid=_kid(key),
        public_key=key.public_key(),
        not_before=KEY_SINCE,
        retired_at=retired_at,
        compromised_since=compromised_since,
    )


def registry(*uris: str, **changes: object) -> Memory:
    """The online registry: it issued ``uris`` (active, logged) under the active
    certificate, with the label key trusted."""
    memory = Memory(
        labels={(GTIN, parse_label_uri(uri).serial): _record(uri) for uri in uris},
        keys={_kid(LABEL_KEY): _key()},
        certificates={CODE: certificate()},
    )
    return replace(memory, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Scenario:
    name: str
    verdict: Callable[[], Verdict]


def _online(name: str, uri: str, source: Memory, now: datetime = NOW) -> Scenario:
    return Scenario(name, lambda: verify_label(uri, source, now=now))


A = sign("7F3K2MQ9XB")
B = sign("0000000001")


def _online_scenarios() -> list[Scenario]:
    future = sign("FVTVRE0001", issued_at=NOW + timedelta(days=2))
    early = sign("EARXY00001", issued_at=KEY_SINCE - timedelta(days=1))
    other_code = sign("N0CERT0001", code=OTHER_CODE)
    outside = sign("0VTS1DE001", issued_at=datetime(2029, 2, 1, tzinfo=UTC))
    forged = A[:-5] + ("00000" if not A.endswith("00000") else "11111")
    on_record = registry(A)
    compromised = datetime(2026, 4, 1, tzinfo=UTC)
    return [
        _online("online_authentic", A, registry(A)),
        _online("online_checkpoint_pending", A, registry(A, tree_size=10)),
        _online("online_no_checkpoint_yet", A, registry(A, tree_size=None)),
        _online(
            "online_log_entry_missing",
            A,
            replace(on_record, labels={(GTIN, "7F3K2MQ9XB"): _record(A, log_index=None)}),
        ),
        _online(
            "online_label_suspended",
            A,
            replace(
                on_record,
                labels={
                    (GTIN, "7F3K2MQ9XB"): _record(A, status="suspended", reason="inspection_hold")
                },
            ),
        ),
        _online(
            "online_label_revoked",
            A,
            replace(
                on_record,
                labels={
                    (GTIN, "7F3K2MQ9XB"): _record(A, status="revoked", reason="lost_or_stolen")
                },
            ),
        ),
        _online(
            "online_label_revoked_without_reason",
            A,
            replace(on_record, labels={(GTIN, "7F3K2MQ9XB"): _record(A, status="revoked")}),
        ),
        _online("online_label_not_found", B, registry(A)),
        _online(
            "online_signature_not_on_record",
            sign("7F3K2MQ9XB", key=OTHER_KEY, kid=_kid(LABEL_KEY)),
            registry(A),
        ),
        _online("online_signature_invalid", forged, registry()),
        _online("online_key_unknown", sign("7F3K2MQ9XB", key=OTHER_KEY), registry(A)),
        _online("online_issued_at_future", future, registry(future)),
        _online(
            "online_key_compromised",
            A,
            registry(A, keys={_kid(LABEL_KEY): _key(compromised_since=ISSUED_AT)}),
        ),
        _online(
            "online_key_compromised_after_signing",
            A,
            registry(A, keys={_kid(LABEL_KEY): _key(compromised_since=compromised)}),
        ),
        _online(
            "online_key_retired",
            A,
            registry(A, keys={_kid(LABEL_KEY): _key(retired_at=ISSUED_AT - timedelta(days=1))}),
        ),
        _online("online_key_not_yet_valid", early, registry(early)),
        _online(
            "online_certificate_expired", A, registry(A), now=datetime(2029, 2, 1, 8, tzinfo=UTC)
        ),
        _online(
            "online_certificate_suspended",
            A,
            registry(A, certificates={CODE: certificate(status="suspended", reason="fraud")}),
        ),
        _online(
            "online_certificate_withdrawn",
            A,
            registry(A, certificates={CODE: certificate(status="withdrawn", reason="closed")}),
        ),
        _online(
            "online_certificate_withdrawn_and_label_suspended",
            A,
            replace(
                registry(A, certificates={CODE: certificate(status="withdrawn")}),
                labels={(GTIN, "7F3K2MQ9XB"): _record(A, status="suspended", reason="audit")},
            ),
        ),
        _online("online_certificate_not_found", other_code, registry(other_code)),
        _online(
            "online_issued_outside_validity",
            outside,
            registry(outside),
            now=datetime(2029, 3, 1, tzinfo=UTC),
        ),
        _online(
            "online_audit_not_passed",
            A,
            registry(A, certificates={CODE: certificate(outcome="fail")}),
        ),
    ]


#: Label URIs that are not labels, one per parse failure of docs/label-format.md §9.
NOT_LABELS: dict[str, str] = {
    "uri_too_long": A + "&x=" + "0" * 600,
    "uri_malformed": "HTTPS://KHATEM.MA/01/06111234000019/21/7F3K2MQ9XB?S=1 ",
    "uri_malformed_fragment": A + "#top",
    "uri_malformed_percent": A + "&x=%G1",
    "uri_malformed_scheme": "http" + A[5:],
    "uri_malformed_not_ascii": A.replace("KHATEM", "KHATÉM"),
    "uri_malformed_junk": 'junk "\\ \u2028',
    "host_invalid": A.replace("KHATEM.MA", "KHATEM.MA:443"),
    "path_invalid": A.replace("/21/", "/22/"),
    "gtin_malformed": A.replace(GTIN, GTIN[:-1]),
    "gtin_check_digit": A.replace(GTIN, GTIN[:-1] + "8"),
    "serial_invalid": A.replace("7F3K2MQ9XB", "7f3k2mq9xb"),
    "signature_missing": A.split("?")[0],
    "signature_duplicate": A + "&S=1",
    "signature_malformed": A[:-1],
    "signature_malformed_too_big": A.split("?")[0] + "?S=1" + "9" * 184,
    "version_unsupported": A.replace("?S=1", "?S=2"),
    "issued_at_invalid": A.split("?")[0] + "?S=1" + str((2**32 - 1) << 544).rjust(184, "0"),
}


def _invalid_scenarios() -> list[Scenario]:
    return [_online("not_a_label_" + name, text, registry(A)) for name, text in NOT_LABELS.items()]


def _offline_source(
    data: OfflineRegistry, *, at: datetime, trust_at: datetime | None = None
) -> OfflineSource:
    root = data.root_public
    return OfflineSource(
        verify_trust_list(data.trust_list(issued_at=trust_at or at), root_public_key=root),
        verify_label_status_snapshot(data.label_snapshot(issued_at=at), root_public_key=root),
        verify_certificate_snapshot(data.certificate_snapshot(issued_at=at), root_public_key=root),
    )


def _offline_scenarios() -> list[Scenario]:
    data = OfflineRegistry(root=seeded_key(3), label_key=seeded_key(4))
    at = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    genuine = data.issue("7F3K2MQ9XB", issued_at=at - timedelta(days=20))
    revoked = data.issue("REV0KED001", issued_at=at - timedelta(days=20))
    data.set_status("REV0KED001", "revoked", "lost_or_stolen")
    suspended = data.issue("SVSPEND001", issued_at=at - timedelta(days=20))
    data.set_status("SVSPEND001", "suspended", "inspection_hold")
    newer = data.issue("NEWER00001", issued_at=at)
    unknown_key = data.issue("7F3K2MQ9XB", key=seeded_key(5))
    source = _offline_source(data, at=at)
    stale_trust = _offline_source(data, at=at, trust_at=at - timedelta(days=3))

    def offline(name: str, uri: str, now: datetime, where: OfflineSource = source) -> Scenario:
        return Scenario(name, lambda: verify_label(uri, where, now=now))

    soon = at + timedelta(hours=2)
    return [
        offline("offline_authentic", genuine, soon),
        offline("offline_label_revoked", revoked, soon),
        offline("offline_label_suspended", suspended, soon),
        offline("offline_label_newer_than_data", newer, soon),
        offline("offline_key_unknown", unknown_key, soon),
        offline("offline_status_data_stale", genuine, at + timedelta(days=2, seconds=7)),
        offline("offline_trust_list_stale", genuine, soon, stale_trust),
        offline("offline_status_data_expired", genuine, at + timedelta(days=40)),
        offline("offline_status_data_expired_revoked", revoked, at + timedelta(days=40)),
        offline("offline_not_a_label", "HTTPS://KHATEM.MA/01/0/21/0", soon),
    ]


SCENARIOS: list[Scenario] = _online_scenarios() + _invalid_scenarios() + _offline_scenarios()
#: The scenario the golden file also holds with catalogue placeholders (``assumptions``).
WITH_ASSUMPTIONS: tuple[str, tuple[str, ...]] = ("online_authentic", ("scheme", "craft"))
