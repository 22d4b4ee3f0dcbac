"""Enrolling the demo's people (:mod:`labeling.demo.people`) through the registry's services:
the certification body, its admins, the inspectors and their authorisations, the artisans,
their product lines and accounts. Nothing here commits: it is one transaction, which
:func:`labeling.demo.load_demo` commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from core.auth import Principal
from labeling.demo.people import (
    ADMINS,
    DEMO_CERTIFICATION_BODY,
    DEMO_PASSWORD,
    INSPECTORS,
    MAKERS,
    Maker,
    Product,
)
from labeling.demo_items import PHOTOGRAPHED, add_demo_photo, description_of
from labeling.registry import artisans, service
from schemas.accounts import UserAccount
from schemas.registry import Artisan, ProductLine
from schemas.registry_api import (
    ArtisanAccountCreate,
    ArtisanCreate,
    InspectorCreate,
    ProductLineCreate,
)
from schemas.types import Role


def _acting_as(user: UserAccount) -> Principal:
    """The demo acts for its accounts directly, without a bearer token."""
    assert user.id is not None
    return Principal(
        user_id=user.id,
        role=Role(user.role),
        body_id=user.body_id,
        artisan_id=user.artisan_id,
        token_id=0,
    )


@dataclass
class DemoRegistry:
    """What :func:`load_registry` made: the admins to act as by body code; the inspectors,
    the artisans and their product lines by their keys in :mod:`labeling.demo.people`."""

    admins: dict[str, Principal]
    inspectors: dict[str, Principal]
    makers: dict[str, Artisan]
    lines: dict[str, list[ProductLine]]


def load_registry(session: Session) -> DemoRegistry:
    """Bodies, accounts, authorisations, artisans and product lines: one transaction (nothing
    here commits; the caller does)."""
    service.create_certification_body(
        session=session,
        code=DEMO_CERTIFICATION_BODY,
        name="Organisme certificateur (démo) — placeholder, the 2024 tender outcome is not public",
        is_assumption=True,
        commit=False,
    )
    admins = _load_admins(session)
    inspectors = _load_inspectors(session, admins)
    makers: dict[str, Artisan] = {}
    lines: dict[str, list[ProductLine]] = {}
    for maker in MAKERS:
        makers[maker.key], lines[maker.key] = _load_maker(session, maker, admins, inspectors)
    return DemoRegistry(admins=admins, inspectors=inspectors, makers=makers, lines=lines)


def _load_admins(session: Session) -> dict[str, Principal]:
    """One admin per body, by body code."""
    admins: dict[str, Principal] = {}
    for staff in ADMINS:
        user = service.create_body_admin(
            session=session,
            email=staff.email,
            password=DEMO_PASSWORD,
            display_name=staff.name,
            body_code=staff.body_code,
            commit=False,
        )
        admins[staff.body_code] = _acting_as(user)
    return admins


def _load_inspectors(session: Session, admins: dict[str, Principal]) -> dict[str, Principal]:
    """The inspectors, each created and authorised for its schemes by its body's admin."""
    inspectors: dict[str, Principal] = {}
    for staff in INSPECTORS:
        admin = admins[staff.body_code]
        user = service.create_inspector(
            session=session,
            actor=admin,
            data=InspectorCreate(
                email=staff.email, password=DEMO_PASSWORD, display_name=staff.name
            ),
            commit=False,
        )
        assert user.id is not None
        for code in staff.schemes:
            service.grant_authorisation(
                session=session,
                actor=admin,
                inspector_id=user.id,
                scheme_code=code,
                commit=False,
            )
        inspectors[staff.key] = _acting_as(user)
    return inspectors


def _load_maker(
    session: Session,
    maker: Maker,
    admins: dict[str, Principal],
    inspectors: dict[str, Principal],
) -> tuple[Artisan, list[ProductLine]]:
    """One artisan registered by its inspector, with its product lines (the photographed one
    gets its photo) and, if it has a login, an account made by the registrar's body admin."""
    registrar = inspectors[maker.registrar]
    artisan = artisans.register_artisan(
        session=session, actor=registrar, data=_artisan_form(maker), commit=False
    )
    assert artisan.id is not None
    lines = [
        artisans.register_product_line(
            session=session,
            actor=registrar,
            artisan_id=artisan.id,
            data=_product_line_form(product),
            commit=False,
        )
        for product in maker.products
    ]
    for line in lines:
        if line.name == PHOTOGRAPHED:
            add_demo_photo(session, line)
    if maker.login:
        registrar_body = next(s.body_code for s in INSPECTORS if s.key == maker.registrar)
        artisans.create_artisan_account(
            session=session,
            actor=admins[registrar_body],
            artisan_id=artisan.id,
            data=ArtisanAccountCreate(email=maker.login, password=DEMO_PASSWORD),
            commit=False,
        )
    return artisan, lines


def _product_line_form(product: Product) -> ProductLineCreate:
    return ProductLineCreate.model_validate(
        {
            "family": product.family,
            "name": product.name,
            "materials": list(product.materials),
            "gtin": product.gtin,
            **description_of(product.name),
        }
    )


def _artisan_form(maker: Maker) -> ArtisanCreate:
    return ArtisanCreate(
        nia=maker.nia,
        kind=maker.kind,
        display_name_latin=maker.latin,
        display_name_arabic=maker.arabic,
        region_code=maker.region,
        filiere_code=maker.filiere,
        metier=maker.metier,
        city=maker.city,
        national_id=maker.national_id,
        phone=maker.phone,
        address=maker.address,
    )
