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
"""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
    "install_problem_handlers",
    "problem_response",
]

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

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
