"""Authentication: tokens for API clients, a cookie session for browser pages."""

from __future__ import annotations

import re
from threading import Lock
from typing import Annotated, Final
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from core.auth import SESSION_COOKIE, Principal, SessionDep, SettingsDep, allow, public
from core.passwords import HashGate, usable_cpus
from core.problems import Problem, problem_responses
from core.rate_limit import rate_limit
from core.settings import Settings
from labeling.accounts import repository, service
from labeling.workspace.i18n import known_language, remember_language
from schemas.accounts import (
    LoginRequest,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserAccount,
    UserPublic,
)
from schemas.types import Role, utcnow
from verify.pages import choose_language, page_headers, render_login_page

router = APIRouter(tags=["accounts"])

# Retailers (their service accounts) manage their own API keys here too.
AnyRole = Annotated[
    Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN, Role.RETAILER))
]
# api_token.id is a 32-bit INTEGER on PostgreSQL: a larger id must be a 422, not a 500.
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id of one of my tokens")]

_gate_lock = Lock()


async def hash_gate(request: Request) -> HashGate:
    """The app's gate on Argon2 verifications (``core.passwords.HashGate``), made from its
    settings on first use."""
    state = request.app.state
    gate: HashGate | None = getattr(state, "hash_gate", None)
    if gate is None:
        with _gate_lock:
            gate = getattr(state, "hash_gate", None)
            if gate is None:
                settings: Settings = state.settings
                gate = state.hash_gate = HashGate(
                    concurrency=settings.login_hash_concurrency or usable_cpus(),
                    queue=settings.login_hash_queue,
                    wait_seconds=settings.login_hash_wait_seconds,
                )
    return gate


HashGateDep = Annotated[HashGate, Depends(hash_gate)]
# Signing in is public, and each attempt costs an Argon2 verification: rate-limited per client.
_SIGN_IN = [Depends(public), Depends(rate_limit("login"))]


@router.post(
    "/api/v1/auth/token",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    dependencies=_SIGN_IN,
    responses=problem_responses(
        401,
        429,
        503,
        descriptions={
            401: "Wrong email or password (the same answer for an unknown email)",
            429: "`login-locked`: account locked for a while after repeated failures; "
            "`rate-limited`: too many sign-ins from this address. See Retry-After",
            503: "`login-busy`: too many sign-ins at once; see Retry-After",
        },
    ),
    summary="Exchange email and password for a bearer token",
)
def create_token(body: LoginRequest, settings: SettingsDep, gate: HashGateDep) -> TokenIssued:
    return service.login(
        settings=settings,
        gate=gate,
        email=body.email,
        password=body.password,
        token_name=body.token_name,
    )


@router.get("/api/v1/auth/me", response_model=UserPublic, summary="The calling account")
def me(principal: AnyRole, session: SessionDep) -> UserPublic:
    user = session.get(UserAccount, principal.user_id)
    assert user is not None and user.id is not None
    return UserPublic(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        body_id=user.body_id,
        artisan_id=user.artisan_id,
        is_active=user.is_active,
    )


@router.get("/api/v1/auth/tokens", response_model=list[TokenPublic], summary="My live tokens")
def list_tokens(principal: AnyRole, session: SessionDep) -> list[TokenPublic]:
    rows = repository.list_tokens_for_user(session=session, user_id=principal.user_id, now=utcnow())
    return [TokenPublic.model_validate(row, from_attributes=True) for row in rows]


@router.post(
    "/api/v1/auth/tokens",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    summary="Create another named token (e.g. for an integration)",
)
def add_token(
    body: TokenCreate, principal: AnyRole, session: SessionDep, settings: SettingsDep
) -> TokenIssued:
    return service.issue_token(
        session=session,
        principal=principal,
        name=body.name,
        ttl_hours=body.ttl_hours,
        settings=settings,
    )


