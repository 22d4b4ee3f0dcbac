"""``khatem catalog load``: regions, chambres, crafts, label schemes and standards.

The seed (:mod:`labeling.catalog.seed`: shipped with the package, or ``KHATEM_SEED_PATH``) records
what the public sources say, with a status per record. This module turns it into the registry's
catalogue and keeps those statuses visible: anything the sources do not establish (the
provisional filières, the Maroc Fait Main level details, Madmoun's thresholds, validity
periods) is loaded with ``is_assumption`` and a note saying why, so the UI can say so.

Loading is idempotent: rows are matched by their code and updated in place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from labeling.catalog.seed import read_seed
from schemas.catalog import LabelScheme, SchemeCriterion, Standard
from schemas.registry import Body, Filiere, Metier, Region
from schemas.types import BodyKind

__all__ = ["CatalogSummary", "load_catalog", "chambre_code"]

_ASSUMPTION_STATUSES = {"assumption", "not_found"}

# Validity is not published for the national label (domain notes §1.1): the model uses a
# configurable window, 3 years by default, and flags it as an assumption.
_DEFAULT_VALIDITY_MONTHS = 36

_EU_CERAMICS = "EU 84/500/EEC (am. 2005/31/EC)"
_ISO_LEACH = "ISO 6486-1:2019"
_ISO_COOKWARE = "ISO 8391-1/-2"
_CARPET_DAHIR = "Dahir 1974 (estampillage tapis)"


@dataclass
class CatalogSummary:
    regions: int = 0
    chambres: int = 0
    filieres: int = 0
    metiers: int = 0
    schemes: int = 0
    criteria: int = 0
    standards: int = 0
    assumptions: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"Catalogue loaded: {self.regions} regions, {self.chambres} chambres, "
            f"{self.filieres} filières, {self.metiers} métiers, {self.schemes} label schemes "
            f"({self.criteria} criteria), {self.standards} standards. "
            f"{len(self.assumptions)} records are placeholders (marked 'assumption')."
        )


def chambre_code(region_code: str) -> str:
    return f"CHAMBRE-{region_code}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "-", ascii_text.upper()).strip("-")[:30]


@dataclass(frozen=True)
class _CriterionSpec:
    code: str
    name: str
    kind: str = "boolean"
    unit: str | None = None
    comparison: str | None = None
    threshold: float | None = None
    standard_code: str | None = None
    is_assumption: bool = False


@dataclass(frozen=True)
class _SchemeSpec:
    code: str
    family: str
    name: str
    level: int | None
    level_name: str | None
    description: str
    criteria: tuple[_CriterionSpec, ...]
    standards: tuple[str, ...]
    sources: tuple[str, ...]
    is_assumption: bool
    assumption_note: str | None
    validity_months: int = _DEFAULT_VALIDITY_MONTHS


def _mfm_schemes(label: dict[str, Any]) -> list[_SchemeSpec]:
    """Maroc Fait Main: three cumulative levels (confirmed); the per-level criteria and level
    names are not published (NOT FOUND), so levels 2 and 3 add placeholder requirements."""
    base = (
        _CriterionSpec("authenticity", "Authenticité et savoir-faire ancestral"),
        _CriterionSpec("quality", "Qualité / excellence du produit"),
        _CriterionSpec(
            "working_conditions",
            "Conditions de travail, sécurité, lutte contre le travail des enfants",
        ),
    )
    extra = {
        2: (_CriterionSpec("traceability", "Traçabilité des matières", is_assumption=True),),
        3: (
            _CriterionSpec("traceability", "Traçabilité des matières", is_assumption=True),
            _CriterionSpec("excellence", "Excellence et innovation", is_assumption=True),
        ),
    }
    specs = []
    for level in range(1, int(label.get("levels", 3)) + 1):
        specs.append(
            _SchemeSpec(
                code=f"MFM-{level}",
                family="MHM",
                name=f"Maroc Fait Main — niveau {level}",
                level=level,
                level_name=f"Niveau {level}",
                description=label["name"],
                criteria=base + extra.get(level, ()),
                standards=(),
                sources=tuple(label.get("sources", ())),
                is_assumption=True,
                assumption_note=(
                    "Three cumulative levels are confirmed; level names, per-level criteria "
                    "and the validity period are not published (placeholders)."
                ),
            )
        )
    return specs


def _carpet_schemes(label: dict[str, Any]) -> list[_SchemeSpec]:
    """The 1974 dahir's carpet stamp: knot density thresholds per grade (confirmed)."""
    thresholds: dict[str, int] = label["urban_min_knots_per_m2"]
    names = {"courante": "courante", "moyenne": "moyenne", "superieure": "supérieure"}
    specs = []
    for level, (key, minimum) in enumerate(thresholds.items(), start=1):
        specs.append(
            _SchemeSpec(
                code=f"TAPIS-{key.upper()}",
                family="ESTAMPILLE_TAPIS",
                name=f"Estampille tapis — qualité {names.get(key, key)}",
                level=level,
                level_name=names.get(key, key),
                description=label["name"],
                criteria=(
                    _CriterionSpec(
                        "knot_density",
                        "Densité de nouage (tapis urbains)",
                        kind="measured",
                        unit="knots/m2",
                        comparison="ge",
                        threshold=float(minimum),
                        standard_code=_CARPET_DAHIR,
                    ),
                    _CriterionSpec(
                        "hand_knotted", "Noué ou tissé main, laine (chaîne coton admise)"
                    ),
                    _CriterionSpec("no_redhibitory_defects", "Aucun défaut rédhibitoire"),
                ),
                standards=(_CARPET_DAHIR,),
                sources=tuple(label.get("sources", ())),
                is_assumption=False,
                assumption_note="Validity period of a stamp is not published (36 months assumed).",
            )
        )
    return specs


