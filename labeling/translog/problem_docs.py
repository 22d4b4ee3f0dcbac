"""OpenAPI ``responses=`` entries for the public log and key routes.

Every status a route can answer is declared with the ``application/problem+json`` body it
really carries, so schema-driven clients and contract tests meet no undocumented answer.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROBLEM_SCHEMA", "problem_responses"]

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `type` ends in a stable slug.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}


def problem_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the given statuses, each described by the slugs it can carry."""
    return {
        status: {
            "description": text,
            "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
        }
        for status, text in sorted(described.items())
    }
