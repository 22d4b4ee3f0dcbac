"""Bodies and the people who act for them: body admins, inspectors and their per-scheme
authorisations.

A body admin manages its own body only: another body's inspectors answer 404, exactly like
inspectors that do not exist. Each write is one transaction that this module commits
(``commit=False`` lets the demo loader group many writes into one).

An authorisation row is unique per (inspector, scheme): revoking stamps ``revoked_at`` and a
later grant re-opens the same row, so the table holds the current state while the
transparency log keeps the history of grants and revocations.
"""

from __future__ import annotations

import re

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlmodel import Session

from core.auth import Principal
from core.keyset import Keyset, KeysetSlice
from labeling.accounts.service import create_account
from labeling.registry import repository
from labeling.registry.errors import (
    AccountDetailsInvalid,
    AuthorisationNotFound,
    BodyCodeTaken,
    BodyDetailsInvalid,
    BodyNotFound,
    InspectorNotFound,
    NoBody,
    SchemeNotFound,
)
from labeling.translog import append_event
from schemas.accounts import UserAccount
from schemas.catalog import LabelScheme
from schemas.registry import Body, InspectorAuthorisation
from schemas.registry_api import AuthorisationPublic, InspectorCreate, InspectorPublic
from schemas.types import BodyKind, Role, utcnow

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "create_body_admin",
    "create_certification_body",
    "create_inspector",
    "get_body",
    "get_inspector",
    "grant_authorisation",
    "inspector_views",
    "list_authorisations",
    "list_inspectors",
    "revoke_authorisation",
    "staff_body_id",
]

MIN_PASSWORD_LENGTH = 12
_BODY_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
_CHAMBRE_PREFIX = "CHAMBRE-"
_email = TypeAdapter(EmailStr)


def staff_body_id(actor: Principal) -> int:
    """The body an admin or inspector acts for. Artisans act for no body."""
    if actor.is_artisan or actor.body_id is None:
        raise NoBody("Only a body's admins and inspectors can do this.")
    return actor.body_id


# --- Bodies ------------------------------------------------------------------------------


def get_body(*, session: Session, code: str) -> Body:
    body = repository.get_body_by_code(session=session, code=code)
    if body is None:
        raise BodyNotFound(f"No body has the code {code!r}.")
    return body


def create_certification_body(
    *, session: Session, code: str, name: str, is_assumption: bool = False, commit: bool = True
) -> Body:
    """Register an accredited certification body (the catalogue seeds only the chambres).

    ``is_assumption`` marks a placeholder body, e.g. while the real accredited body is not
    public. Codes are upper-case; ``CHAMBRE-…`` is kept for the twelve chambres.
    """
    code = code.strip().upper()
    name = name.strip()
    if not _BODY_CODE.fullmatch(code) or code.startswith(_CHAMBRE_PREFIX):
        raise BodyDetailsInvalid(
            "A body code is 2-40 upper-case letters, digits or dashes, not starting with "
            f"{_CHAMBRE_PREFIX!r}."
        )
    if not 1 <= len(name) <= 300 or not name.isprintable():
        raise BodyDetailsInvalid("A body name is 1-300 printable characters.")
    if repository.get_body_by_code(session=session, code=code) is not None:
        raise BodyCodeTaken(f"A body with the code {code!r} exists.")
    body = Body(
        code=code,
        kind=BodyKind.CERTIFICATION_BODY.value,
        name=name,
        region_code=None,
        is_assumption=is_assumption,
    )
    repository.add(session=session, row=body)
    append_event(
        session,
        event_type="body.registered",
        payload={"body": code, "kind": BodyKind.CERTIFICATION_BODY.value},
    )
    if commit:
        session.commit()
    return body


