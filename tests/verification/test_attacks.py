"""The verdict under attack: forged, replayed, back-dated, re-hosted and altered labels.

Each test states an attacker's move and what the verifier must answer; the ones marked
*leak* also check that a forged label borrows nothing from a genuine certificate (no
artisan name, no conformity facts), on any channel.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from labeling.verification.representation import verdict_body
from tests.verification.memory import CODE, ISSUED_AT, NOW, MemoryRegistry
from verify.label_codec import issue_label_uri, key_id, parse_label_uri
from verify.pages import render_label_page
from verify.verdict import Outcome, Overall, Verdict
from verify.verifier import KeyFacts, verify_label

ARTISAN = "Coopérative Akhiam"


class _KeyState(MemoryRegistry):
    """The in-memory registry with a key whose status the test sets."""

    retired_at: datetime | None = None
    compromised_since: datetime | None = None

    def key(self, kid: str) -> KeyFacts | None:
        found = super().key(kid)
        if found is None:
            return None
        return dataclasses.replace(
            found, retired_at=self.retired_at, compromised_since=self.compromised_since
        )


def _forge(registry: MemoryRegistry, *, serial: str, issued_at: datetime, code: int = CODE) -> str:
    """A label signed with the registry's own key but never issued by it (a thief's)."""
    return issue_label_uri(
        host="KHATEM.MA",
        gtin="06111234000019",
        serial=serial,
        kid=registry.kid,
        issued_at=issued_at,
        certificate_code=code,
        sign=registry.private_key.sign,
    )


def _borrows_nothing(verdict: Verdict) -> None:
    """An INVALID verdict shows no certificate as if the forged label were vouched for."""
    assert verdict.verdict is Overall.INVALID
    assert verdict.certificate is None
    assert ARTISAN not in verdict_body(verdict)[0].decode()
    assert ARTISAN not in render_label_page(verdict, lang="en")
    for check in verdict.checks:
        if check.name in ("certificate_status", "certificate_validity", "conformity"):
            assert check.outcome is Outcome.NOT_APPLICABLE, check


def test_a_label_signed_with_a_compromised_key_after_the_compromise_is_invalid() -> None:
    registry = _KeyState()
    registry.compromised_since = ISSUED_AT + timedelta(days=1)
    forged = _forge(registry, serial="7A00000001", issued_at=ISSUED_AT + timedelta(days=2))
    verdict = verify_label(forged, registry, now=NOW)
    assert verdict.check("issuer_key").reason == "key_compromised"  # type: ignore[union-attr]
    _borrows_nothing(verdict)


def test_a_back_dated_label_of_a_compromised_key_is_still_invalid() -> None:
    """The thief back-dates the issue time: only the registry's own log time clears it."""
    registry = _KeyState()
    registry.compromised_since = ISSUED_AT + timedelta(days=1)
    forged = _forge(registry, serial="7A00000002", issued_at=ISSUED_AT - timedelta(days=30))
    verdict = verify_label(forged, registry, now=NOW)
    assert verdict.check("issuer_key").reason == "key_compromised"  # type: ignore[union-attr]
    _borrows_nothing(verdict)


def test_a_genuine_label_logged_before_the_compromise_stays_authentic_with_a_warning() -> None:
    registry = _KeyState()
    uri = registry.issue("7F3K2MQ9XB")
    registry.compromised_since = ISSUED_AT + timedelta(days=1)
    verdict = verify_label(uri, registry, now=NOW)
    assert verdict.verdict is Overall.AUTHENTIC_WITH_WARNINGS
    assert verdict.reasons == ("key_compromised_after_signing",)
    assert verdict.certificate is not None


def test_a_label_signed_after_its_key_was_retired_is_invalid() -> None:
    registry = _KeyState()
    registry.retired_at = ISSUED_AT + timedelta(days=1)
    forged = _forge(registry, serial="7A00000003", issued_at=ISSUED_AT + timedelta(days=2))
    verdict = verify_label(forged, registry, now=NOW)
    assert verdict.check("issuer_key").reason == "key_retired"  # type: ignore[union-attr]
    _borrows_nothing(verdict)


def test_a_label_from_the_future_is_invalid() -> None:
    registry = MemoryRegistry()
    forged = _forge(registry, serial="7A00000004", issued_at=NOW + timedelta(days=3))
    verdict = verify_label(forged, registry, now=NOW)
    assert verdict.check("signature").reason == "issued_at_future"  # type: ignore[union-attr]
    _borrows_nothing(verdict)


def test_a_validly_signed_label_the_registry_never_issued_is_invalid_online() -> None:
    """Online, the registry knows every label it issued: a signature alone is not enough
    (a stolen key, or a signer used outside issuance). Offline it would be UNKNOWN."""
    registry = MemoryRegistry()
    forged = _forge(registry, serial="7A00000005", issued_at=ISSUED_AT)
    verdict = verify_label(forged, registry, now=NOW)
    assert verdict.check("signature").reason == "signature_valid"  # type: ignore[union-attr]
    assert verdict.check("label_status").reason == "label_not_found"  # type: ignore[union-attr]
    _borrows_nothing(verdict)


def test_an_altered_certificate_code_with_the_signature_reused_is_invalid() -> None:
    registry = MemoryRegistry()
    uri = registry.issue("7F3K2MQ9XB")
    token = parse_label_uri(uri)
    other = CODE ^ 1
    altered = token._replace(certificate_code=other).to_uri()
    online = verify_label(altered, registry, now=NOW)
    assert online.check("signature").reason == "signature_not_on_record"  # type: ignore[union-attr]
    _borrows_nothing(online)
    offline = dataclasses.replace(registry, authoritative=False, mode="offline", labels={})
    verdict = verify_label(altered, offline, now=NOW)
    assert verdict.check("signature").reason == "signature_invalid"  # type: ignore[union-attr]
    _borrows_nothing(verdict)


def test_the_host_is_not_signed_so_a_re_hosted_label_is_the_same_label() -> None:
    """docs/label-format.md 3.2: the host carries no trust either way. A genuine claim
    under another host is the same item (the verdict never echoes the host); a forged
    claim under the registry's own host is still forged."""
    registry = MemoryRegistry()
    uri = registry.issue("7F3K2MQ9XB")
    rehosted = "https://evil.example" + uri[len("HTTPS://KHATEM.MA") :]
    verdict = verify_label(rehosted, registry, now=NOW)
    assert verdict.verdict is Overall.AUTHENTIC
    assert "evil" not in verdict_body(verdict)[0].decode()
    stranger = Ed25519PrivateKey.generate()
    forged = issue_label_uri(
        host="KHATEM.MA",
        gtin="06111234000019",
        serial="7F3K2MQ9XB",
        kid=key_id(stranger.public_key().public_bytes_raw()),
        issued_at=ISSUED_AT,
        certificate_code=CODE,
        sign=stranger.sign,
    )
    assert verify_label(forged, registry, now=NOW).verdict is Overall.INVALID


def test_utc_issue_times_are_compared_in_utc() -> None:
    registry = MemoryRegistry()
    uri = registry.issue("7F3K2MQ9XB")
    assert parse_label_uri(uri).issued_at.tzinfo is UTC
