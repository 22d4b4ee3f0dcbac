"""The request guard on its own: strict JSON, limits on streamed bodies, content types.

These drive the middleware with raw ASGI messages, so that a body really arrives in many
chunks without a Content-Length, or a client really goes away half-way; the app-wide tests
(test_hostile_input) check the same refusals through every route of the registry.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, File, Form, UploadFile
from fastapi.testclient import TestClient
from pydantic import BaseModel

from core.problems import install_problem_handlers
from core.request_guard import RequestGuard, StrictJSONError, strict_json_loads

LIMIT = 1024
UPLOAD_LIMIT = 4096

Message = dict[str, Any]


class Note(BaseModel):
    text: str


def _app() -> tuple[FastAPI, list[Any]]:
    """A small app with one route of each body kind, behind the guard."""
    seen: list[Any] = []
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/json")
    def json_route(note: Note) -> dict[str, str]:
        seen.append(note.text)
        return {"text": note.text}

    @app.post("/form")
    def form_route(text: Annotated[str, Form()]) -> dict[str, str]:
        seen.append(text)
        return {"text": text}

    @app.post("/upload")
    async def upload_route(file: Annotated[UploadFile, File()]) -> dict[str, int]:
        size = len(await file.read())
        seen.append(size)
        return {"size": size}

    @app.post("/none")
    def no_body_route() -> dict[str, bool]:
        seen.append(True)
        return {"ok": True}

    @app.get("/items/{item}")
    def get_route(item: str) -> dict[str, str]:
        return {"item": item}

    app.add_middleware(RequestGuard, max_body_bytes=LIMIT, max_upload_bytes=UPLOAD_LIMIT)
    return app, seen


@pytest.fixture
def guarded() -> tuple[TestClient, list[Any]]:
    app, seen = _app()
    return TestClient(app, raise_server_exceptions=False), seen


# --- Strict JSON -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": 1, "b": [true, false, null], "c": {"d": "\\u00e9\\ud83d\\ude00"}}',
        b"9223372036854775807",
        b"-9223372036854775808",
        b"1.5e308",
        b'"' + "خاتم".encode() + b'"',
        b"[" * 32 + b"]" * 32,
    ],
)
def test_strict_json_accepts_ordinary_json(body: bytes) -> None:
    assert strict_json_loads(body) == json.loads(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": {"b": 1, "b": 1}}', "duplicate key"),
        (b"NaN", "NaN is not a JSON number"),
        (b"[Infinity]", "Infinity is not a JSON number"),
        (b"[-Infinity]", "-Infinity is not a JSON number"),
        (b"1e400", "number out of range"),
        (b"9223372036854775808", "64-bit"),
        (b"-9223372036854775809", "64-bit"),
        (b"1" + b"0" * 400, "64-bit"),
        (b"1." + b"0" * 100, "number too long"),
        (b"[" * 33 + b"]" * 33, "nesting too deep"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting too deep"),
        (b'"\\ud800"', "lone surrogate"),
        (b'{"\\udc00": 1}', "lone surrogate"),
        (b'"a\\u0000b"', "NUL"),
        (b'{"a\\u0000": 1}', "NUL"),
        (b'"\xff"', "not UTF-8"),
        (b'"\xed\xa0\x80"', "not UTF-8"),  # a surrogate encoded as UTF-8 bytes
        (b'{"a": 1', "malformed JSON"),
        (b"", "malformed JSON"),
    ],
)
def test_strict_json_refuses_what_it_will_not_interpret(body: bytes, reason: str) -> None:
    with pytest.raises(StrictJSONError, match=reason):
        strict_json_loads(body)


# --- Raw ASGI: streamed bodies and disconnects -----------------------------------------------


def _scope(path: str, headers: list[tuple[bytes, bytes]], method: str = "POST") -> Message:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }


def _call(
    app: Callable[..., Awaitable[None]], scope: Message, messages: list[Message]
) -> tuple[list[Message], int]:
    """Run one request; return what the app sent and how many messages it received."""
    received = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal received
        received += 1
        if received <= len(messages):
            return messages[received - 1]
        await asyncio.sleep(3600)  # a client that sends nothing more
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    async def run() -> None:
        await asyncio.wait_for(app(scope, receive, send), timeout=10)

    asyncio.run(run())
    return sent, received


def _chunks(total: int, size: int = 100) -> list[Message]:
    count = -(-total // size)
    return [
        {"type": "http.request", "body": b"x" * size, "more_body": index < count - 1}
        for index in range(count)
    ]


def test_a_streamed_body_over_the_limit_is_refused_as_soon_as_it_passes_it() -> None:
    app, seen = _app()
    headers = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    sent, received = _call(app, _scope("/json", headers), _chunks(20 * LIMIT))
    start = sent[0]
    assert start["status"] == 413
    assert (b"content-type", b"application/problem+json") in start["headers"]
    assert json.loads(sent[1]["body"])["limit"] == LIMIT
    assert received == LIMIT // 100 + 1  # it stopped reading just past the limit
    assert seen == []


def test_a_streamed_body_within_the_limit_reaches_the_route_whole() -> None:
    app, seen = _app()
    body = json.dumps({"text": "x" * (LIMIT - 20)}).encode()
    parts = [body[i : i + 7] for i in range(0, len(body), 7)]
    messages = [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1}
        for i, part in enumerate(parts)
    ]
    headers = [(b"content-type", b"application/json")]
    sent, _ = _call(app, _scope("/json", headers), messages)
    assert sent[0]["status"] == 200
    assert seen == ["x" * (LIMIT - 20)]


def test_an_announced_length_over_the_limit_is_refused_before_reading() -> None:
    app, seen = _app()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % (LIMIT + 1))]
    sent, received = _call(app, _scope("/json", headers), _chunks(LIMIT + 1))
    assert sent[0]["status"] == 413
    assert received == 0 and seen == []


def test_uploads_have_their_own_limit() -> None:
    app, seen = _app()
    boundary = b"khatem"
    head = b'--khatem\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n'

    def upload(size: int) -> list[Message]:
        body = head + b"x" * size + b"\r\n--khatem--\r\n"
        return [{"type": "http.request", "body": body, "more_body": False}]

    headers = [(b"content-type", b"multipart/form-data; boundary=" + boundary)]
    sent, _ = _call(app, _scope("/upload", headers), upload(2 * LIMIT))
    assert sent[0]["status"] == 200 and seen == [2 * LIMIT]
    sent, _ = _call(app, _scope("/upload", headers), upload(UPLOAD_LIMIT))
    assert sent[0]["status"] == 413


def test_a_client_that_goes_away_mid_body_never_reaches_the_route() -> None:
    app, seen = _app()
    messages: list[Message] = [
        {"type": "http.request", "body": b'{"text": "half', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent, _ = _call(app, _scope("/json", [(b"content-type", b"application/json")]), messages)
    assert sent == [] and seen == []


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1_000", b"+12", b""])
def test_a_content_length_that_is_not_a_number_is_refused(length: bytes) -> None:
    app, seen = _app()
    headers = [(b"content-type", b"application/json"), (b"content-length", length)]
    sent, _ = _call(app, _scope("/json", headers), _chunks(10))
    assert sent[0]["status"] == 400 and seen == []


def test_lifespan_and_websocket_scopes_pass_through() -> None:
    calls: list[str] = []

    async def inner(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        calls.append(scope["type"])

    guard = RequestGuard(inner, max_body_bytes=LIMIT, max_upload_bytes=UPLOAD_LIMIT)
    for kind in ("lifespan", "websocket"):
        asyncio.run(guard({"type": kind}, None, None))  # type: ignore[arg-type]
    assert calls == ["lifespan", "websocket"]


# --- Content types, by route -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type", "body", "status"),
    [
        ("/json", "application/json", b'{"text": "a"}', 200),
        ("/json", "application/merge-patch+json", b'{"text": "a"}', 200),
        ("/json", "application/json; charset=utf-8", b'{"text": "a"}', 200),
        ("/json", "application/x-www-form-urlencoded", b"text=a", 415),
        ("/json", "multipart/form-data; boundary=b", b"--b--\r\n", 415),
        ("/json", "text/plain", b'{"text": "a"}', 415),
        ("/json", "text/json", b'{"text": "a"}', 415),
        ("/json", None, b'{"text": "a"}', 415),
        ("/form", "application/x-www-form-urlencoded", b"text=a", 200),
        ("/form", "application/json", b'{"text": "a"}', 415),
        ("/form", "application/x-www-form-urlencoded", b"text=a%00b", 400),
        ("/upload", "application/x-www-form-urlencoded", b"file=a", 415),
        ("/none", "application/json", b"{}", 200),
        ("/none", "application/x-www-form-urlencoded", b"a=b", 415),
        ("/none", None, b"", 200),
        ("/nowhere", "application/json", b"{}", 404),
        ("/nowhere", "application/json", b'{"a": NaN}', 400),
        ("/nowhere", "application/octet-stream", b"\x00", 415),
    ],
)
def test_each_route_takes_the_content_type_of_its_body(
    guarded: tuple[TestClient, list[Any]],
    path: str,
    content_type: str | None,
    body: bytes,
    status: int,
) -> None:
    client, _ = guarded
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"


def test_a_body_on_a_read_request_is_checked_too(guarded: tuple[TestClient, list[Any]]) -> None:
    client, _ = guarded
    response = client.request(
        "GET", "/items/a", content=b'{"a": 1, "a": 2}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert client.get("/items/a").status_code == 200


@pytest.mark.parametrize("target", ["/items/a%00b", "/items/a?q=%00", "/json?x=1%00"])
def test_nul_characters_in_the_target_are_refused(
    guarded: tuple[TestClient, list[Any]], target: str
) -> None:
    client, seen = guarded
    response = client.get(target)
    assert response.status_code == 400
    assert response.json()["type"] == "https://khatem.ma/problems/nul-character"
    assert seen == []


def test_a_route_s_upload_limit_is_not_granted_by_calling_a_json_body_multipart() -> None:
    app, seen = _app()
    headers = [
        (b"content-type", b"multipart/form-data; boundary=b"),
        (b"content-length", b"%d" % (UPLOAD_LIMIT - 1)),
    ]
    sent, received = _call(app, _scope("/json", headers), _chunks(UPLOAD_LIMIT - 1))
    assert sent[0]["status"] == 415
    assert received == 0 and seen == []  # refused from the headers, nothing buffered


def test_a_content_type_without_a_body_is_not_refused(
    guarded: tuple[TestClient, list[Any]],
) -> None:
    client, seen = guarded
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/none", headers=headers).status_code == 200
    assert seen == [True]
