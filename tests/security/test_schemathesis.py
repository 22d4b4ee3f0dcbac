"""Schemathesis against the app's own OpenAPI document: every operation, signed in per role.

For every operation and each of the three roles, Schemathesis generates valid and invalid
requests (a bounded, derandomised number) and checks each answer: no 5xx, a documented status
code, a documented content type and headers, a body that matches the documented schema, and
invalid input refused. The requests run against the test's own app and database, signed in as
the role through the sign-in form (see ``SignedIn``).

The schema is loaded from an app built at collection time (it has no database); each test
passes its own app to ``case.call_and_validate(app=...)``. (``schemathesis.pytest.from_fixture``
would be the lazy way, but schemathesis 4.32 reads ``node._nodeid``, which pytest 9.2 removed.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case
from schemathesis.specs.openapi import checks as openapi_checks
from sqlmodel import Session, select

from core.auth import hash_token
from schemas.accounts import ApiToken
from schemas.types import Role, utcnow
from tests.fixtures.actors import PASSWORD, Actor
from tests.security.support import TokenMint
from tests.security.walk import COLLECTION_APP

MAX_EXAMPLES = int(os.environ.get("KHATEM_FUZZ_EXAMPLES", "25"))  # per operation and run

# Bounded and derandomised: the fuzzing phase only (the coverage phase enumerates every
# boundary case of every parameter, several hundred per operation, whatever max-examples
# says), positive and negative data, and no unknown query parameters (FastAPI ignores them,
# as HTTP APIs commonly do; that is not a contract this suite holds routes to).
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}},
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "allow-extra-parameters": False,
        },
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", COLLECTION_APP, config=CONFIG)


@schemathesis.check
def never_an_internal_error(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case[Any]
) -> bool | None:
    """No 500, ever. Other 5xx are operational answers (a 503 when the signer is not
    configured); ``status_code_conformance`` still requires each to be documented."""
    if response.status_code == 500:
        raise AssertionError(f"500 Internal Server Error: {response.text[:300]}")
    return None


CHECKS = [
    never_an_internal_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
]


@dataclass
class SignedIn:
    """A role signed in through the sign-in form, signing in again if a case revoked it.

    Through the browser sign-in form, so the cookie path is fuzzed as well as the bearer
    tokens the other suites use.
    """

    client: TestClient
    session: Session
    actor: Actor
    token: str = field(default="")

    def headers(self) -> dict[str, str]:
        if not self._valid() and self.actor.role == Role.RETAILER:
            # A retailer's service account has API keys only, no password (docs/retailers.md).
            self.token = TokenMint(self.session)(self.actor)
        elif not self._valid():
            response = self.client.post(
                "/login",
                data={"email": self.actor.email, "password": PASSWORD},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
            self.token = response.cookies["khatem_session"]
            self.client.cookies.clear()
        return {"Authorization": f"Bearer {self.token}"}

    def _valid(self) -> bool:
        if not self.token:
            return False
        row = self.session.exec(
            select(ApiToken).where(ApiToken.token_hash == hash_token(self.token))
        ).one()
        valid = row.revoked_at is None and row.expires_at > utcnow()
        self.session.rollback()  # on SQLite every transaction holds the write lock
        return valid


@pytest.fixture
def signed_in(request: pytest.FixtureRequest, client: TestClient, session: Session) -> SignedIn:
    fixture = {
        Role.ADMIN: "admin",
        Role.INSPECTOR: "inspector",
        Role.ARTISAN: "artisan_user",
        Role.RETAILER: "retailer_user",
    }
    actor: Actor = request.getfixturevalue(fixture[request.param])
    return SignedIn(client=client, session=session, actor=actor)


# Every (backend, role) pair is generated here; tests/security/conftest.py then keeps, for each
# operation, only the runs walk.fuzz_runs asks for: on SQLite every role the route admits, on
# PostgreSQL one admitted role (where 32-bit INTEGER ids and VARCHAR lengths bite).
RUNS = [(db, role) for db in ("sqlite", "postgresql") for role in Role]


@schema.parametrize()
@pytest.mark.parametrize(
    ("db_url", "signed_in"), RUNS, indirect=True, ids=[f"{db}-{role}" for db, role in RUNS]
)
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_documented_contract(
    case: Case[Any], app: FastAPI, signed_in: SignedIn
) -> None:
    case.call_and_validate(app=app, headers=signed_in.headers(), checks=CHECKS)
