"""Authentication: tokens for API clients, a cookie session for browser pages."""

from __future__ import annotations

from html import escape
from threading import Lock
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from core.auth import SESSION_COOKIE, Principal, SessionDep, SettingsDep, allow, public
from core.passwords import HashGate, usable_cpus
from core.problems import Problem, problem_responses
from core.rate_limit import rate_limit
from core.settings import Settings
from labeling.accounts import repository, service
from schemas.accounts import (
    LoginRequest,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserAccount,
    UserPublic,
)
from schemas.types import Role, utcnow

router = APIRouter(tags=["accounts"])

AnyRole = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
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


_LOGIN_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Khatem — connexion</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;padding:.5rem;font-size:1rem}}
button{{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}}.err{{color:#a00}}</style></head>
<body><h1>Khatem</h1><p>Connexion inspecteurs, organismes et artisans.</p>{error}
<form method="post" action="/login"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{email}">
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Se connecter</button></form></body></html>"""

# What the person at the form reads, by problem type (the page is in French).
_FORM_MESSAGES = {
    "login-failed": "Email ou mot de passe incorrect.",
    "login-locked": "Trop de tentatives échouées : ce compte est verrouillé. "
    "Réessayez dans {minutes} minute(s).",
    "login-busy": "Trop de connexions en ce moment. Réessayez dans quelques secondes.",
}


def _login_page(*, error: str = "", email: str = "") -> str:
    message = f'<p class="err" role="alert">{escape(error)}</p>' if error else ""
    return _LOGIN_PAGE.format(error=message, email=escape(email, quote=True))


def _form_message(problem: Problem) -> str:
    retry = int(problem.headers.get("Retry-After", "60"))
    template = _FORM_MESSAGES.get(problem.instance_slug, "La connexion a échoué.")
    return template.format(minutes=max(1, -(-retry // 60)))


def _secure_cookies(request: Request, settings: Settings) -> bool:
    # Behind a TLS-terminating proxy the app sees http; the public URL says what users see.
    return request.url.scheme == "https" or settings.public_base_url.startswith("https://")


@router.get(
    "/login", response_class=HTMLResponse, dependencies=[Depends(public)], include_in_schema=False
)
def login_page() -> HTMLResponse:
    return HTMLResponse(_login_page())


@router.post("/login", response_class=HTMLResponse, dependencies=_SIGN_IN, include_in_schema=False)
def login_form(
    request: Request,
    settings: SettingsDep,
    gate: HashGateDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=256)],
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
        page = _login_page(error=_form_message(problem), email=email)
        return HTMLResponse(page, status_code=problem.status, headers=problem.headers)
    # People land on their workspace (labeling.workspace); machines use the API.
    response = RedirectResponse("/workspace", status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        issued.access_token,
        httponly=True,
        samesite="strict",
        secure=_secure_cookies(request, settings),
        max_age=settings.session_ttl_hours * 3600,
    )
    return response
