"""The app's routes and operations, walked once at collection time to parametrise the tests.

Nothing here is written per route: a route added tomorrow is walked, and so protected, by
every test that uses :data:`OPERATIONS` or :data:`JSON_BODY_OPERATIONS`.

The app walked here is built without a database (``create_app`` opens none); each test then
calls its own app, on its own database, with the same routes.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from fastapi import FastAPI, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext

from core.auth import _Allow, api_routes, public, route_guard
from core.request_guard import streams_upload
from core.settings import Settings
from schemas.types import Role

__all__ = [
    "COLLECTION_APP",
    "JSON_BODY_OPERATIONS",
    "OPENAPI",
    "OPERATIONS",
    "BodyKind",
    "Operation",
    "fuzz_runs",
    "operations",
    "resolve",
]

BodyKind = Literal["json", "form", "upload", "none"]

_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


@dataclass(frozen=True)
class Operation:
    """One method of one route, as served."""

    method: str
    path: str
    roles: frozenset[Role] | None  # None: the route is public
    body: BodyKind
    int_params: frozenset[str] = field(default_factory=frozenset)
    #: A workspace page (labeling.workspace): refusals are a redirect to /login or a page.
    page: bool = False

    @property
    def is_public(self) -> bool:
        return self.roles is None

    def url(self, *, plausible: bool = True) -> str:
        """The path with its parameters filled: ints -> 1, strings -> "x".

        With ``plausible=False`` every parameter is "x", which an int parameter cannot parse:
        a guarded route must still answer 401/403 first.
        """

        def fill(match: re.Match[str]) -> str:
            return "1" if plausible and match.group(1) in self.int_params else "x"

        return _PARAM.sub(fill, self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _body_kind(route: RouteContext) -> BodyKind:
    body_field = route.body_field
    if streams_upload(route):  # reads its own multipart body (core.request_guard)
        return "upload"
    if body_field is None:
        return "none"
    if isinstance(body_field.field_info, params.File):
        return "upload"
    if isinstance(body_field.field_info, params.Form):
        return "form"
    return "json"


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return get_origin(annotation) in (Union, UnionType) and int in get_args(annotation)


def _int_params(dependant: Dependant) -> frozenset[str]:
    """Path parameters declared as ints, by the route or by any of its dependencies."""
    own = {p.name for p in dependant.path_params if _is_int(p.field_info.annotation)}
    return frozenset(own.union(*(_int_params(dep) for dep in dependant.dependencies)))


def operations(app: FastAPI) -> list[Operation]:
    """Every (method, route) the app serves, with its audience and the body it takes."""
    found: list[Operation] = []
    for route in api_routes(app):
        guard = route_guard(route)
        assert guard is not None, f"{route.path} has no guard (create_app should refuse it)"
        roles = guard.roles if isinstance(guard, _Allow) else None
        assert roles is not None or guard is public
        for method in sorted(route.methods or ()):
            found.append(
                Operation(
                    method=method,
                    path=str(route.path),
                    roles=roles,
                    body=_body_kind(route),
                    int_params=_int_params(route.dependant),
                    page=getattr(route.original_route, "answers_pages", False),
                )
            )
    return found


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (once per level) in an OpenAPI document."""
    while "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _json_body_operations(app: FastAPI, document: dict[str, Any]) -> list[Operation]:
    by_key = {(op.method, op.path): op for op in operations(app)}
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append(by_key[(method.upper(), path)])
    return found


def _collection_app() -> FastAPI:
    from main import create_app as build

    # create_app opens no database, but the app's lifespan (which resumes label jobs) does
    # when a test drives this app itself (schemathesis fetches the schema through it): keep
    # whatever it creates out of the working tree.
    scratch = Path(tempfile.mkdtemp(prefix="khatem-collection-"))
    return build(
        Settings(
            environment="test", database_url=f"sqlite:///{scratch / 'unused.db'}", data_dir=scratch
        )
    )


COLLECTION_APP = _collection_app()
OPENAPI: dict[str, Any] = COLLECTION_APP.openapi()
OPERATIONS: list[Operation] = operations(COLLECTION_APP)
JSON_BODY_OPERATIONS: list[Operation] = _json_body_operations(COLLECTION_APP, OPENAPI)


_ROLE_ORDER = (Role.ADMIN, Role.INSPECTOR, Role.ARTISAN, Role.RETAILER)


def fuzz_runs(op: Operation) -> set[tuple[str, Role]]:
    """As whom, and on which backend, Schemathesis exercises ``op``.

    On SQLite: as every role the route admits (a public route once). On PostgreSQL: once, as
    the first role it admits (what PostgreSQL refuses that SQLite lets through — 32-bit ids,
    VARCHAR lengths — does not depend on the role). Roles a route does not admit answer 403
    without looking at the request, which the route walk proves for every route.
    """
    admitted = [r for r in _ROLE_ORDER if op.roles is None or r in op.roles]
    sqlite = admitted[:1] if op.roles is None else admitted
    return {("sqlite", role) for role in sqlite} | {("postgresql", admitted[0])}


OPERATIONS_BY_KEY: dict[str, Operation] = {str(op): op for op in OPERATIONS}
