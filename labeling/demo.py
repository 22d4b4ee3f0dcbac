"""``khatem demo``: a small, realistic registry to click through.

It goes through the same services as the API, so the demo obeys every rule the registry
enforces (a chambre registers the artisans of its region, GTINs carry a GS1 check digit,
inspectors audit only for the schemes they are authorised for):

* a certification body, flagged as a placeholder: the outcome of the 2024 label tender is
  not public, so no real accredited body is named;
* admins for the chambres of Fès-Meknès, Marrakech-Safi and Drâa-Tafilalet and for the
  certification body, and five inspectors with their authorisations;
* ten artisans: carpet weavers in Taznakht and Boujaad, potters in Safi and Tamegroute,
  a zellige maâlem and a coppersmith in Fès, a babouche maker in Marrakech, a silver
  jewellery cooperative in Tiznit; their product lines, some with GS1 Maroc (611) GTINs and
  the rest with registry GTINs; login accounts for four of them;
* audits and certificates: a passing carpet audit and its certificate, a tajine that fails
  the lead-release test, a zellige certificate that is suspended, and a Boujaad carpet
  certified by the certification body;
* with the settings (``khatem demo``, ``khatem serve --demo``): five signed labels under
  each certificate, one Taznakht label revoked as stolen and one Boujaad label suspended
  for inspection; the summary prints label URIs to scan.

Every account shares :data:`DEMO_PASSWORD`, printed in the summary. Loading is idempotent:
the certification body is the marker, and a second run does nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from core.auth import Principal
from core.settings import Settings
from labeling.audits.service import record_audit
from labeling.certificates.service import certify, suspend
from labeling.demo_items import PHOTOGRAPHED, add_demo_photo, description_of
from labeling.labels.demo_labels import DemoLabels
from labeling.registry import artisans, repository, service
from schemas.accounts import UserAccount
from schemas.audits_api import AuditCreate, FindingInput
from schemas.certificates_api import CertificateCreate, CertificateStatusChange, ReasonCode
from schemas.registry import Artisan, ProductLine
from schemas.registry_api import (
    ArtisanAccountCreate,
    ArtisanCreate,
    InspectorCreate,
    ProductLineCreate,
)
from schemas.types import ArtisanKind, Role

__all__ = ["DEMO_CERTIFICATION_BODY", "DEMO_PASSWORD", "load_demo"]

DEMO_PASSWORD = "khatem-demo-2025"
DEMO_CERTIFICATION_BODY = "OC-DEMO"
_DOMAIN = "demo.khatem.ma"

ALREADY_LOADED = "The demo registry is already loaded; nothing to do."


@dataclass(frozen=True)
class _Staff:
    key: str
    body_code: str
    email: str
    name: str
    schemes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Product:
    family: str
    name: str
    materials: tuple[str, ...]
    gtin: str | None = None


@dataclass(frozen=True)
class _Maker:
    key: str
    registrar: str
    nia: str
    kind: ArtisanKind
    latin: str
    arabic: str
    region: str
    filiere: str
    metier: str
    city: str
    national_id: str
    phone: str
    address: str
    products: tuple[_Product, ...]
    login: str | None = None


_TAPIS = ("TAPIS-COURANTE", "TAPIS-MOYENNE", "TAPIS-SUPERIEURE")
_MFM = ("MFM-1", "MFM-2", "MFM-3")

_ADMINS = (
    _Staff("fes", "CHAMBRE-MA-03", f"admin.fes-meknes@{_DOMAIN}", "Amina El Alaoui"),
    _Staff("marrakech", "CHAMBRE-MA-07", f"admin.marrakech-safi@{_DOMAIN}", "Youssef Chraibi"),
    _Staff("draa", "CHAMBRE-MA-08", f"admin.draa-tafilalet@{_DOMAIN}", "Lahcen Ait Ouahmane"),
    _Staff("oc", DEMO_CERTIFICATION_BODY, f"admin.oc@{_DOMAIN}", "Meryem Benkirane"),
)

_INSPECTORS = (
    _Staff(
        "ouarzazate",
        "CHAMBRE-MA-08",
        f"inspecteur.ouarzazate@{_DOMAIN}",
        "Said Ouhammou",
        _TAPIS + _MFM + ("MCC-TAPIS-WAOUZGUITI",),
    ),
    _Staff(
        "safi",
        "CHAMBRE-MA-07",
        f"inspectrice.safi@{_DOMAIN}",
        "Nadia Benjelloun",
        ("MADMOUN", "MFM-1"),
    ),
    _Staff(
        "medina",
        "CHAMBRE-MA-07",
        f"inspecteur.marrakech@{_DOMAIN}",
        "Karim El Idrissi",
        _MFM + ("MCC-BABOUCHE-MAROCAINE",),
    ),
    _Staff("fes", "CHAMBRE-MA-03", f"inspectrice.fes@{_DOMAIN}", "Salma Tazi", _MFM + ("MADMOUN",)),
    _Staff(
        "auditeur",
        DEMO_CERTIFICATION_BODY,
        f"auditeur.oc@{_DOMAIN}",
        "Rachid Amine",
        _TAPIS + _MFM + ("MCC-TAPIS-DE-BOUJAAD", "MCC-TAZERZITE-BIJOUX-ARGENT-SOUSS-"),
    ),
)

_MAKERS = (
    _Maker(
        "tifaouine",
        "ouarzazate",
        "NIA-08-210001",
        ArtisanKind.COOPERATIVE,
        "Coopérative Tifaouine",
        "تعاونية تيفاوين",
        "MA-08",
        "F01",
        "Tapis noué main",
        "Taznakht",
        "DA100201",
        "+212 524 88 10 01",
        "Douar Tifaouine, Taznakht",
        (
            _Product(
                "tapis",
                "Tapis Ouzguita noué main",
                ("laine", "teintures naturelles"),
                "6111000010013",
            ),
            _Product("tapis", "Tapis Akhnif tissé", ("laine", "poil de chèvre")),
        ),
        login=f"tifaouine@{_DOMAIN}",
    ),
    _Maker(
        "fadma",
        "ouarzazate",
        "NIA-08-210002",
        ArtisanKind.ARTISAN,
        "Fadma Aït Brahim",
        "فاضمة آيت إبراهيم",
        "MA-08",
        "F01",
        "Tisserand",
        "Taznakht",
        "DA100202",
        "+212 600 10 02 02",
        "Quartier Assaka, Taznakht",
        (_Product("tapis", "Kilim tissé main", ("laine",)),),
    ),
    _Maker(
        "bouzidi",
        "ouarzazate",
        "NIA-08-210003",
        ArtisanKind.MAALEM,
        "Maâlem Ahmed Bouzidi",
        "المعلم أحمد بوزيدي",
        "MA-08",
        "F04",
        "Potier",
        "Tamegroute",
        "DA100203",
        "+212 600 10 03 03",
        "Atelier de la zaouïa, Tamegroute",
        (_Product("poterie", "Poterie verte de Tamegroute", ("argile", "émail au cuivre")),),
    ),
    _Maker(
        "lamrani",
        "safi",
        "NIA-07-310001",
        ArtisanKind.MAALEM,
        "Maâlem Abdellah Lamrani",
        "المعلم عبد الله لمراني",
        "MA-07",
        "F04",
        "Potier",
        "Safi",
        "HA200301",
        "+212 600 20 03 01",
        "Colline des potiers, Safi",
        (_Product("poterie", "Tajine culinaire émaillé", ("argile", "émail"), "6111000020012"),),
        login=f"lamrani@{_DOMAIN}",
    ),
    _Maker(
        "colline",
        "safi",
        "NIA-07-310002",
        ArtisanKind.ENTREPRISE,
        "Poteries de la Colline SARL",
        "فخاريات التلة",
        "MA-07",
        "F04",
        "Potier",
        "Safi",
        "HA200302",
        "+212 524 46 20 02",
        "Zone artisanale, Safi",
        (
            _Product(
                "poterie",
                "Plats décoratifs peints main",
                ("argile", "oxydes métalliques"),
                "6111000030011",
            ),
            _Product("poterie", "Tajine de service", ("argile", "émail sans plomb")),
        ),
    ),
    _Maker(
        "ouazzani",
        "medina",
        "NIA-07-310003",
        ArtisanKind.ARTISAN,
        "Hassan Ouazzani",
        "حسن الوزاني",
        "MA-07",
        "F03",
        "Babouchier (kharraz)",
        "Marrakech",
        "EE200303",
        "+212 600 20 03 03",
        "Souk Smata, Marrakech",
        (
            _Product(
                "babouches", "Babouches en cuir tanné végétal", ("cuir de chèvre", "fil de soie")
            ),
        ),
        login=f"ouazzani@{_DOMAIN}",
    ),
    _Maker(
        "bennani",
        "fes",
        "NIA-03-410001",
        ArtisanKind.MAALEM,
        "Maâlem Driss Bennani",
        "المعلم إدريس بناني",
        "MA-03",
        "F04",
        "Zelligeur (zellige de Fès / de Tétouan)",
        "Fès",
        "C300401",
        "+212 600 30 04 01",
        "Ain Nokbi, Fès",
        (_Product("zellige", "Zellige de Fès taillé main", ("argile", "émail"), "6111000040010"),),
        login=f"bennani@{_DOMAIN}",
    ),
    _Maker(
        "seffarine",
        "fes",
        "NIA-03-410002",
        ArtisanKind.ENTREPRISE,
        "Dinanderie Seffarine",
        "نحاسيات الصفارين",
        "MA-03",
        "F07",
        "Dinandier",
        "Fès",
        "C300402",
        "+212 535 63 04 02",
        "Place Seffarine, Fès",
        (_Product("dinanderie", "Plateau en cuivre ciselé", ("cuivre",)),),
    ),
    _Maker(
        "nour",
        "auditeur",
        "NIA-05-510001",
        ArtisanKind.COOPERATIVE,
        "Coopérative Nour Boujaad",
        "تعاونية النور بوجعد",
        "MA-05",
        "F01",
        "Tapis noué main",
        "Boujaad",
        "I500501",
        "+212 523 41 05 01",
        "Derb Zaouia, Boujaad",
        (
            _Product(
                "tapis", "Tapis de Boujaad", ("laine", "teintures naturelles"), "6111000050019"
            ),
        ),
    ),
    _Maker(
        "tazerzite",
        "auditeur",
        "NIA-09-610001",
        ArtisanKind.COOPERATIVE,
        "Coopérative Tazerzite Tiznit",
        "تعاونية تازرزيت تيزنيت",
        "MA-09",
        "F09",
        "Bijoutier / orfèvre (dahhabin, sayyaghin)",
        "Tiznit",
        "JB600601",
        "+212 528 86 06 01",
        "Souk des bijoutiers, Tiznit",
        (
            _Product("bijoux", "Fibule tazerzit en argent", ("argent", "émail cloisonné")),
            _Product("bijoux", "Bracelet berbère en argent", ("argent",), "6111000060018"),
        ),
    ),
)


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
class _Registry:
    admins: dict[str, Principal]  # by body code
    inspectors: dict[str, Principal]
    makers: dict[str, Artisan]
    lines: dict[str, list[ProductLine]]


def load_demo(*, session: Session, settings: Settings | None = None) -> str:
    """Load the demo registry (the catalogue must be loaded); returns what it did.

    With ``settings`` the demo also prepares the registry's keys (development keys in
    ``settings.data_dir`` unless keys are configured) and issues labels under each
    certificate, then revokes one and suspends another, so that verification has an
    authentic, a revoked, a suspended label and one under a suspended certificate.
    """
    if repository.get_body_by_code(session=session, code=DEMO_CERTIFICATION_BODY):
        return ALREADY_LOADED
    if repository.get_body_by_code(session=session, code="CHAMBRE-MA-08") is None:
        raise RuntimeError("Load the catalogue first (`khatem catalog load`).")
    registry = _load_registry(session)
    session.commit()
    labels = DemoLabels.prepare(session, settings) if settings else None
    audits, certificates = _load_audits_and_certificates(session, registry, labels)
    label_summary = labels.finish() if labels is not None else ""
    logins = (
        "\n".join(f"  {staff.email:40} admin of {staff.body_code}" for staff in _ADMINS)
        + "\n"
        + "\n".join(f"  {staff.email:40} inspector, {staff.body_code}" for staff in _INSPECTORS)
        + "\n"
        + "\n".join(
            f"  {maker.login:40} artisan, {maker.latin}" for maker in _MAKERS if maker.login
        )
    )
    lines = sum(len(rows) for rows in registry.lines.values())
    return (
        f"Demo registry loaded: 1 certification body ({DEMO_CERTIFICATION_BODY}, a "
        "placeholder: the 2024 label tender outcome is not public), "
        f"{len(_ADMINS)} admins, {len(_INSPECTORS)} inspectors, {len(_MAKERS)} artisans, "
        f"{lines} product lines, {audits} audits, {certificates} certificates.\n"
        f"Demo logins (password for all: {DEMO_PASSWORD}):\n{logins}" + label_summary
    )


def _load_registry(session: Session) -> _Registry:
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
    for maker in _MAKERS:
        makers[maker.key], lines[maker.key] = _load_maker(session, maker, admins, inspectors)
    return _Registry(admins=admins, inspectors=inspectors, makers=makers, lines=lines)


def _load_admins(session: Session) -> dict[str, Principal]:
    """One admin per body, by body code."""
    admins: dict[str, Principal] = {}
    for staff in _ADMINS:
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
    for staff in _INSPECTORS:
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
    maker: _Maker,
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
        registrar_body = next(s.body_code for s in _INSPECTORS if s.key == maker.registrar)
        artisans.create_artisan_account(
            session=session,
            actor=admins[registrar_body],
            artisan_id=artisan.id,
            data=ArtisanAccountCreate(email=maker.login, password=DEMO_PASSWORD),
            commit=False,
        )
    return artisan, lines


def _product_line_form(product: _Product) -> ProductLineCreate:
    return ProductLineCreate.model_validate(
        {
            "family": product.family,
            "name": product.name,
            "materials": list(product.materials),
            "gtin": product.gtin,
            **description_of(product.name),
        }
    )


def _artisan_form(maker: _Maker) -> ArtisanCreate:
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


def _observed(*codes: str) -> list[FindingInput]:
    return [FindingInput(criterion=code, observed=True) for code in codes]


def _line(registry: _Registry, maker: str) -> int:
    """The maker's audited product line (its first), in its certificate's scope."""
    line_id = registry.lines[maker][0].id
    assert line_id is not None
    return line_id


def _load_audits_and_certificates(
    session: Session, registry: _Registry, labels: DemoLabels | None
) -> tuple[int, int]:
    """Four audits and three certificates through the audit and certificate services
    (each commits on its own), and labels under each certificate when ``labels`` is given
    (the zellige labels before their certificate is suspended)."""
    audit_date = datetime.now(UTC).date() - timedelta(days=21)
    _certify_taznakht_carpet(session, registry, labels, audit_date)
    _fail_safi_tajine(session, registry, audit_date)
    _certify_then_suspend_fes_zellige(session, registry, labels, audit_date)
    _certify_boujaad_carpet(session, registry, labels, audit_date)
    return 4, 3


def _audit(
    session: Session,
    registry: _Registry,
    audit_date: date,
    *,
    inspector: str,
    maker: str,
    scheme: str,
    findings: list[FindingInput],
) -> int:
    """Record the inspector's audit of the maker's first product line; returns its id."""
    artisan_id = registry.makers[maker].id
    assert artisan_id is not None
    recorded = record_audit(
        session=session,
        principal=registry.inspectors[inspector],
        request=AuditCreate(
            artisan_id=artisan_id,
            scheme=scheme,
            product_line_ids=[line.id for line in registry.lines[maker][:1] if line.id],
            audit_date=audit_date,
            findings=findings,
        ),
    )
    return recorded.id


def _certify_taznakht_carpet(
    session: Session, registry: _Registry, labels: DemoLabels | None, audit_date: date
) -> None:
    """A Taznakht carpet with 160,000 knots/m², well over the supérieure grade's 90,000."""
    carpet = _audit(
        session,
        registry,
        audit_date,
        inspector="ouarzazate",
        maker="tifaouine",
        scheme="TAPIS-SUPERIEURE",
        findings=[FindingInput(criterion="knot_density", measured_value=160_000.0, unit="knots/m2")]
        + _observed("hand_knotted", "no_redhibitory_defects"),
    )
    carpets = certify(
        session=session,
        principal=registry.inspectors["ouarzazate"],
        request=CertificateCreate(audit_id=carpet),
    )
    if labels is not None:
        labels.issue(
            "taznakht", registry.inspectors["ouarzazate"], carpets.id, _line(registry, "tifaouine")
        )


