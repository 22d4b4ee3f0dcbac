"""Schemathesis against the log and trust-list routes: every answer keeps the documented
contract (no 500, documented statuses, content types and schemas; invalid input refused).

The main contract suite (tests/security) covers these routes too once they are listed in
``main.ROUTERS``; this module keeps them covered on their own until then, on a registry
with keys, checkpoints and a few hundred entries (so proofs and pages have something to
prove and page through).
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from sqlmodel import Session

from core.settings import Settings
from labeling.translog.checkpointer import checkpoint_now
from tests.translog.helpers import make_log_app, seed_events

CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": 40, "deterministic": True, "allow-extra-parameters": False},
    }
)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    make_log_app(Settings(environment="test", database_url="sqlite:///:memory:")),
    config=CONFIG,
).include(path_regex=r"^/(log/|\.well-known/)")


@schemathesis.check
def log_never_an_internal_error(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    if response.status_code == 500:
        raise AssertionError(f"500 Internal Server Error: {response.text[:300]}")
    return None


CHECKS = [
    log_never_an_internal_error,
    schemathesis.specs.openapi.checks.status_code_conformance,
    schemathesis.specs.openapi.checks.content_type_conformance,
    schemathesis.specs.openapi.checks.response_schema_conformance,
    schemathesis.specs.openapi.checks.negative_data_rejection,
]


@pytest.fixture
def busy_log_app(log_app: FastAPI, session: Session, settings: Settings) -> FastAPI:
    seed_events(session, 300)
    checkpoint_now(settings)
    return log_app


@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_log_routes_keep_their_documented_contract(
    case: schemathesis.Case, busy_log_app: FastAPI
) -> None:
    case.call_and_validate(app=busy_log_app, checks=CHECKS)
