"""The error answers each registry route documents in OpenAPI.

Every status a route can answer is listed, rendered by :func:`core.problems.problem_responses`
as ``application/problem+json``, so a schema-driven client (or schemathesis) never meets an
undocumented status or content type. Routes add what their own statuses mean (the slugs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.problems import problem_responses

__all__ = ["PUBLIC_READ", "STAFF_READ", "WRITE", "problems"]

# What every route of a kind can answer, whatever it does: the request guard's refusals (400
# for a NUL character in the path or query, on any route; 413 and 415 for a body), the
# authentication guard (401, 403) and validation of the parameters (422).
PUBLIC_READ: tuple[int, ...] = (400, 422)
STAFF_READ: tuple[int, ...] = (400, 401, 403, 422)
WRITE: tuple[int, ...] = (400, 401, 403, 413, 415, 422)

_VALIDATION = "`validation-error`: the request does not match the documented schema"


def problems(
    *statuses: int, extra: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the generic ``statuses`` plus the route's own ``extra``
    (status -> what it means here, naming the slugs)."""
    descriptions = dict(extra or {})
    if 422 in descriptions:
        descriptions[422] = f"{_VALIDATION}; {descriptions[422]}"
    return problem_responses(*sorted(set(statuses) | set(descriptions)), descriptions=descriptions)