def _fail_safi_tajine(session: Session, registry: _Registry, audit_date: date) -> None:
    """A Safi tajine releasing 1.6 mg/dm² of lead: twice the 0.8 limit, so the audit fails."""
    _audit(
        session,
        registry,
        audit_date,
        inspector="safi",
        maker="lamrani",
        scheme="MADMOUN",
        findings=[
            FindingInput(criterion="lead_release", measured_value=1.6, unit="mg/dm2"),
            FindingInput(criterion="cadmium_release", measured_value=0.02, unit="mg/dm2"),
        ]
        + _observed("food_contact_declaration"),
    )


def _certify_then_suspend_fes_zellige(
    session: Session, registry: _Registry, labels: DemoLabels | None, audit_date: date
) -> None:
    """Fès zellige: certified Maroc Fait Main, then suspended after a market check."""
    zellige = _audit(
        session,
        registry,
        audit_date,
        inspector="fes",
        maker="bennani",
        scheme="MFM-1",
        findings=_observed("authenticity", "quality", "working_conditions"),
    )
    certificate = certify(
        session=session,
        principal=registry.inspectors["fes"],
        request=CertificateCreate(audit_id=zellige),
    )
    if labels is not None:
        labels.issue(
            "zellige", registry.inspectors["fes"], certificate.id, _line(registry, "bennani")
        )
    suspend(
        session=session,
        principal=registry.admins["CHAMBRE-MA-03"],
        certificate_id=certificate.id,
        request=CertificateStatusChange(
            reason_code=ReasonCode.SURVEILLANCE_NONCONFORMITY,
            reason_text="Market check: labelled tiles outside the certified product line.",
        ),
    )


def _certify_boujaad_carpet(
    session: Session, registry: _Registry, labels: DemoLabels | None, audit_date: date
) -> None:
    """A Boujaad carpet certified by the certification body."""
    boujaad = _audit(
        session,
        registry,
        audit_date,
        inspector="auditeur",
        maker="nour",
        scheme="TAPIS-MOYENNE",
        findings=[FindingInput(criterion="knot_density", measured_value=75_000.0, unit="knots/m2")]
        + _observed("hand_knotted", "no_redhibitory_defects"),
    )
    boujaad_carpets = certify(
        session=session,
        principal=registry.inspectors["auditeur"],
        request=CertificateCreate(audit_id=boujaad),
    )
    if labels is not None:
        labels.issue(
            "boujaad", registry.inspectors["auditeur"], boujaad_carpets.id, _line(registry, "nour")
        )
