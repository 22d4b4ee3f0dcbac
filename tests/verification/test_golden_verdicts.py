"""The verdict JSON a retailer receives is the one it received before the verdict became
one pydantic model: compared field by field with the JSON the old encoder wrote
(``golden/*-v1.json``, captured from commit ecb99f3), over every reason code the verifier
can give and over the demo registry's labels. A difference must be a documented, versioned
change of docs/verification.md, and then a new golden file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.settings import Settings
from labeling.demo import load_demo
from labeling.verification.representation import bulk_body, verdict_body
from main import create_app
from tests.verification.golden import SCENARIOS, WITH_ASSUMPTIONS
from tests.verification.golden_demo import demo_labels, normalise, scan_json
from verify.decision import REASONS
from verify.verdict import CHECK_NAMES, Verdict

GOLDEN = Path(__file__).parent / "golden"
#: Codes no verification gives: the label encoder's own refusals, and a log proof that
#: only a client checking a proof it fetched can find invalid.
NEVER_GIVEN = {
    ("signature", "kid_invalid"),
    ("signature", "certificate_code_invalid"),
    ("signature", "label_too_large"),
    ("signature", "uri_not_canonical"),
    ("signature", "not_checked"),
    ("log_inclusion", "log_proof_invalid"),
}


def _golden(name: str) -> dict[str, Any]:
    document = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    verdicts: dict[str, Any] = document["verdicts"]
    return verdicts


def _json(verdict: Verdict) -> Any:
    return json.loads(verdict_body(verdict)[0])


def _with_assumptions(verdict: Verdict, names: tuple[str, ...]) -> Verdict:
    return verdict.model_copy(update={"assumptions": names})


def test_the_golden_scenarios_give_every_reason_code() -> None:
    golden = _golden("verdicts-v1.json")
    given = {(c["name"], c["reason"]) for v in golden.values() for c in v["checks"]}
    # copy_evidence came after these files (API 1.1, additive): its codes are given by
    # tests/verification/test_suspicious.py; every verdict without it is unchanged.
    every = {
        (name, reason)
        for name, reasons in REASONS.items()
        if name in CHECK_NAMES
        for reason in reasons
    }
    assert every - given == NEVER_GIVEN


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_a_verdict_says_what_it_said_before(scenario: Any) -> None:
    assert _json(scenario.verdict()) == _golden("verdicts-v1.json")[scenario.name]


def test_catalogue_placeholders_are_said_as_before() -> None:
    name, names = WITH_ASSUMPTIONS
    verdict = next(s for s in SCENARIOS if s.name == name).verdict()
    expected = _golden("verdicts-v1.json")[name + "_with_assumptions"]
    assert _json(_with_assumptions(verdict, names)) == expected


def test_a_bulk_answer_says_what_it_said_before() -> None:
    golden = _golden("verdicts-v1.json")
    body = json.loads(bulk_body([scenario.verdict() for scenario in SCENARIOS]))
    duplicates = body.pop("duplicates")  # added by issue 13: the serials the call repeats
    assert body == {
        "count": len(SCENARIOS),
        "verdicts": [golden[scenario.name] for scenario in SCENARIOS],
    }
    for group in duplicates:
        labels = [body["verdicts"][i]["label"] for i in group["indexes"]]
        assert len(labels) > 1
        assert {(label["gtin"], label["serial"]) for label in labels} == {
            (group["gtin"], group["serial"])
        }


@pytest.fixture
def demo_client(session: Session, settings: Settings, prepared: list[str]) -> Iterator[TestClient]:
    """The demo registry (``khatem demo``), its labels signed, a checkpoint over them."""
    from labeling.translog.checkpointer import checkpoint_now

    load_demo(session=session, settings=settings)
    checkpoint_now(settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_the_demo_labels_are_answered_as_before(
    demo_client: TestClient, session: Session, settings: Settings
) -> None:
    """Verdict JSON 1.1 added ``item`` (docs/verification.md): every other member is
    unchanged, and the item is there wherever the certificate is."""
    golden = _golden("demo-v1.json")
    labels = demo_labels(session, settings.label_host)
    assert [name for name, _ in labels] == list(golden)
    for name, uri in labels:
        assert _before_items(normalise(scan_json(demo_client, uri))) == golden[name], name
    bulk = demo_client.post("/api/v1/verify", json={"labels": [uri for _, uri in labels]})
    verdicts = [normalise(verdict) for verdict in bulk.json()["verdicts"]]
    assert [_before_items(verdict) for verdict in verdicts] == list(golden.values())
    for verdict in verdicts:
        assert ("item" in verdict) == (verdict["certificate"] is not None)
        if "item" in verdict:
            assert verdict["item"]["name"] and verdict["item"]["family"]


def _before_items(verdict: dict[str, Any]) -> dict[str, Any]:
    """The verdict as JSON 1.0 had it: without the ``item`` member JSON 1.1 added."""
    return {name: value for name, value in verdict.items() if name != "item"}
