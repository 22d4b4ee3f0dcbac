"""Logging in, issuing and revoking tokens, creating accounts.

Failed logins are counted per account; after ``login_max_failures`` in a row the account is
locked for ``login_lockout_seconds`` (the answer is the same 401 as a wrong password, plus a
``Retry-After`` so that an honest user knows to wait). Unknown emails cost the same Argon2
verification as known ones.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from core.auth import Principal, new_token
from core.passwords import hash_password, verify_dummy, verify_password
from core.problems import Conflict, NotFound, TooManyRequests, Unauthorized
from core.settings import Settings
from labeling.accounts import repository
from schemas.accounts import ApiToken, TokenIssued, UserAccount
from schemas.types import Role, utcnow

__all__ = ["create_account", "issue_token", "login", "revoke_token"]


def login(
    *, session: Session, settings: Settings, email: str, password: str, token_name: str,
    kind: str = "api",
) -> TokenIssued:
    user = repository.get_user_by_email(session=session, email=email)
    now = utcnow()
    if user is None:
        verify_dummy(password)
        raise Unauthorized("Email or password is wrong.", slug="login-failed")
    if user.locked_until is not None and user.locked_until > now:
        retry = int((user.locked_until - now).total_seconds()) + 1
        raise TooManyRequests(
            "Too many failed logins; this account is locked for a while.",
            slug="login-locked",
            headers={"Retry-After": str(retry)},
        )
    if not verify_password(user.password_hash, password) or not user.is_active:
        user.failed_logins += 1
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = now + timedelta(seconds=settings.login_lockout_seconds)
            user.failed_logins = 0
        session.add(user)
        session.commit()
        raise Unauthorized("Email or password is wrong.", slug="login-failed")
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    ttl = settings.session_ttl_hours if kind == "session" else settings.token_ttl_hours
    issued = _issue(session=session, user=user, name=token_name, kind=kind, ttl_hours=ttl)
    session.commit()
    return issued


def issue_token(
    *, session: Session, principal: Principal, name: str, ttl_hours: int | None,
    settings: Settings,
) -> TokenIssued:
    user = session.get(UserAccount, principal.user_id)
    if user is None:  # pragma: no cover - the principal was just loaded from this row
        raise Unauthorized()
    issued = _issue(
        session=session, user=user, name=name, kind="api",
        ttl_hours=ttl_hours or settings.token_ttl_hours,
    )
    session.commit()
    return issued


def _issue(
    *, session: Session, user: UserAccount, name: str, kind: str, ttl_hours: int
) -> TokenIssued:
    assert user.id is not None
    token, token_hash = new_token()
    row = repository.add_token(
        session=session,
        token=ApiToken(
            user_id=user.id,
            token_hash=token_hash,
            name=name,
            kind=kind,
            expires_at=utcnow() + timedelta(hours=ttl_hours),
        ),
    )
    assert row.id is not None
    return TokenIssued(access_token=token, token_id=row.id, expires_at=row.expires_at)


def revoke_token(*, session: Session, principal: Principal, token_id: int) -> None:
    token = repository.get_token_for_user(
        session=session, token_id=token_id, user_id=principal.user_id
    )
    if token is None or token.revoked_at is not None:
        raise NotFound("No such token.")
    token.revoked_at = utcnow()
    session.add(token)
    session.commit()


def create_account(
    *,
    session: Session,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    body_id: int | None = None,
    artisan_id: int | None = None,
    commit: bool = True,
) -> UserAccount:
    """Create an account. The caller has already checked who may create which role."""
    if repository.get_user_by_email(session=session, email=email) is not None:
        raise Conflict("An account with this email exists.", slug="email-taken")
    user = repository.add_user(
        session=session,
        user=UserAccount(
            email=email,
            password_hash=hash_password(password),
            role=role.value,
            display_name=display_name,
            body_id=body_id,
            artisan_id=artisan_id,
        ),
    )
    if commit:
        session.commit()
    return user
