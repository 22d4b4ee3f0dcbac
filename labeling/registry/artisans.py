"""Artisans and their product lines: registration, visibility, updates, login accounts.

Visibility (the registry's privacy rule, enforced here and nowhere else):

* an admin or inspector sees the artisans of its own body;
* an artisan sees itself;
* anything else answers 404 ``artisan-not-found``, the same as an id that does not exist,
  so that ids reveal nothing across bodies.

Personal data (national id, phone, address) is read back only by the artisan itself and
by its body's admin (:func:`artisan_view`); inspectors may type it in when they register
an artisan in the field, but never read it back.
"""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.auth import Principal
from labeling.accounts.service import create_account
from labeling.registry import repository
from labeling.registry.errors import (
    ArtisanAccountExists,
    ArtisanNotFound,
    GtinInvalid,
    GtinReserved,
    GtinTaken,
    NiaTaken,
    ProductLineNotFound,
    RegionOutsideBody,
    UnknownFiliere,
    UnknownRegion,
)
from labeling.registry.service import staff_body_id
from labeling.translog import append_event
from schemas.accounts import UserAccount
from schemas.registry import Artisan, Body, ProductLine
from schemas.registry_api import (
    ArtisanAccountCreate,
    ArtisanCreate,
    ArtisanPrivate,
    ArtisanPublic,
    ArtisanUpdate,
    ProductLineCreate,
)
from schemas.types import BodyKind, Role
from verify.gtin import GtinError, is_registry_gtin, normalise_gtin, registry_gtin

__all__ = [
    "PUBLIC_ID_ALPHABET",
    "PUBLIC_ID_LENGTH",
    "artisan_view",
    "client_gtin",
    "create_artisan_account",
    "get_artisan",
    "get_own_record",
    "get_product_line",
    "list_artisans",
    "list_product_lines",
    "new_public_id",
    "register_artisan",
    "register_product_line",
    "sees_private_details",
    "update_artisan",
]

# Crockford base32: no I, L, O or U, so an id read aloud or typed from a label is not
# misread. 10 characters are 50 random bits: unguessable, and collisions stay negligible
# at the registry's scale (~420,000 artisans), and are checked anyway.
PUBLIC_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 10


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


# --- Visibility --------------------------------------------------------------------------


def _visible(actor: Principal, artisan: Artisan) -> bool:
    if actor.is_artisan:
        return actor.artisan_id is not None and actor.artisan_id == artisan.id
    return actor.body_id is not None and actor.body_id == artisan.body_id


def sees_private_details(actor: Principal, artisan: Artisan) -> bool:
    """Only the artisan itself and its own body's admin read personal data."""
    if actor.is_artisan:
        return actor.artisan_id == artisan.id
    return actor.is_admin and actor.body_id == artisan.body_id


def artisan_view(actor: Principal, artisan: Artisan) -> ArtisanPublic | ArtisanPrivate:
    if sees_private_details(actor, artisan):
        return ArtisanPrivate.model_validate(artisan)
    return ArtisanPublic.model_validate(artisan)


def get_artisan(*, session: Session, actor: Principal, artisan_id: int) -> Artisan:
    artisan = repository.get_artisan(session=session, artisan_id=artisan_id)
    if artisan is None or not _visible(actor, artisan):
        raise ArtisanNotFound()
    return artisan


def get_own_record(*, session: Session, actor: Principal) -> Artisan:
    """The artisan record behind an artisan's own account."""
    if actor.artisan_id is None:
        raise ArtisanNotFound("This account is linked to no artisan record.")
    return get_artisan(session=session, actor=actor, artisan_id=actor.artisan_id)


def _registrable(session: Session, actor: Principal, artisan_id: int) -> Artisan:
    """An artisan the calling admin or inspector may register things for."""
    staff_body_id(actor)
    return get_artisan(session=session, actor=actor, artisan_id=artisan_id)


def list_artisans(
    *,
    session: Session,
    actor: Principal,
    filters: repository.ArtisanFilters,
    limit: int,
    offset: int,
) -> tuple[list[Artisan], int]:
    return repository.list_artisans(
        session=session,
        body_id=staff_body_id(actor),
        filters=filters,
        limit=limit,
        offset=offset,
    )


# --- Registration and updates ------------------------------------------------------------


def _check_catalogue(
    session: Session, *, region_code: str | None, filiere_code: str | None
) -> None:
    if region_code is not None and not repository.region_exists(session=session, code=region_code):
        raise UnknownRegion(f"No region has the code {region_code!r} (MA-01 … MA-12).")
    if filiere_code is not None and not repository.filiere_exists(
        session=session, code=filiere_code
    ):
        raise UnknownFiliere(f"No filière has the code {filiere_code!r}.")


def _unused_public_id(session: Session) -> str:
    while True:
        public_id = new_public_id()
        if not repository.public_id_exists(session=session, public_id=public_id):
            return public_id


