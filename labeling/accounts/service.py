"""Logging in, issuing and revoking tokens, creating accounts.

Failed logins are counted per account; after ``login_max_failures`` in a row the account is
locked for ``login_lockout_seconds``: every login, even with the right password, then answers
429 with a ``Retry-After`` so that an honest user knows how long to wait.

A stranger must not learn which emails are registered, so an unknown email gets exactly the
answers a known one would: the same 401 after the same Argon2 work, and the same 429 once it
has failed as often (counted in this process, see :class:`_UnknownEmails`).

A sign-in never hashes inside a database transaction (a flood of them must not hold
SQLite's writer lock, nor PostgreSQL connections, while Argon2 runs): it reads the account
in a read session and closes it, verifies the password through the
:class:`core.passwords.HashGate` (503 ``login-busy`` with ``Retry-After`` when too many are
hashing already), then records the outcome in one short write transaction, which checks
again, under the lock, that the account was not locked or changed meanwhile.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from threading import Lock

from sqlmodel import Session

from core.auth import Principal, new_token
from core.db import new_session, read_session
from core.passwords import HashGate, HashingBusy, hash_password, verify_dummy, verify_password
from core.problems import Conflict, NotFound, ServiceUnavailable, TooManyRequests, Unauthorized
from core.settings import Settings
from labeling.accounts import repository
from schemas.accounts import ApiToken, TokenIssued, UserAccount
from schemas.types import Role, utcnow

__all__ = ["create_account", "issue_token", "login", "revoke_token"]


class _UnknownEmails:
    """Failure counts and locks for emails that have no account, so they lock like real ones.

    Bounded (the oldest entries are forgotten first) and per process: behind several workers
    an unknown email may take a few more tries to lock than a known one.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, tuple[int, datetime | None]] = OrderedDict()
        self._lock = Lock()

    def locked_until(self, email: str, now: datetime) -> datetime | None:
        with self._lock:
            _, until = self._entries.get(email, (0, None))
            return until if until is not None and until > now else None

    def record_failure(self, email: str, now: datetime, settings: Settings) -> None:
        with self._lock:
            failures, until = self._entries.pop(email, (0, None))
            if until is not None and until <= now:
                failures, until = 0, None
            failures += 1
            if failures >= settings.login_max_failures:
                failures, until = 0, now + timedelta(seconds=settings.login_lockout_seconds)
            self._entries[email] = (failures, until)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


_unknown_emails = _UnknownEmails()


def _wrong_credentials() -> Unauthorized:
    return Unauthorized("Email or password is wrong.", slug="login-failed")


def _locked(until: datetime, now: datetime) -> TooManyRequests:
    retry = int((until - now).total_seconds()) + 1
    return TooManyRequests(
        "Too many failed logins; this account is locked for a while.",
        slug="login-locked",
        headers={"Retry-After": str(retry)},
    )


def _busy(retry_after: int) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"Too many sign-ins at once; retry in {retry_after} s.",
        slug="login-busy",
        headers={"Retry-After": str(retry_after)},
    )


def _verify(gate: HashGate, password_hash: str | None, password: str) -> bool:
    """Argon2 through the gate (no database transaction is open here)."""
    try:
        with gate.slot():
            if password_hash is None:
                verify_dummy(password)  # the same Argon2 work as a known email
                return False
            return verify_password(password_hash, password)
    except HashingBusy as busy:
        raise _busy(busy.retry_after) from None


def login(
    *,
    settings: Settings,
    gate: HashGate,
    email: str,
    password: str,
    token_name: str,
    kind: str = "api",
) -> TokenIssued:
    email = email.strip().lower()
    url = settings.resolved_database_url
    # 1. Read the account; the session closes (and gives its connection back) before hashing.
    with read_session(url) as session:
        user = repository.get_user_by_email(session=session, email=email)
    now = utcnow()
    if user is None:
        until = _unknown_emails.locked_until(email, now)
        if until is not None:
            raise _locked(until, now)
        _verify(gate, None, password)
        _unknown_emails.record_failure(email, now, settings)
        raise _wrong_credentials()
    assert user.id is not None
    if user.locked_until is not None and user.locked_until > now:
        raise _locked(user.locked_until, now)
    # 2. Hash, outside any transaction.
    verified = _verify(gate, user.password_hash, password) and user.is_active
    # 3. Record the outcome in one short write transaction.
    with new_session(url) as session:
        if not verified:
            repository.record_failed_login(
                session=session,
                user_id=user.id,
                max_failures=settings.login_max_failures,
                locked_until=now + timedelta(seconds=settings.login_lockout_seconds),
            )
            session.commit()
            raise _wrong_credentials()
        # The account as it is now (row-locked on PostgreSQL; SQLite's writer lock is held):
        # parallel wrong guesses may have locked it while this password was being verified.
        current = repository.get_user_for_update(session=session, user_id=user.id)
        if current is None or not current.is_active or current.password_hash != user.password_hash:
            raise _wrong_credentials()
        if current.locked_until is not None and current.locked_until > now:
            raise _locked(current.locked_until, now)
        current.failed_logins = 0
        current.locked_until = None
        session.add(current)
        ttl = settings.session_ttl_hours if kind == "session" else settings.token_ttl_hours
        issued = _issue(session=session, user=current, name=token_name, kind=kind, ttl_hours=ttl)
        session.commit()
    return issued


def issue_token(
    *,
    session: Session,
    principal: Principal,
    name: str,
    ttl_hours: int | None,
    settings: Settings,
) -> TokenIssued:
    user = session.get(UserAccount, principal.user_id)
    if user is None:  # pragma: no cover - the principal was just loaded from this row
        raise Unauthorized()
    issued = _issue(
        session=session,
        user=user,
        name=name,
        kind="api",
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
    """Create an account. The caller has already checked who may create which role.

    The password is hashed first: if the session's transaction has not begun yet, Argon2
    then runs before it takes SQLite's writer lock."""
    password_hash = hash_password(password)
    if repository.get_user_by_email(session=session, email=email) is not None:
        raise Conflict("An account with this email exists.", slug="email-taken")
    user = repository.add_user(
        session=session,
        user=UserAccount(
            email=email,
            password_hash=password_hash,
            role=role.value,
            display_name=display_name,
            body_id=body_id,
            artisan_id=artisan_id,
        ),
    )
    if commit:
        session.commit()
    return user
