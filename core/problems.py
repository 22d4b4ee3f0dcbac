"""RFC 9457 problem details: the one shape of every error the registry returns.

Hierarchy::

    Problem                      (base; carries status, stable type slug, title, detail)
    ├── BadRequest               400
    ├── Unauthorized             401  (adds WWW-Authenticate)
    ├── Forbidden                403
    ├── NotFound                 404  (also used for "exists but is not yours")
    ├── Conflict                 409
    ├── PayloadTooLarge          413
    ├── UnsupportedMediaType     415
    ├── UnprocessableContent     422  (business-rule or payload validation failures)
    ├── TooManyRequests          429  (adds Retry-After)
    └── ServiceUnavailable       503

Domain errors subclass these so that an expected business failure is never a 500.

The OpenAPI document says so too: :func:`install_problem_handlers` also rewrites the generated
document so that every operation lists the problems it can answer (400/413/415 where it takes
a body, 400 where it has parameters, 401/403 where it needs credentials, 422 where it
validates input), each as
``application/problem+json`` with the ``Problem`` schema. Routes document their own domain
answers with :func:`problem_responses`::

    @router.get("/artisans/{artisan_id}", responses=problem_responses(404))
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = [
    "PROBLEM_BASE",
    "PROBLEM_MEDIA_TYPE",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "NotFound",
    "PayloadTooLarge",
    "Problem",
    "ServiceUnavailable",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableContent",
    "UnsupportedMediaType",
    "document_problems",
    "install_problem_handlers",
    "problem_response",
    "problem_responses",
]

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://khatem.ma/problems/"


class ProblemJSONResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class Problem(Exception):
    """An error with a stable ``type`` that becomes an ``application/problem+json`` body."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        slug: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.instance_slug = slug or self.slug
        self.instance_title = title or self.title
        self.headers = headers or {}
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.instance_slug,
            "title": self.instance_title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        body.update(self.extra)
        return body


class BadRequest(Problem):
    status = 400
    slug = "bad-request"
    title = "Bad request"


class Unauthorized(Problem):
    status = 401
    slug = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        headers = kwargs.pop("headers", None) or {"WWW-Authenticate": "Bearer"}
        super().__init__(detail, headers=headers, **kwargs)


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    title = "Not allowed for this role"


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(Problem):
    status = 409
    slug = "conflict"
    title = "Conflict with the current state"


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported content type"


class UnprocessableContent(Problem):
    status = 422
    slug = "unprocessable"
    title = "The request cannot be processed"


class TooManyRequests(Problem):
    status = 429
    slug = "rate-limited"
    title = "Too many requests"


class ServiceUnavailable(Problem):
    status = 503
    slug = "service-unavailable"
    title = "Service temporarily unavailable"


def problem_response(problem: Problem) -> JSONResponse:
    return ProblemJSONResponse(
        problem.to_dict(), status_code=problem.status, headers=problem.headers
    )


_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed for this role"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported content type"),
}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Validation errors without echoing the (possibly huge or hostile) input back."""
    errors = []
    for err in exc.errors()[:50]:
        errors.append(
            {
                "loc": [str(part)[:100] for part in err.get("loc", ())],
                "msg": str(err.get("msg", ""))[:300],
                "type": str(err.get("type", "")),
            }
        )
    return errors


#: SQLSTATEs of a transaction PostgreSQL gave up on that may well succeed when tried again:
#: serialization_failure, deadlock_detected (two writers locking the same rows in opposite
#: orders), lock_not_available.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def retryable_database_error(exc: DBAPIError) -> bool:
    """Whether the database refused ``exc``'s transaction only because of another one at the
    same moment (rolled back whole: nothing of it was kept, so the client may simply retry)."""
    original = exc.orig
    if getattr(original, "sqlstate", None) in _RETRYABLE_SQLSTATES:  # psycopg
        return True
    # SQLite: the writer lock stayed taken past the busy timeout.
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def _busy() -> ServiceUnavailable:
    return ServiceUnavailable(
        "The registry was busy with another change to the same records; nothing of this "
        "request was kept. Send it again.",
        slug="registry-busy",
        title="Registry busy, try again",
        headers={"Retry-After": "1"},
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error the framework can raise through the problem shape."""

    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problem = UnprocessableContent(
            "The request does not match the documented schema.",
            slug="validation-error",
            title="Invalid request",
            errors=_validation_errors(exc),
        )
        return problem_response(problem)

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + slug,
            "title": title,
            "status": exc.status_code,
        }
        if isinstance(exc.detail, str) and exc.detail and exc.detail != title:
            body["detail"] = exc.detail
        return ProblemJSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        # The detail of an unexpected failure never leaves the server: it may hold data.
        body = {
            "type": PROBLEM_BASE + "internal-error",
            "title": "Internal error",
            "status": 500,
        }
        return ProblemJSONResponse(body, status_code=500)

    async def on_database(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DBAPIError)
        if not retryable_database_error(exc):
            raise exc  # a 500, logged by the server like any other failure
        logger.warning("a transaction gave way to another (%s); answered 503", type(exc.orig))
        return problem_response(_busy())

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(DBAPIError, on_database)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
    document_problems(app)


