"""Schemathesis against the app's own OpenAPI document: every operation, signed in per role.

For every operation, Schemathesis generates valid and invalid requests (a bounded,
derandomised number: ``KHATEM_FUZZ_EXAMPLES``, 25 by default), sends each anonymously and as
each role the route admits (one item per operation and backend), and runs
every one of its checks on each answer (``CHECKS``): no 500, a documented status code,
content type and headers, a body that matches the documented schema, invalid input refused,
valid input accepted (or refused by a documented domain rule), credentials not ignored. The
requests run against the test's own app and database, signed in as the role through the
sign-in form (see ``SignedIn``).

Nothing is expected to fail: a disagreement between the document and the server fails the
test, and is fixed on whichever side is wrong (the server's behaviour, usually, stated in the
document: see ``core.contract``).

The schema is loaded once, from an app built at collection time (it has no database); each test
passes its own app to ``case.call_and_validate(app=...)``. (``schemathesis.pytest.from_fixture``
would be the lazy way, but schemathesis 4.32 reads ``node._nodeid``, which pytest 9.2 removed.)
"""

from __future__ import annotations

import os
import re
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
from tests.security.walk import COLLECTION_APP, OPENAPI, OPERATIONS_BY_KEY, Operation, fuzz_runs

#: The caller of the anonymous run (no credentials), beside the roles.
ANONYMOUS = "anonymous"
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


def _problem_type(response: schemathesis.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("type", "")).rsplit("/", 1)[-1] if isinstance(body, dict) else ""


#: The problem types that say "this request does not match the document" (core.problems).
SCHEMA_REFUSALS = frozenset(
    {"", "bad-request", "malformed-json", "unsupported-media-type", "validation-error"}
)


@schemathesis.check
def schema_valid_data_is_never_refused_as_invalid(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case[Any]
) -> bool | None:
    """Schemathesis's ``positive_data_acceptance``, but for a 422 that names a documented
    domain rule: a rule OpenAPI cannot state (exactly one of two parameters, ``from <= to``,
    an evidence file judged by its content) is refused with its own problem type (422, or
    415 for content). A schema-valid request refused as not matching the document (400,
    422 ``validation-error``) still fails: that is the document and the server disagreeing."""
    if response.status_code in (415, 422) and _problem_type(response) not in SCHEMA_REFUSALS:
        return None
    return openapi_checks.positive_data_acceptance(ctx, response, case)


#: Every check Schemathesis has, ``not_a_server_error`` and ``positive_data_acceptance`` in
#: the forms above. ``missing_required_header`` and ``unsupported_method`` act only in the
#: coverage phase, ``use_after_free`` and ``ensure_resource_availability`` only in the
#: stateful one, neither of which runs here (the coverage phase enumerates several hundred
#: cases per operation); tests/http/test_methods.py holds every route to its 405 and Allow,
#: and no operation requires a header (test_no_operation_requires_a_header).
CHECKS = [
    never_an_internal_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
    schema_valid_data_is_never_refused_as_invalid,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
    openapi_checks.ignored_auth,
]


def test_no_operation_requires_a_header() -> None:
    """What ``missing_required_header`` would check: nothing, as long as this holds."""
    required = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header" and parameter.get("required")
    ]
    assert required == []


@dataclass
class SignedIn:
    """A role signed in through the sign-in form, signing in again if a case revoked it;
    or nobody (``actor`` None: the anonymous run).

    Through the browser sign-in form, so the cookie path is fuzzed as well as the bearer
    tokens the other suites use. A retailer's service account has no password: its bearer
    token comes from the fixture. When a case revoked the token, a fresh one is minted.
    """

    client: TestClient
    session: Session
    actor: Actor | None
    token: str = field(default="")

    def headers(self) -> dict[str, str]:
        if self.actor is None:
            return {}
        if not self._valid():
            self.token = self._sign_in(self.actor)
        return {"Authorization": f"Bearer {self.token}"}

    def _sign_in(self, actor: Actor) -> str:
        if self.token:  # revoked by a case (a logout): a fresh token, not another sign-in,
            return TokenMint(self.session)(actor)  # which every caller would rate-limit
        if actor.role == Role.RETAILER:
            return actor.token
        response = self.client.post(
            "/login",
            data={"email": actor.email, "password": PASSWORD},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        token = response.cookies["khatem_session"]
        self.client.cookies.clear()
        return token

    def _valid(self) -> bool:
        if not self.token:
            return False
        row = self.session.exec(
            select(ApiToken).where(ApiToken.token_hash == hash_token(self.token))
        ).one()
        valid = row.revoked_at is None and row.expires_at > utcnow()
        self.session.rollback()  # on SQLite every transaction holds the write lock
        return valid


#: The fixture of each role's account; ``anonymous`` is no one.
ACCOUNTS = {
    Role.ADMIN: "admin",
    Role.INSPECTOR: "inspector",
    Role.ARTISAN: "artisan_user",
    Role.RETAILER: "retailer_user",
}


_ITEM = re.compile(r"\[([A-Z]+ [^\]]+)\]\[(sqlite|postgresql)\]$")


def callers(backend: str, op: Operation) -> list[str]:
    """Who sends each case on ``backend``: on SQLite anonymously and as every role the route
    admits (a public route: as the first role), on PostgreSQL as one admitted role, where
    32-bit INTEGER ids and VARCHAR lengths bite (``walk.fuzz_runs``)."""
    roles = sorted((role for db, role in fuzz_runs(op) if db == backend), key=list(ACCOUNTS).index)
    return ([ANONYMOUS] if backend == "sqlite" else []) + [role.value for role in roles]


@pytest.fixture
def signed_in(
    request: pytest.FixtureRequest, db_url: str, client: TestClient, session: Session
) -> dict[str, SignedIn]:
    """Each caller of this item's operation, signed in on its database."""
    match = _ITEM.search(request.node.name)
    assert match, request.node.name
    op = OPERATIONS_BY_KEY[match.group(1)]
    found: dict[str, SignedIn] = {}
    for caller in callers(match.group(2), op):
        actor = None if caller == ANONYMOUS else request.getfixturevalue(ACCOUNTS[Role(caller)])
        found[caller] = SignedIn(client=client, session=session, actor=actor)
    return found


# One item per operation and backend: each generated case is sent by every caller in turn,
# on one database and one app (building those, not the requests, is most of the cost; a
# run per caller built them once per caller, for the same derandomised cases).
@schema.parametrize()
@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_documented_contract(
    case: Case[Any], app: FastAPI, signed_in: dict[str, SignedIn]
) -> None:
    for caller, who in signed_in.items():
        try:
            case.call_and_validate(app=app, headers=who.headers(), checks=CHECKS)
        except BaseException as failure:
            failure.add_note(f"(sent as {caller})")
            raise
