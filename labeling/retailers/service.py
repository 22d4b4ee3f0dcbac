"""Retailer accounts: opened by the registry's operators, used through API keys.

A retailer organisation is a ``retailer`` row and one service account (role ``retailer``)
whose only credentials are bearer tokens: its password is random and never shown, so no
person signs in as a retailer (ARCHITECTURE.md: "API keys, not personal logins"). The
operators run ``khatem retailers create``, which prints the first key; the retailer makes
and revokes more keys itself (``/api/v1/auth/tokens``). Disabling a retailer deactivates its
account, so every key stops at once (401). See docs/retailers.md.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session

from core.auth import Principal, new_token
from core.passwords import hash_password
from core.problems import Conflict, Forbidden, NotFound, UnprocessableContent
from labeling.accounts import repository as accounts
from labeling.retailers import repository
from schemas.accounts import ApiToken, TokenIssued, UserAccount
from schemas.retailers import Retailer, RetailerPublic, RetailerStatus
from schemas.types import Role, utcnow

__all__ = [
    "DEFAULT_KEY_TTL_DAYS",
    "RetailerNotFound",
    "create_retailer",
    "disable_retailer",
    "issue_key",
    "public",
    "retailer_of",
]

#: How long a key made by the operators lasts (the retailer's own keys: ``ttl_hours``).
DEFAULT_KEY_TTL_DAYS = 365

_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


class RetailerNotFound(NotFound):
    slug = "retailer-not-found"
    title = "No such retailer"


def _new_code() -> str:
    return "R-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def create_retailer(
    *,
    session: Session,
    name: str,
    country: str,
    key_name: str = "first key",
    key_ttl_days: int = DEFAULT_KEY_TTL_DAYS,
) -> tuple[Retailer, TokenIssued]:
    """Open a retailer's account and issue its first API key (shown once)."""
    name = name.strip()
    country = country.strip().upper()
    if not name or len(name) > 200:
        raise UnprocessableContent("A retailer needs a name of 1 to 200 characters.")
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        raise UnprocessableContent("The country is an ISO 3166-1 alpha-2 code, e.g. FR.")
    for _ in range(8):
        code = _new_code()
        if repository.get_retailer_by_code(session=session, code=code) is None:
            break
    else:  # pragma: no cover - 32**8 codes
        raise Conflict("Could not draw a free retailer code; try again.")
    # No one signs in as a retailer: the password is random and forgotten at once.
    user = accounts.add_user(
        session=session,
        user=UserAccount(
            email=f"{code.lower()}@retailers.khatem.invalid",
            password_hash=hash_password(secrets.token_urlsafe(32)),
            role=Role.RETAILER.value,
            display_name=name,
        ),
    )
    assert user.id is not None
    retailer = Retailer(
        code=code,
        name=name,
        country=country,
        account_id=user.id,
        status=RetailerStatus.ACTIVE.value,
    )
    session.add(retailer)
    session.flush()
    issued = _issue(session, user.id, key_name, key_ttl_days)
    session.commit()
    return retailer, issued


def issue_key(
    *, session: Session, code: str, name: str, ttl_days: int = DEFAULT_KEY_TTL_DAYS
) -> TokenIssued:
    """Another API key for a retailer (an operator's command)."""
    retailer = repository.get_retailer_by_code(session=session, code=code.strip().upper())
    if retailer is None or retailer.status != RetailerStatus.ACTIVE.value:
        raise RetailerNotFound(f"No active retailer has the code {code!r}.")
    issued = _issue(session, retailer.account_id, name, ttl_days)
    session.commit()
    return issued


def disable_retailer(*, session: Session, code: str) -> Retailer:
    """Close a retailer's account: every key stops working. Its receipts stay."""
    retailer = repository.get_retailer_by_code(session=session, code=code.strip().upper())
    if retailer is None:
        raise RetailerNotFound(f"No retailer has the code {code!r}.")
    user = session.get(UserAccount, retailer.account_id)
    assert user is not None
    user.is_active = False
    retailer.status = RetailerStatus.DISABLED.value
    session.add(user)
    session.add(retailer)
    session.commit()
    return retailer


def _issue(session: Session, user_id: int, name: str, ttl_days: int) -> TokenIssued:
    token, token_hash = new_token()
    row = accounts.add_token(
        session=session,
        token=ApiToken(
            user_id=user_id,
            token_hash=token_hash,
            name=name[:100],
            kind="api",
            expires_at=utcnow() + timedelta(days=ttl_days),
        ),
    )
    assert row.id is not None
    return TokenIssued(access_token=token, token_id=row.id, expires_at=row.expires_at)


def retailer_of(*, session: Session, principal: Principal) -> Retailer:
    """The retailer organisation a ``retailer`` principal acts for."""
    retailer = repository.get_retailer_by_account(session=session, account_id=principal.user_id)
    if retailer is None or retailer.status != RetailerStatus.ACTIVE.value:
        raise Forbidden("This account acts for no active retailer.")
    return retailer


def public(retailer: Retailer) -> RetailerPublic:
    return RetailerPublic(
        code=retailer.code,
        name=retailer.name,
        country=retailer.country,
        status=RetailerStatus(retailer.status),
        created_at=retailer.created_at,
    )
