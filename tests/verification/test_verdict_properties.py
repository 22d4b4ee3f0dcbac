"""Properties of verification that hold for every input: any string gives a verdict (never
an exception), tampering with any character of a genuine label gives INVALID, and the
fast JSON writer says exactly what ``Verdict.to_dict`` says."""

from __future__ import annotations

import dataclasses
import json
from types import MappingProxyType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labeling.verification.representation import _flat_json, _json, bulk_body, verdict_body
from tests.verification.memory import NOW, MemoryRegistry
from verify.verdict import REASONS, Overall, Verdict, verify_label

REGISTRY = MemoryRegistry()
GENUINE = [REGISTRY.issue(serial) for serial in ("7F3K2MQ9XB", "0000000001", "ZZZZZZZZZZ")]
# The host is deliberately not signed (docs/label-format.md): tampering means the rest.
SIGNED_FROM = len("HTTPS://KHATEM.MA")


def _consistent(verdict: Verdict) -> None:
    """Every check is named once, in order, with a documented reason."""
    assert [check.name for check in verdict.checks] == list(REASONS)
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
        certificate_facts=dataclasses.replace(
            REGISTRY.certificate_facts, status="suspended", status_reason="fraud"
        ),
    )
    late = NOW.replace(year=2029)
    return [
        verify_label(GENUINE[0], REGISTRY, now=NOW),
        verify_label(GENUINE[1], suspended, now=NOW),
        verify_label(GENUINE[2], REGISTRY, now=late),
        verify_label("HTTPS://KHATEM.MA/01/06111234000019/21/AB", REGISTRY, now=NOW),
        verify_label('"\\\u2028\ud800', REGISTRY, now=NOW),
        dataclasses.replace(
            verify_label(GENUINE[0], REGISTRY, now=NOW), extra={"stale": 'yes "quoted"'}
        ),
        verify_label(GENUINE[1], REGISTRY, now=NOW).with_extra(
            {"assumptions": ["body", "craft"], "n": 1}
        ),
        verify_label(GENUINE[2], REGISTRY, now=NOW).with_extra({"assumptions": ["body"]}),
        verify_label(GENUINE[2], REGISTRY, now=NOW).with_extra(
            MappingProxyType({"assumptions": ("scheme", "craft")})
        ),
    ]


def _plain(verdict: Verdict) -> Any:
    return json.loads(json.dumps(verdict.to_dict()))


def test_the_fast_json_writer_says_what_to_dict_says() -> None:
    for verdict in _verdicts():
        body, etag = verdict_body(verdict)
        assert json.loads(body) == _plain(verdict)
        assert verdict_body(verdict) == (body, etag)  # the second time from the caches
        assert list(json.loads(body))[-1] == "checked_at"
        again = dataclasses.replace(verdict, checked_at=verdict.checked_at.replace(second=7))
        assert verdict_body(again)[1] == etag  # the instant of the check is not in the ETag
    verdicts = _verdicts()
    assert json.loads(bulk_body(verdicts)) == {
        "count": len(verdicts),
        "verdicts": [_plain(v) for v in verdicts],
    }


def test_with_extra_is_replace() -> None:
    verdict = verify_label(GENUINE[0], REGISTRY, now=NOW)
    extra = {"assumptions": ["scheme"]}
    assert verdict.with_extra(extra) == dataclasses.replace(verdict, extra=extra)
    assert verdict.extra == {}


def test_different_verdicts_have_different_etags() -> None:
    etags = {verdict_body(v)[1] for v in _verdicts()}
    assert len(etags) == len(_verdicts())


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.integers(), st.text(max_size=20), st.booleans(), st.none()),
        max_size=4,
    )
)
def test_a_per_label_detail_is_written_as_json_would_write_it(detail: dict[str, Any]) -> None:
    assert _flat_json(detail) == _json(detail)


def test_checks_without_detail_are_shared_objects() -> None:
    """Junk and forgeries are scanned often: their verdicts reuse one object per check, so
    the JSON writer's identity cache does not fill with objects it will never see again."""
    for uri in ("junk", "HTTPS://KHATEM.MA/01/06111234000019/21/AB", GENUINE[0] + "0"):
        first, again = verify_label(uri, REGISTRY, now=NOW), verify_label(uri, REGISTRY, now=NOW)
        for one, other in zip(first.checks, again.checks, strict=True):
            assert one.detail or one is other, one
