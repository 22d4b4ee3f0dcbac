"""Reads of the catalogue (regions, filières, label schemes, standards) for the public API.

The catalogue is reference data loaded from the seed file by :mod:`labeling.catalog.loader`
(tens of rows per table), so these reads return whole lists. Placeholders stay visible:
every row carries its ``is_assumption`` flag and schemes their note.
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from labeling.registry.errors import SchemeNotFound
from schemas.catalog import LabelScheme, SchemeCriterion, Standard
from schemas.registry import Filiere, Metier, Region
from schemas.registry_api import (
    CriterionPublic,
    FilierePublic,
    RegionPublic,
    SchemePublic,
    StandardPublic,
)

__all__ = ["get_scheme", "list_filieres", "list_regions", "list_schemes", "list_standards"]


def list_regions(*, session: Session) -> list[RegionPublic]:
    rows = session.exec(select(Region).order_by(col(Region.code)))
    return [RegionPublic.model_validate(row) for row in rows]


def list_filieres(*, session: Session) -> list[FilierePublic]:
    metiers: dict[str, list[str]] = defaultdict(list)
    for metier in session.exec(select(Metier).order_by(col(Metier.name))):
        metiers[metier.filiere_code].append(metier.name)
    return [
        FilierePublic(
            code=row.code,
            name=row.name,
            category=row.category,
            is_assumption=row.is_assumption,
            metiers=metiers[row.code],
        )
        for row in session.exec(select(Filiere).order_by(col(Filiere.code)))
    ]


def _with_criteria(session: Session, schemes: list[LabelScheme]) -> list[SchemePublic]:
    ids = [scheme.id for scheme in schemes if scheme.id is not None]
    criteria: dict[int, list[CriterionPublic]] = defaultdict(list)
    if ids:
        statement = (
            select(SchemeCriterion)
            .where(col(SchemeCriterion.scheme_id).in_(ids))
            .order_by(col(SchemeCriterion.scheme_id), col(SchemeCriterion.position))
        )
        for criterion in session.exec(statement):
            criteria[criterion.scheme_id].append(CriterionPublic.model_validate(criterion))
    return [
        SchemePublic(
            code=scheme.code,
            family=scheme.family,
            name=scheme.name,
            level=scheme.level,
            level_name=scheme.level_name,
            description=scheme.description,
            validity_months=scheme.validity_months,
            is_assumption=scheme.is_assumption,
            assumption_note=scheme.assumption_note,
            standards=list(scheme.standards),
            criteria=criteria[scheme.id] if scheme.id is not None else [],
        )
        for scheme in schemes
    ]


def list_schemes(*, session: Session, family: str | None) -> list[SchemePublic]:
    statement = select(LabelScheme).order_by(col(LabelScheme.id))
    if family is not None:
        statement = statement.where(LabelScheme.family == family)
    return _with_criteria(session, list(session.exec(statement)))


def get_scheme(*, session: Session, code: str) -> SchemePublic:
    scheme = session.exec(select(LabelScheme).where(LabelScheme.code == code)).first()
    if scheme is None:
        raise SchemeNotFound(f"No label scheme has the code {code!r}.")
    return _with_criteria(session, [scheme])[0]


def list_standards(*, session: Session, jurisdiction: str | None) -> list[StandardPublic]:
    statement = select(Standard).order_by(col(Standard.code))
    if jurisdiction is not None:
        statement = statement.where(Standard.jurisdiction == jurisdiction)
    return [StandardPublic.model_validate(row) for row in session.exec(statement)]