def _check_credentials(email: str, password: str) -> str:
    """The normalised email, once both are usable; the API models enforce the same rules,
    this guards the CLI path that calls the service directly."""
    try:
        normalised = _email.validate_python(email.strip())
    except ValidationError as exc:
        raise AccountDetailsInvalid(f"{email!r} is not a usable email address.") from exc
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountDetailsInvalid(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
    return str(normalised)


def create_body_admin(
    *,
    session: Session,
    email: str,
    password: str,
    display_name: str,
    body_code: str,
    commit: bool = True,
) -> UserAccount:
    """Create the administrator account of a chambre or certification body (``khatem admin
    create``). An unknown body code is a :class:`BodyNotFound` that says what codes look
    like, since the person typing it is at a terminal."""
    body = repository.get_body_by_code(session=session, code=body_code.strip().upper())
    if body is None:
        raise BodyNotFound(
            f"No body has the code {body_code!r}. Chambres are CHAMBRE-MA-01 … CHAMBRE-MA-12 "
            "(loaded by `khatem catalog load`); certification bodies have the code they were "
            "registered with."
        )
    email = _check_credentials(email, password)
    if not display_name.strip():
        raise AccountDetailsInvalid("A display name is required.")
    user = create_account(
        session=session,
        email=email,
        password=password,
        display_name=display_name.strip(),
        role=Role.ADMIN,
        body_id=body.id,
        commit=False,
    )
    if commit:
        session.commit()
    return user


# --- Inspectors --------------------------------------------------------------------------


def create_inspector(
    *, session: Session, actor: Principal, data: InspectorCreate, commit: bool = True
) -> UserAccount:
    """An admin opens an inspector account in its own body."""
    body_id = staff_body_id(actor)
    user = create_account(
        session=session,
        email=str(data.email),
        password=data.password,
        display_name=data.display_name,
        role=Role.INSPECTOR,
        body_id=body_id,
        commit=False,
    )
    if commit:
        session.commit()
    return user


def get_inspector(*, session: Session, actor: Principal, inspector_id: int) -> UserAccount:
    """The inspector as its body's admin, or the inspector itself, may see it."""
    if actor.is_inspector and actor.user_id != inspector_id:
        raise InspectorNotFound()
    inspector = repository.get_inspector(
        session=session, inspector_id=inspector_id, body_id=staff_body_id(actor)
    )
    if inspector is None:
        raise InspectorNotFound()
    return inspector


def list_inspectors(
    *, session: Session, actor: Principal, limit: int, offset: int
) -> tuple[list[UserAccount], int]:
    return repository.list_inspectors(
        session=session, body_id=staff_body_id(actor), limit=limit, offset=offset
    )


def inspector_keyset_page(
    *, session: Session, actor: Principal, keyset: Keyset
) -> KeysetSlice[UserAccount]:
    """A keyset page, either way, of the inspectors of the actor's body, newest first."""
    rows = repository.inspector_keyset_rows(
        session=session, body_id=staff_body_id(actor), keyset=keyset
    )
    return keyset.slice(rows, lambda user: (user.created_at, user.id or 0))


def inspector_views(
    *, session: Session, actor: Principal, inspectors: list[UserAccount]
) -> list[InspectorPublic]:
    """Inspectors with their body code and current authorisations (one query a page)."""
    body = repository.get_body(session=session, body_id=staff_body_id(actor))
    assert body is not None  # an account's body_id is a foreign key
    ids = [inspector.id for inspector in inspectors if inspector.id is not None]
    schemes = repository.active_scheme_codes(session=session, inspector_ids=ids)
    return [
        InspectorPublic(
            id=inspector.id,
            email=inspector.email,
            display_name=inspector.display_name,
            body_code=body.code,
            is_active=inspector.is_active,
            created_at=inspector.created_at,
            authorised_schemes=schemes[inspector.id],
        )
        for inspector in inspectors
        if inspector.id is not None
    ]


# --- Authorisations ----------------------------------------------------------------------


def _authorisation_view(row: InspectorAuthorisation, scheme: LabelScheme) -> AuthorisationPublic:
    return AuthorisationPublic(
        inspector_id=row.inspector_id,
        scheme_code=scheme.code,
        scheme_name=scheme.name,
        granted_by=row.granted_by,
        granted_at=row.granted_at,
        revoked_at=row.revoked_at,
        is_active=row.revoked_at is None,
    )


def _scheme(session: Session, code: str) -> LabelScheme:
    scheme = repository.get_scheme_by_code(session=session, code=code)
    if scheme is None or scheme.id is None:
        raise SchemeNotFound(f"No label scheme has the code {code!r}.")
    return scheme


def grant_authorisation(
    *,
    session: Session,
    actor: Principal,
    inspector_id: int,
    scheme_code: str,
    commit: bool = True,
) -> AuthorisationPublic:
    """Authorise an inspector of the admin's body for one scheme. Granting what is already
    granted changes nothing (PUT is idempotent)."""
    inspector = get_inspector(session=session, actor=actor, inspector_id=inspector_id)
    scheme = _scheme(session, scheme_code)
    assert inspector.id is not None and scheme.id is not None
    row = repository.get_authorisation(
        session=session, inspector_id=inspector.id, scheme_id=scheme.id
    )
    if row is not None and row.revoked_at is None:
        return _authorisation_view(row, scheme)
    if row is None:
        row = InspectorAuthorisation(
            inspector_id=inspector.id, scheme_id=scheme.id, granted_by=actor.user_id
        )
    else:
        row.granted_by, row.granted_at, row.revoked_at = actor.user_id, utcnow(), None
    repository.add(session=session, row=row)
    append_event(
        session,
        event_type="inspector.authorised",
        payload={"inspector": inspector.id, "scheme": scheme.code, "by": actor.user_id},
    )
    if commit:
        session.commit()
    return _authorisation_view(row, scheme)


def revoke_authorisation(
    *, session: Session, actor: Principal, inspector_id: int, scheme_code: str
) -> AuthorisationPublic:
    """Withdraw an inspector's authorisation for one scheme; from now on it cannot sign
    audits for that scheme."""
    inspector = get_inspector(session=session, actor=actor, inspector_id=inspector_id)
    scheme = _scheme(session, scheme_code)
    assert inspector.id is not None and scheme.id is not None
    row = repository.get_authorisation(
        session=session, inspector_id=inspector.id, scheme_id=scheme.id
    )
    if row is None or row.revoked_at is not None:
        raise AuthorisationNotFound(
            f"This inspector holds no active authorisation for {scheme.code}."
        )
    row.revoked_at = utcnow()
    repository.add(session=session, row=row)
    append_event(
        session,
        event_type="inspector.authorisation_revoked",
        payload={"inspector": inspector.id, "scheme": scheme.code, "by": actor.user_id},
    )
    session.commit()
    return _authorisation_view(row, scheme)


def list_authorisations(
    *, session: Session, actor: Principal, inspector_id: int, include_revoked: bool
) -> list[AuthorisationPublic]:
    inspector = get_inspector(session=session, actor=actor, inspector_id=inspector_id)
    assert inspector.id is not None
    rows = repository.list_authorisations(
        session=session, inspector_id=inspector.id, include_revoked=include_revoked
    )
    return [_authorisation_view(row, scheme) for row, scheme in rows]
