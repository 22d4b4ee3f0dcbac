"""The demo's people, as data: its staff (body admins, inspectors and the schemes each is
authorised for) and its makers (artisans, their product lines and their logins).

:mod:`labeling.demo.enrolment` registers them through the registry's services; every
account shares :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.types import ArtisanKind

DEMO_PASSWORD = "khatem-demo-2025"
DEMO_CERTIFICATION_BODY = "OC-DEMO"
DOMAIN = "demo.khatem.ma"


@dataclass(frozen=True)
class Staff:
    key: str
    body_code: str
    email: str
    name: str
    schemes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Product:
    family: str
    name: str
    materials: tuple[str, ...]
    gtin: str | None = None


@dataclass(frozen=True)
class Maker:
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
    products: tuple[Product, ...]
    login: str | None = None


_TAPIS = ("TAPIS-COURANTE", "TAPIS-MOYENNE", "TAPIS-SUPERIEURE")
_MFM = ("MFM-1", "MFM-2", "MFM-3")

ADMINS = (
    Staff("fes", "CHAMBRE-MA-03", f"admin.fes-meknes@{DOMAIN}", "Amina El Alaoui"),
    Staff("marrakech", "CHAMBRE-MA-07", f"admin.marrakech-safi@{DOMAIN}", "Youssef Chraibi"),
    Staff("draa", "CHAMBRE-MA-08", f"admin.draa-tafilalet@{DOMAIN}", "Lahcen Ait Ouahmane"),
    Staff("oc", DEMO_CERTIFICATION_BODY, f"admin.oc@{DOMAIN}", "Meryem Benkirane"),
)

INSPECTORS = (
    Staff(
        "ouarzazate",
        "CHAMBRE-MA-08",
        f"inspecteur.ouarzazate@{DOMAIN}",
        "Said Ouhammou",
        _TAPIS + _MFM + ("MCC-TAPIS-WAOUZGUITI",),
    ),
    Staff(
        "safi",
        "CHAMBRE-MA-07",
        f"inspectrice.safi@{DOMAIN}",
        "Nadia Benjelloun",
        ("MADMOUN", "MFM-1"),
    ),
    Staff(
        "medina",
        "CHAMBRE-MA-07",
        f"inspecteur.marrakech@{DOMAIN}",
        "Karim El Idrissi",
        _MFM + ("MCC-BABOUCHE-MAROCAINE",),
    ),
    Staff("fes", "CHAMBRE-MA-03", f"inspectrice.fes@{DOMAIN}", "Salma Tazi", _MFM + ("MADMOUN",)),
    Staff(
        "auditeur",
        DEMO_CERTIFICATION_BODY,
        f"auditeur.oc@{DOMAIN}",
        "Rachid Amine",
        _TAPIS + _MFM + ("MCC-TAPIS-DE-BOUJAAD", "MCC-TAZERZITE-BIJOUX-ARGENT-SOUSS-"),
    ),
)

MAKERS = (
    Maker(
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
            Product(
                "tapis",
                "Tapis Ouzguita noué main",
                ("laine", "teintures naturelles"),
                "6111000010013",
            ),
            Product("tapis", "Tapis Akhnif tissé", ("laine", "poil de chèvre")),
        ),
        login=f"tifaouine@{DOMAIN}",
    ),
    Maker(
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
        (Product("tapis", "Kilim tissé main", ("laine",)),),
    ),
    Maker(
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
        (Product("poterie", "Poterie verte de Tamegroute", ("argile", "émail au cuivre")),),
    ),
    Maker(
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
        (Product("poterie", "Tajine culinaire émaillé", ("argile", "émail"), "6111000020012"),),
        login=f"lamrani@{DOMAIN}",
    ),
    Maker(
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
            Product(
                "poterie",
                "Plats décoratifs peints main",
                ("argile", "oxydes métalliques"),
                "6111000030011",
            ),
            Product("poterie", "Tajine de service", ("argile", "émail sans plomb")),
        ),
    ),
    Maker(
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
            Product(
                "babouches", "Babouches en cuir tanné végétal", ("cuir de chèvre", "fil de soie")
            ),
        ),
        login=f"ouazzani@{DOMAIN}",
    ),
    Maker(
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
        (Product("zellige", "Zellige de Fès taillé main", ("argile", "émail"), "6111000040010"),),
        login=f"bennani@{DOMAIN}",
    ),
    Maker(
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
        (Product("dinanderie", "Plateau en cuivre ciselé", ("cuivre",)),),
    ),
    Maker(
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
        (Product("tapis", "Tapis de Boujaad", ("laine", "teintures naturelles"), "6111000050019"),),
    ),
    Maker(
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
            Product("bijoux", "Fibule tazerzit en argent", ("argent", "émail cloisonné")),
            Product("bijoux", "Bracelet berbère en argent", ("argent",), "6111000060018"),
        ),
    ),
)
