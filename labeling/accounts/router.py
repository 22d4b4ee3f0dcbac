"""Authentication: tokens for API clients, a cookie session for browser pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from core.auth import SESSION_COOKIE, Principal, SessionDep, SettingsDep, allow, public
from core.problems import Problem
from labeling.accounts import repository, service
from schemas.accounts import LoginRequest, TokenCreate, TokenIssued, TokenPublic, UserPublic
from schemas.types import Role, utcnow

router = APIRouter(tags=["accounts"])

AnyRole = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]

_AUTH_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Wrong email or password"},
    429: {"description": "Account temporarily locked after repeated failures"},
}


@router.post(
    "/api/v1/auth/token",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(public)],
    responses=_AUTH_ERRORS,
    summary="Exchange email and password for a bearer token",
)
def create_token(body: LoginRequest, session: SessionDep, settings: SettingsDep) -> TokenIssued:
    return service.login(
        session=session, settings=settings, email=body.email, password=body.password,
        token_name=body.token_name,
    )


@router.get("/api/v1/auth/me", response_model=UserPublic, summary="The calling account")
def me(principal: AnyRole, session: SessionDep) -> UserPublic:
    from schemas.accounts import UserAccount

    user = session.get(UserAccount, principal.user_id)
    assert user is not None and user.id is not None
    return UserPublic(
        id=user.id, email=user.email, display_name=user.display_name, role=Role(user.role),
        body_id=user.body_id, artisan_id=user.artisan_id, is_active=user.is_active,
    )


@router.get("/api/v1/auth/tokens", response_model=list[TokenPublic], summary="My live tokens")
def list_tokens(principal: AnyRole, session: SessionDep) -> list[TokenPublic]:
    rows = repository.list_tokens_for_user(
        session=session, user_id=principal.user_id, now=utcnow()
    )
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
        session=session, principal=principal, name=body.name, ttl_hours=body.ttl_hours,
        settings=settings,
    )


@router.delete(
    "/api/v1/auth/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "No such token of yours"}},
    summary="Revoke one of my tokens",
)
def revoke(token_id: int, principal: AnyRole, session: SessionDep) -> Response:
    service.revoke_token(session=session, principal=principal, token_id=token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/v1/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke the token used for this call",
)
def logout(principal: AnyRole, session: SessionDep) -> Response:
    service.revoke_token(session=session, principal=principal, token_id=principal.token_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE)
    return response


_LOGIN_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Khatem — connexion</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;padding:.5rem;font-size:1rem}}
button{{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}}.err{{color:#a00}}</style></head>
<body><h1>Khatem</h1><p>Connexion inspecteurs, organismes et artisans.</p>{error}
<form method="post" action="/login"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Se connecter</button></form></body></html>"""


@router.get(
    "/login", response_class=HTMLResponse, dependencies=[Depends(public)], include_in_schema=False
)
def login_page() -> HTMLResponse:
    return HTMLResponse(_LOGIN_PAGE.format(error=""))


@router.post(
    "/login", response_class=HTMLResponse, dependencies=[Depends(public)], include_in_schema=False
)
def login_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=256)],
) -> Response:
    try:
        issued = service.login(
            session=session, settings=settings, email=email, password=password,
            token_name="browser", kind="session",
        )
    except Problem as problem:
        page = _LOGIN_PAGE.format(error=f'<p class="err">{problem.instance_title}.</p>')
        return HTMLResponse(page, status_code=problem.status, headers=problem.headers)
    response = RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        issued.access_token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=settings.session_ttl_hours * 3600,
    )
    return response
