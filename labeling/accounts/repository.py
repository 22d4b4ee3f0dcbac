"""Queries on accounts and tokens. Repositories flush; services commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from schemas.accounts import ApiToken, UserAccount

__all__ = [
    "add_token",
    "add_user",
    "get_token_for_user",
    "get_user_by_email",
    "get_user_for_update",
    "list_tokens_for_user",
    "record_failed_login",
]


def get_user_by_email(*, session: Session, email: str) -> UserAccount | None:
    return session.exec(select(UserAccount).where(UserAccount.email == email.lower())).first()


def get_user_for_update(*, session: Session, user_id: int) -> UserAccount | None:
    """The account, row-locked until the transaction ends (PostgreSQL; SQLite's write
    transactions hold the whole database's writer lock already)."""
    return session.exec(
        select(UserAccount).where(UserAccount.id == user_id).with_for_update()
    ).first()


def add_user(*, session: Session, user: UserAccount) -> UserAccount:
    user.email = user.email.lower()
    session.add(user)
    session.flush()
    return user


def add_token(*, session: Session, token: ApiToken) -> ApiToken:
    session.add(token)
    session.flush()
    return token


def list_tokens_for_user(*, session: Session, user_id: int, now: datetime) -> list[ApiToken]:
    statement = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
        .where(ApiToken.expires_at > now)
        .order_by(col(ApiToken.id))
    )
    return list(session.exec(statement))


def get_token_for_user(*, session: Session, token_id: int, user_id: int) -> ApiToken | None:
    return session.exec(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    ).first()


def record_failed_login(
    *, session: Session, user_id: int, max_failures: int, locked_until: datetime
) -> None:
    """Count one failed login; the one that reaches ``max_failures`` locks the account.

    One atomic UPDATE, not read-modify-write: concurrent guesses each count (on PostgreSQL
    the row lock orders them), so parallel requests cannot outrun the lockout.
    """
    failures = session.execute(
        update(UserAccount)
        .where(col(UserAccount.id) == user_id)
        .values(failed_logins=col(UserAccount.failed_logins) + 1)
        .returning(col(UserAccount.failed_logins))
    ).scalar_one()
    if failures >= max_failures:
        session.execute(
            update(UserAccount)
            .where(col(UserAccount.id) == user_id)
            .values(failed_logins=0, locked_until=locked_until)
        )
