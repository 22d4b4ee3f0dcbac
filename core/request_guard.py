"""An ASGI middleware that refuses hostile request bodies before any route sees them.

Each refusal is a problem+json answer and nothing reaches a service:

* a body over ``max_body_bytes`` (or a multipart upload over ``max_upload_bytes``) -> 413;
* a body on a write method with a content type other than JSON or multipart -> 415;
* JSON that Python's parser would accept but that is ambiguous or unsafe -> 400: duplicate
  keys, ``NaN``/``Infinity``, integers longer than 40 digits, nesting deeper than 32 levels,
  invalid UTF-8 and lone surrogates (``"\\ud800"``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from core.problems import BadRequest, PayloadTooLarge, Problem, UnsupportedMediaType

__all__ = ["RequestGuard", "StrictJSONError", "strict_json_loads"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_WRITE_METHODS = {b"POST", b"PUT", b"PATCH", b"DELETE"}
_MAX_INT_DIGITS = 40
_MAX_DEPTH = 32


class StrictJSONError(ValueError):
    """The body is JSON that the registry refuses to interpret."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError(f"duplicate key {key[:40]!r}")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a JSON number")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise StrictJSONError("integer too large")
    return int(text)


def _float(text: str) -> float:
    if len(text) > 64:
        raise StrictJSONError("number too long")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise StrictJSONError("number out of range")
    return value


def _check(value: Any, depth: int = 0) -> None:
    if depth > _MAX_DEPTH:
        raise StrictJSONError("nesting too deep")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise StrictJSONError("lone surrogate in string") from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


def strict_json_loads(body: bytes) -> Any:
    """Parse JSON the way the registry accepts it, or raise :class:`StrictJSONError`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictJSONError("body is not UTF-8") from exc
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except RecursionError as exc:
        raise StrictJSONError("nesting too deep") from exc
    except json.JSONDecodeError as exc:
        raise StrictJSONError(f"malformed JSON at line {exc.lineno} column {exc.colno}") from exc
    _check(value)
    return value


def _content_type(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return str(value.decode("latin-1").split(";", 1)[0].strip().lower())
    return ""


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


class RequestGuard:
    """Buffers write-method bodies, enforces the limits and replays the body downstream."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"].encode() not in _WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read_checked(scope, receive)
        except Problem as problem:
            await _send_problem(send, problem)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read_checked(self, scope: Scope, receive: Receive) -> bytes:
        media_type = _content_type(scope)
        limit = (
            self.max_upload_bytes
            if media_type == "multipart/form-data"
            else self.max_body_bytes
        )
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError as exc:
                    raise BadRequest("Content-Length is not a number.") from exc
                if declared > limit:
                    raise PayloadTooLarge(f"The body limit here is {limit} bytes.", limit=limit)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"The body limit here is {limit} bytes.", limit=limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if not body:
            return body
        if _is_json(media_type) or media_type == "":
            if media_type == "":
                raise UnsupportedMediaType("Send the body as application/json.")
            try:
                strict_json_loads(body)
            except StrictJSONError as exc:
                raise BadRequest(str(exc), slug="malformed-json", title="Malformed JSON") from exc
        elif media_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
            raise UnsupportedMediaType(
                "Send the body as application/json (or multipart/form-data for uploads)."
            )
        return body


async def _send_problem(send: Send, problem: Problem) -> None:
    payload = json.dumps(problem.to_dict()).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