# --- The problems in the OpenAPI document ---------------------------------------------------

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `type` is stable and documented.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Which inputs failed validation (for 422 validation errors).",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    # Problem types may add members (RFC 9457 section 3.2), e.g. ``limit`` on a 413.
    "additionalProperties": True,
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_HTML = "text/html"

_DESCRIPTIONS: dict[int, str] = {
    400: "Malformed request: JSON with duplicate keys, NaN, huge numbers, deep nesting, "
    "lone surrogates or NUL characters, or a body that is not UTF-8",
    401: "Missing, invalid, expired or revoked credentials",
    403: "The caller's role may not do this",
    404: "Not found (or not visible to the caller)",
    409: "Conflict with the current state",
    413: "Request body over the documented limit",
    415: "Unsupported content type",
    422: "The request does not match the documented schema or a business rule",
    429: "Too many requests; retry after the number of seconds in Retry-After",
    503: "Service temporarily unavailable",
}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The authentication scheme: Bearer",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


def problem_responses(
    *statuses: int, descriptions: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for the problems a route answers, in the problem+json shape.

    ``descriptions`` overrides the generic sentence for a status (say what *this* 404 means).
    """
    descriptions = descriptions or {}
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if not 400 <= status <= 599:
            raise ValueError(f"{status} is not an error status")
        response: dict[str, Any] = {
            "description": descriptions.get(status) or _DESCRIPTIONS.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": dict(_PROBLEM_REF)}},
        }
        if status in _HEADERS:
            response["headers"] = dict(_HEADERS[status])
        responses[status] = response
    return responses


def _document_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    implied: list[int] = []
    if "requestBody" in operation:
        # The request guard answers these before the route runs (core.request_guard).
        implied += [400, 413, 415, 422]
    if operation.get("parameters"):
        implied += [400, 422]  # 400: a NUL character in the path or the query string
    if operation.get("security"):
        implied += [401, 403]
    for status, documented in problem_responses(*implied).items():
        current = responses.get(str(status))
        # FastAPI documents its own 422 as "Validation Error" in JSON; ours is a problem.
        if current is None or current.get("description") == "Validation Error":
            responses[str(status)] = documented
    for key, response in responses.items():
        if key[:1] in ("4", "5"):
            # Every error leaves the server as problem+json, whatever the route declared;
            # except a page's error that a route declares as a page (text/html), by itself
            # or beside its problem+json (a page for browsers, a problem for the others).
            declared = response.get("content") or {}
            content = {PROBLEM_MEDIA_TYPE: {"schema": dict(_PROBLEM_REF)}}
            if _HTML in declared:
                pages = {_HTML: declared[_HTML]}
                content = pages if PROBLEM_MEDIA_TYPE not in declared else content | pages
            response["content"] = content
            if key.isdigit() and int(key) in _HEADERS:
                response.setdefault("headers", dict(_HEADERS[int(key)]))


def _drop_unused_fastapi_validation_schemas(document: dict[str, Any]) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    if "#/components/schemas/HTTPValidationError" not in json.dumps(document.get("paths", {})):
        schemas.pop("HTTPValidationError", None)
        if "#/components/schemas/ValidationError" not in json.dumps(document):
            schemas.pop("ValidationError", None)


def add_problem_documentation(document: dict[str, Any]) -> dict[str, Any]:
    """Document the problem answers of every operation in an OpenAPI ``document`` (in place)."""
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                _document_operation(operation)
    _drop_unused_fastapi_validation_schemas(document)
    return document


def document_problems(app: FastAPI) -> None:
    """Make ``app.openapi()`` list the problem answers of every operation (see module doc)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_problem_documentation(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
