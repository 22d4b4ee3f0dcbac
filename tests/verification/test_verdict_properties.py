"""Properties of verification that hold for every input: any string gives a verdict (never
an exception), tampering with any character of a genuine label gives INVALID, and the
JSON answer is the verdict model's own JSON, whatever instant it was checked at."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from labeling.verification.representation import bulk_body, json_answer, verdict_body
from tests.verification.memory import NOW, MemoryRegistry
from verify.decision import REASONS
from verify.pages import repeated_serials
from verify.verdict import CHECK_NAMES, Overall, Verdict
from verify.verifier import verify_label

REGISTRY = MemoryRegistry()
GENUINE = [REGISTRY.issue(serial) for serial in ("7F3K2MQ9XB", "0000000001", "ZZZZZZZZZZ")]
# The host is deliberately not signed (docs/label-format.md): tampering means the rest.
SIGNED_FROM = len("HTTPS://KHATEM.MA")


def _consistent(verdict: Verdict) -> None:
    """Every check is named once, in order, with a documented reason."""
    assert [check.name for check in verdict.checks] == list(CHECK_NAMES)
    for check in verdict.checks:
        assert check.reason in REASONS[check.name], check


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=700))
def test_any_text_is_a_verdict(text: str) -> None:
    verdict = verify_label(text, REGISTRY, now=NOW)
    _consistent(verdict)
    assert verdict.verdict is Overall.INVALID
    json.loads(verdict_body(verdict)[0])


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(GENUINE),
    st.sampled_from(["HTTPS://", "https://", "HtTpS://"]),
    st.text(alphabet=st.characters(codec="ascii"), min_size=0, max_size=40),
    st.integers(min_value=0, max_value=300),
)
def test_label_like_text_is_a_verdict(uri: str, scheme: str, junk: str, cut: int) -> None:
    text = scheme + uri[8:][:cut] + junk
    verdict = verify_label(text, REGISTRY, now=NOW)
    _consistent(verdict)
    assert verdict.verdict in (Overall.INVALID, Overall.AUTHENTIC)
    if verdict.verdict is Overall.AUTHENTIC:
        # Only the whole label, perhaps followed by other query parameters, is genuine.
        assert text[8:].startswith(uri[8:])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(GENUINE), st.data())
def test_tampering_with_any_character_is_invalid(uri: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=SIGNED_FROM, max_value=len(uri) - 1))
    replacement = data.draw(
        st.characters(codec="utf-8").filter(lambda c: c != uri[position]), label="replacement"
    )
    tampered = uri[:position] + replacement + uri[position + 1 :]
    verdict = verify_label(tampered, REGISTRY, now=NOW)
    _consistent(verdict)
    assert verdict.verdict is Overall.INVALID, (tampered, verdict.reasons)


def test_the_genuine_labels_are_authentic() -> None:
    for uri in GENUINE:
        verdict = verify_label(uri, REGISTRY, now=NOW)
        assert verdict.verdict is Overall.AUTHENTIC
        assert verdict.check("signature").reason == "signature_matches_record"  # type: ignore[union-attr]


def test_offline_semantics_still_verify_the_signature() -> None:
    """A source without the signed claim (an offline snapshot) gets an Ed25519 check."""
    offline = dataclasses.replace(REGISTRY, authoritative=False, mode="offline", labels={})
    verdict = verify_label(GENUINE[0], offline, now=NOW)
    assert verdict.check("signature").reason == "signature_valid"  # type: ignore[union-attr]
    assert verdict.verdict is Overall.UNKNOWN  # label_not_found is not INVALID offline


def _verdicts() -> list[Verdict]:
    suspended = dataclasses.replace(
        REGISTRY,
        certificate_facts=REGISTRY.certificate_facts.model_copy(
            update={"status": "suspended", "status_reason": "fraud"}
        ),
    )
    late = NOW.replace(year=2029)
    return [
        verify_label(GENUINE[0], REGISTRY, now=NOW),
        verify_label(GENUINE[1], suspended, now=NOW),
        verify_label(GENUINE[2], REGISTRY, now=late),
        verify_label("HTTPS://KHATEM.MA/01/06111234000019/21/AB", REGISTRY, now=NOW),
        verify_label('"\\\u2028\ud800', REGISTRY, now=NOW),
        verify_label(GENUINE[1], REGISTRY, now=NOW).model_copy(
            update={"assumptions": ("body", "craft")}
        ),
    ]


def test_the_json_answer_is_the_model_json_with_checked_at_last() -> None:
    for verdict in _verdicts():
        body, etag = verdict_body(verdict)
        assert json.loads(body) == json.loads(verdict.model_dump_json())
        assert list(json.loads(body))[-1] == "checked_at"
        again = verdict.model_copy(update={"checked_at": verdict.checked_at.replace(second=7)})
        assert verdict_body(again)[1] == etag  # the instant of the check is not in the ETag
    verdicts = _verdicts()
    body = json.loads(bulk_body(verdicts))
    assert body.pop("duplicates") == [  # added by issue 13: the serials the call repeats
        {"gtin": d.gtin, "serial": d.serial, "indexes": list(d.indexes)}
        for d in repeated_serials(verdicts)
    ]
    assert body == {
        "count": len(verdicts),
        "verdicts": [json.loads(v.model_dump_json()) for v in verdicts],
    }


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(range(len(_verdicts()))),
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2999, 12, 31),
        timezones=st.just(UTC),
    ),
)
def test_an_answer_checked_again_is_the_answer_of_the_verdict_checked_then(
    which: int, at: datetime
) -> None:
    """The answer cache writes ``checked_at`` anew into a stored answer: byte for byte what
    encoding the verdict with that ``checked_at`` gives."""
    verdict = _verdicts()[which]
    later = verdict.model_copy(update={"checked_at": at.replace(microsecond=0)})
    assert json_answer(verdict).checked_at(at) == json_answer(later)


def test_different_verdicts_have_different_etags() -> None:
    etags = {verdict_body(v)[1] for v in _verdicts()}
    assert len(etags) == len(_verdicts())


def test_a_verdict_is_frozen_and_reads_its_own_json_back() -> None:
    for verdict in _verdicts():
        with pytest.raises(ValidationError):
            verdict.checks[0].reason = "forged"  # type: ignore[misc]
        text = verdict.model_dump_json()
        again = Verdict.model_validate_json(text)
        assert again.model_dump_json() == text
        assert again.certificate == verdict.certificate