def _madmoun_scheme() -> _SchemeSpec:
    """Madmoun (culinary pottery safety label). Its own thresholds are not published; the
    criteria use the EU 84/500/EEC flatware limits (confirmed) as the placeholder."""
    return _SchemeSpec(
        code="MADMOUN",
        family="MCC",
        name="Madmoun — poterie culinaire",
        level=None,
        level_name=None,
        description="Marque collective de certification: sécurité de la poterie culinaire.",
        criteria=(
            _CriterionSpec(
                "lead_release",
                "Migration du plomb (4 % acide acétique, 24 h)",
                kind="measured",
                unit="mg/dm2",
                comparison="le",
                threshold=0.8,
                standard_code=_EU_CERAMICS,
            ),
            _CriterionSpec(
                "cadmium_release",
                "Migration du cadmium",
                kind="measured",
                unit="mg/dm2",
                comparison="le",
                threshold=0.07,
                standard_code=_EU_CERAMICS,
            ),
            _CriterionSpec(
                "food_contact_declaration", "Déclaration de conformité contact alimentaire"
            ),
        ),
        standards=(_EU_CERAMICS, _ISO_LEACH, _ISO_COOKWARE),
        sources=("S2", "S17", "S42"),
        is_assumption=True,
        assumption_note=(
            "Madmoun's own règlement d'usage is not public; lead and cadmium limits are the "
            "EU 84/500/EEC flatware limits (0.8 and 0.07 mg/dm²)."
        ),
    )


def _collective_mark_schemes(label: dict[str, Any]) -> list[_SchemeSpec]:
    specs = []
    for example in label.get("examples", []):
        if example.lower().startswith("madmoun"):
            continue
        specs.append(
            _SchemeSpec(
                code=f"MCC-{_slug(example)}",
                family="MCC",
                name=example,
                level=None,
                level_name=None,
                description="Marque collective de certification (OMPIC).",
                criteria=(
                    _CriterionSpec(
                        "specification",
                        "Conformité au cahier des charges de la marque",
                        is_assumption=True,
                    ),
                    _CriterionSpec(
                        "origin", "Fabrication dans l'aire et par les ateliers déclarés"
                    ),
                ),
                standards=(),
                sources=tuple(label.get("sources", ())),
                is_assumption=True,
                assumption_note=(
                    "The mark's cahier des charges is not public (placeholder criteria)."
                ),
            )
        )
    return specs


def _scheme_specs(seed: dict[str, Any]) -> list[_SchemeSpec]:
    labels = {item["code"]: item for item in seed["label_types"]}
    specs: list[_SchemeSpec] = []
    if "MHM" in labels:
        specs += _mfm_schemes(labels["MHM"])
    if "ESTAMPILLE_TAPIS" in labels:
        specs += _carpet_schemes(labels["ESTAMPILLE_TAPIS"])
    specs.append(_madmoun_scheme())
    if "MCC" in labels:
        specs += _collective_mark_schemes(labels["MCC"])
    return specs


def _upsert(session: Session, model: type[Any], key: str, value: Any, **fields: Any) -> Any:
    row = session.exec(select(model).where(getattr(model, key) == value)).first()
    if row is None:
        row = model(**{key: value}, **fields)
    else:
        for name, item in fields.items():
            setattr(row, name, item)
    session.add(row)
    return row


def load_catalog(*, session: Session, seed_path: Path | None = None) -> CatalogSummary:
    """Load or refresh the catalogue, in one transaction: from ``seed_path`` if given, else
    where :func:`labeling.catalog.seed.read_seed` finds it (``KHATEM_SEED_PATH``, or the
    catalogue shipped with the package)."""
    seed = read_seed(seed_path)
    summary = CatalogSummary()
    _load_regions(session, seed, summary)
    session.flush()
    _load_chambres(session, seed, summary)
    _load_filieres(session, seed, summary)
    session.flush()
    _load_metiers(session, seed, summary)
    _load_standards(session, seed, summary)
    for spec in _scheme_specs(seed):
        _load_scheme(session, spec, summary)
    session.commit()
    return summary