def register_artisan(
    *, session: Session, actor: Principal, data: ArtisanCreate, commit: bool = True
) -> Artisan:
    """Register an artisan into the caller's body. A chambre registers the artisans of its
    own region; a certification body works nationally."""
    body_id = staff_body_id(actor)
    _check_catalogue(session, region_code=data.region_code, filiere_code=data.filiere_code)
    body = repository.get_body(session=session, body_id=body_id)
    assert body is not None  # an account's body_id is a foreign key
    _check_region_of(body, data.region_code)
    nia = data.nia.upper()
    if repository.get_artisan_by_nia(session=session, nia=nia) is not None:
        raise NiaTaken(f"The NIA {nia} is already registered.")
    artisan = Artisan(
        **data.model_dump(mode="json", exclude={"nia"}),
        nia=nia,
        public_id=_unused_public_id(session),
        body_id=body_id,
        created_by=actor.user_id,
    )
    try:
        repository.add(session=session, row=artisan)
    except IntegrityError as exc:
        # The NIA was free a moment ago: a concurrent registration took it.
        session.rollback()
        raise NiaTaken(f"The NIA {nia} is already registered.") from exc
    append_event(
        session,
        event_type="artisan.registered",
        payload={
            "artisan": artisan.public_id,
            "body": body.code,
            "kind": artisan.kind,
            "region": artisan.region_code,
            "filiere": artisan.filiere_code,
        },
    )
    if commit:
        session.commit()
    return artisan


def _check_region_of(body: Body, region_code: str) -> None:
    if body.kind == BodyKind.CHAMBRE.value and body.region_code != region_code:
        raise RegionOutsideBody(
            f"{body.name} registers artisans of region {body.region_code}, not {region_code}."
        )


def update_artisan(
    *, session: Session, actor: Principal, artisan_id: int, data: ArtisanUpdate
) -> Artisan:
    """Change the fields that are not the artisan's identity; only the fields sent."""
    artisan = _registrable(session, actor, artisan_id)
    changes = data.model_dump(exclude_unset=True)
    _check_catalogue(session, region_code=None, filiere_code=changes.get("filiere_code"))
    for name, value in changes.items():
        setattr(artisan, name, value)
    repository.add(session=session, row=artisan)
    session.commit()
    return artisan


def create_artisan_account(
    *,
    session: Session,
    actor: Principal,
    artisan_id: int,
    data: ArtisanAccountCreate,
    commit: bool = True,
) -> UserAccount:
    """Open the artisan's own login (one per artisan), so it can read its records."""
    artisan = _registrable(session, actor, artisan_id)
    assert artisan.id is not None
    if repository.artisan_has_account(session=session, artisan_id=artisan.id):
        raise ArtisanAccountExists()
    user = create_account(
        session=session,
        email=str(data.email),
        password=data.password,
        display_name=data.display_name or artisan.display_name_latin,
        role=Role.ARTISAN,
        artisan_id=artisan.id,
        commit=False,
    )
    if commit:
        session.commit()
    return user


# --- Product lines -----------------------------------------------------------------------


def client_gtin(text: str) -> str:
    """A GTIN a client sends, as the GTIN-14 the registry stores.

    Numbers in the registry's own restricted-circulation range are refused: the registry
    assigns those itself, and accepting one from a client would let it collide with a
    later assignment.
    """
    try:
        gtin = normalise_gtin(text)
    except GtinError as exc:
        raise GtinInvalid(f"{exc}.") from exc
    if is_registry_gtin(gtin):
        raise GtinReserved("Leave the GTIN out and the registry assigns one from this range.")
    return gtin


def register_product_line(
    *,
    session: Session,
    actor: Principal,
    artisan_id: int,
    data: ProductLineCreate,
    commit: bool = True,
) -> ProductLine:
    """Register a product line; without a GTIN it gets a registry GTIN from its own id,
    which is unique because ids are and clients cannot send numbers from that range."""
    artisan = _registrable(session, actor, artisan_id)
    assert artisan.id is not None
    gtin = client_gtin(data.gtin) if data.gtin is not None else None
    if gtin is not None and repository.get_product_line_by_gtin(session=session, gtin=gtin):
        raise GtinTaken(f"The GTIN {gtin} belongs to another product line.")
    line = ProductLine(
        artisan_id=artisan.id,
        family=data.family,
        name=data.name,
        materials=list(data.materials),
        gtin=gtin,
        gtin_source="gs1" if gtin is not None else "registry",
        craft=data.craft,
        size_class=data.size.size_class if data.size else None,
        width_mm=data.size.width_mm if data.size else None,
        length_mm=data.size.length_mm if data.size else None,
        height_mm=data.size.height_mm if data.size else None,
    )
    try:
        repository.add(session=session, row=line)
    except IntegrityError as exc:
        # The GTIN was free a moment ago: a concurrent registration took it.
        session.rollback()
        raise GtinTaken(f"The GTIN {gtin} belongs to another product line.") from exc
    if line.gtin is None:
        assert line.id is not None
        line.gtin = registry_gtin(line.id)
        repository.add(session=session, row=line)
    append_event(
        session,
        event_type="product_line.registered",
        payload={"artisan": artisan.public_id, "product_line": line.id, "gtin": line.gtin},
    )
    if commit:
        session.commit()
    return line


def get_product_line(*, session: Session, actor: Principal, product_line_id: int) -> ProductLine:
    line = repository.get_product_line(session=session, product_line_id=product_line_id)
    if line is None:
        raise ProductLineNotFound()
    try:
        get_artisan(session=session, actor=actor, artisan_id=line.artisan_id)
    except ArtisanNotFound as exc:
        raise ProductLineNotFound() from exc
    return line


def list_product_lines(
    *, session: Session, actor: Principal, artisan_id: int, limit: int, offset: int
) -> tuple[list[ProductLine], int]:
    artisan = get_artisan(session=session, actor=actor, artisan_id=artisan_id)
    assert artisan.id is not None
    return repository.list_product_lines(
        session=session, artisan_id=artisan.id, limit=limit, offset=offset
    )