@router.delete(
    "/api/v1/auth/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, descriptions={404: "No such live token of yours"}),
    summary="Revoke one of my tokens",
)
def revoke(token_id: TokenId, principal: AnyRole, session: SessionDep) -> Response:
    service.revoke_token(session=session, principal=principal, token_id=token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/v1/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke the token used for this call",
)
def logout(
    request: Request, principal: AnyRole, session: SessionDep, settings: SettingsDep
) -> Response:
    service.revoke_token(session=session, principal=principal, token_id=principal.token_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(
        SESSION_COOKIE,
        httponly=True,
        samesite="strict",
        secure=_secure_cookies(request, settings),
    )
    return response


LoginLang = Annotated[str | None, Form(max_length=16)]
LoginNext = Annotated[str | None, Form(max_length=2000)]

_WORKSPACE_PATH: Final = re.compile(r"/workspace(?:/[A-Za-z0-9_-]+)*/?")
_SAFE_QUERY: Final = re.compile(r"[A-Za-z0-9_=&%+~-]*")


def next_page(wanted: str | None) -> str:
    """Where a person goes once signed in: ``wanted`` when it is a page of the workspace on
    this origin (a plain path: no scheme, host, backslash, dot segment or control
    character), else the workspace home. Anything else would make ``/login`` an open
    redirect."""
    if not wanted or len(wanted) > 2000 or any(ch <= " " or ch == "\x7f" for ch in wanted):
        return "/workspace"
    parts = urlsplit(wanted)
    if (
        parts.scheme
        or parts.netloc
        or parts.fragment
        or not _WORKSPACE_PATH.fullmatch(parts.path)
        or "//" in parts.path
        or not _SAFE_QUERY.fullmatch(parts.query)
        or "%2e" in parts.query.lower()
    ):
        return "/workspace"
    return parts.path + ("?" + parts.query if parts.query else "")


def _login_page(
    request: Request,
    lang: str | None,
    *,
    problem: Problem | None = None,
    email: str = "",
    status_code: int = 200,
    wanted: str | None = None,
) -> HTMLResponse:
    """The sign-in page (``verify.pages``: the public pages' template, four languages), with
    the public pages' headers; after a refused sign-in it says why."""
    language = choose_language(lang, request.headers.get("accept-language"))
    headers = page_headers(language)
    retry = 60
    if problem is not None:
        headers.update(problem.headers)
        retry = int(problem.headers.get("Retry-After", "60"))
    page = render_login_page(
        lang=language,
        self_url="/login",
        problem=problem.instance_slug if problem is not None else None,
        retry_after=retry,
        email=email,
        next_page=next_page(wanted) if wanted else "",
    )
    return HTMLResponse(page, status_code=status_code, headers=headers)


def _secure_cookies(request: Request, settings: Settings) -> bool:
    # Behind a TLS-terminating proxy the app sees http; the public URL says what users see,
    # and production is served over HTTPS whatever the app sees (or was told).
    return (
        request.url.scheme == "https"
        or settings.public_base_url.startswith("https://")
        or settings.is_production
    )


@router.get(
    "/login", response_class=HTMLResponse, dependencies=[Depends(public)], include_in_schema=False
)
def login_page(
    request: Request,
    lang: Annotated[str | None, Query(max_length=16, description="fr, en, es or ar")] = None,
    next: Annotated[  # noqa: A002 - the query parameter's name
        str | None, Query(max_length=2000, description="a workspace page to open after")
    ] = None,
) -> HTMLResponse:
    return _login_page(request, lang, wanted=next)


@router.post("/login", response_class=HTMLResponse, dependencies=_SIGN_IN, include_in_schema=False)
def login_form(
    request: Request,
    settings: SettingsDep,
    gate: HashGateDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=256)],
    lang: LoginLang = None,
    next: LoginNext = None,  # noqa: A002 - the form field's name
) -> Response:
    try:
        issued = service.login(
            settings=settings,
            gate=gate,
            email=email,
            password=password,
            token_name="browser",
            kind="session",
        )
    except Problem as problem:
        return _login_page(
            request, lang, problem=problem, email=email, status_code=problem.status, wanted=next
        )
    # People land on their workspace (labeling.workspace), on the page that sent them to
    # sign in if it is one of its pages; machines use the API.
    response = RedirectResponse(next_page(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        issued.access_token,
        httponly=True,
        samesite="strict",
        secure=_secure_cookies(request, settings),
        max_age=settings.session_ttl_hours * 3600,
    )
    # The language chosen on the sign-in page is the workspace's too (when it has it).
    chosen = known_language(lang)
    if chosen is not None:
        remember_language(response, chosen, secure=_secure_cookies(request, settings))
    return response