def _load_regions(session: Session, seed: dict[str, Any], summary: CatalogSummary) -> None:
    """The regions, with the label lot each was given."""
    for region in seed["regions"]:
        _upsert(
            session,
            Region,
            "code",
            region["code"],
            name=region["name"],
            label_lot=region.get("label_lot_2024"),
        )
        summary.regions += 1


def _load_chambres(session: Session, seed: dict[str, Any], summary: CatalogSummary) -> None:
    """One chambre per region: its confirmed name, or the naming pattern as an assumption."""
    chambres = seed["chambres"]
    confirmed = {c["region_code"]: c["name"] for c in chambres.get("confirmed_instances", [])}
    for region in seed["regions"]:
        name = confirmed.get(region["code"])
        is_assumption = name is None
        if name is None:
            name = chambres["naming_pattern"].replace("<region>", region["name"])
            summary.assumptions.append(f"body:{chambre_code(region['code'])}")
        _upsert(
            session,
            Body,
            "code",
            chambre_code(region["code"]),
            kind=BodyKind.CHAMBRE.value,
            name=name,
            region_code=region["code"],
            is_assumption=is_assumption,
        )
        summary.chambres += 1


def _load_filieres(session: Session, seed: dict[str, Any], summary: CatalogSummary) -> None:
    """The provisional filières, each flagged unless its sources confirm it."""
    for filiere in seed["filieres"]["provisional"]:
        is_assumption = filiere["status"] in _ASSUMPTION_STATUSES
        _upsert(
            session,
            Filiere,
            "code",
            filiere["code"],
            name=filiere["name"],
            category=filiere["category"],
            is_assumption=is_assumption,
        )
        summary.filieres += 1
        if is_assumption:
            summary.assumptions.append(f"filiere:{filiere['code']}")


def _load_metiers(session: Session, seed: dict[str, Any], summary: CatalogSummary) -> None:
    """The métiers, each under its filière (flagged when that filière is not confirmed)."""
    for metier in seed["metiers"]:
        _upsert(
            session,
            Metier,
            "name",
            metier["name"],
            filiere_code=metier["filiere"],
            is_assumption=metier.get("filiere_status") in _ASSUMPTION_STATUSES,
        )
        summary.metiers += 1


def _load_standards(session: Session, seed: dict[str, Any], summary: CatalogSummary) -> None:
    """The standards that criteria cite, with the status the sources give them."""
    for standard in seed["standards"]:
        _upsert(
            session,
            Standard,
            "code",
            standard["code"],
            title=standard["title"],
            jurisdiction=standard["jurisdiction"],
            product_family=standard["product_family"],
            key_requirement=standard["key_requirement"],
            status=standard["status"],
            is_assumption=standard["status"] in _ASSUMPTION_STATUSES,
        )
        summary.standards += 1


def _load_scheme(session: Session, spec: _SchemeSpec, summary: CatalogSummary) -> None:
    """One label scheme, then its criteria in the spec's order."""
    scheme = _upsert(
        session,
        LabelScheme,
        "code",
        spec.code,
        family=spec.family,
        name=spec.name,
        level=spec.level,
        level_name=spec.level_name,
        description=spec.description,
        validity_months=spec.validity_months,
        is_assumption=spec.is_assumption,
        assumption_note=spec.assumption_note,
        sources=list(spec.sources),
        standards=list(spec.standards),
    )
    session.flush()
    summary.schemes += 1
    if spec.is_assumption:
        summary.assumptions.append(f"scheme:{spec.code}")
    _load_criteria(session, scheme.id, spec.criteria, summary)


def _load_criteria(
    session: Session,
    scheme_id: int,
    criteria: tuple[_CriterionSpec, ...],
    summary: CatalogSummary,
) -> None:
    """The scheme's criteria, matched by code and numbered by position."""
    existing = {
        c.code: c
        for c in session.exec(select(SchemeCriterion).where(SchemeCriterion.scheme_id == scheme_id))
    }
    for position, crit in enumerate(criteria):
        row = existing.get(crit.code) or SchemeCriterion(
            scheme_id=scheme_id, code=crit.code, name=crit.name, kind=crit.kind
        )
        row.name, row.kind, row.unit = crit.name, crit.kind, crit.unit
        row.comparison, row.threshold = crit.comparison, crit.threshold
        row.standard_code, row.is_assumption = crit.standard_code, crit.is_assumption
        row.position = position
        session.add(row)
        summary.criteria += 1
