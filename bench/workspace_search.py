"""Benchmark finding an artisan at national scale (issue 14): 4,200 then 420,000 artisans.

    uv run python bench/workspace_search.py [--database-url postgresql+psycopg://…]
        [--small 4200] [--large 420000] [--repeat 15] [--sqlite-only]

Target: the p95 time of typical searches at 420,000 artisans is at most 3x the p95 at 4,200
(an index answers, not a scan of the body's artisans).

What runs, on SQLite (a file in a temporary directory) and on PostgreSQL (a scratch database
on the server of ``--database-url``, else ``KHATEM_BENCH_DATABASE_URL``, else the local test
server ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``; skipped with a note when
none answers):

1. The migrations and the catalogue; then ``--small`` artisans, bulk-inserted (one
   ``executemany`` on SQLite, ``COPY`` on PostgreSQL, in one transaction each, the search
   key computed by ``schemas.search_key`` as the table model would), spread over the twelve
   regions' chambres in proportion to their artisan populations, each with a Moroccan name
   in Latin and Arabic script (first and family names drawn from weighted lists, so that
   common names are common), a city of its region, a craft of the catalogue and a NIA;
2. the typical searches of an inspector of the largest chambre (Fès-Meknès), each
   ``--repeat`` times, through ``labeling.registry.search.search_artisans`` (the service the
   API and the workspace call, one read transaction per call), timed on the wall clock:
   a Latin first-name prefix, a Latin family-name part, a Latin full name, an Arabic name
   prefix and part, an Arabic name typed with tashkeel, a NIA exactly and by prefix, a city,
   a craft, and the second page of a common name;
3. more artisans up to ``--large``, and the same searches again (the queries are drawn
   again from the larger registry, so each still names something that exists).

It prints the median and p95 of each search and of all of them at both sizes, per backend,
and LAST the ratio p95(large) / p95(small), the worse of the two backends.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import scratch_database  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from core.auth import Principal  # noqa: E402
from core.db import engine_for, migrate, new_session, read_session  # noqa: E402
from labeling.registry.search import search_artisans  # noqa: E402
from schemas.search_key import artisan_search_key  # noqa: E402
from schemas.types import Role  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# (Latin, Arabic, weight): the weights make a handful of names very common, as in life.
FIRST_NAMES: list[tuple[str, str, int]] = [
    ("Mohamed", "محمد", 60),
    ("Ahmed", "أحمد", 25),
    ("Fatima", "فاطمة", 40),
    ("Fatima Zahra", "فاطمة الزهراء", 20),
    ("Khadija", "خديجة", 22),
    ("Abdellah", "عبد الله", 18),
    ("Abdelkader", "عبد القادر", 10),
    ("Abderrahim", "عبد الرحيم", 9),
    ("Abdelaziz", "عبد العزيز", 8),
    ("Aicha", "عائشة", 18),
    ("Hassan", "حسن", 16),
    ("Hussein", "حسين", 8),
    ("Youssef", "يوسف", 15),
    ("Rachid", "رشيد", 14),
    ("Said", "سعيد", 14),
    ("Mustapha", "مصطفى", 12),
    ("Brahim", "إبراهيم", 12),
    ("Omar", "عمر", 10),
    ("Driss", "إدريس", 9),
    ("Hamid", "حميد", 9),
    ("Karim", "كريم", 8),
    ("Khalid", "خالد", 10),
    ("Mehdi", "مهدي", 6),
    ("Hicham", "هشام", 7),
    ("Jamal", "جمال", 7),
    ("Noureddine", "نور الدين", 6),
    ("Lahcen", "لحسن", 9),
    ("Lhoussaine", "الحسين", 6),
    ("Mbarek", "امبارك", 5),
    ("Moulay Ali", "مولاي علي", 4),
    ("Zineb", "زينب", 10),
    ("Malika", "مليكة", 10),
    ("Naima", "نعيمة", 9),
    ("Latifa", "لطيفة", 8),
    ("Saida", "سعيدة", 8),
    ("Rkia", "رقية", 6),
    ("Hafsa", "حفصة", 5),
    ("Meryem", "مريم", 9),
    ("Salma", "سلمى", 6),
    ("Nadia", "نادية", 7),
    ("Souad", "سعاد", 6),
    ("Itto", "إطو", 5),
    ("Touda", "تودة", 3),
    ("Mimouna", "ميمونة", 3),
    ("Hanane", "حنان", 6),
    ("Imane", "إيمان", 7),
    ("Asmae", "أسماء", 6),
    ("Ilham", "إلهام", 5),
    ("Yamna", "يامنة", 3),
    ("Zahra", "زهرة", 6),
    ("Abdessamad", "عبد الصمد", 4),
    ("Othmane", "عثمان", 5),
    ("Ayoub", "أيوب", 6),
    ("Anas", "أنس", 5),
    ("Soufiane", "سفيان", 5),
    ("Taoufik", "توفيق", 4),
    ("Larbi", "العربي", 5),
    ("Miloud", "الميلود", 4),
    ("Bouchra", "بشرى", 5),
    ("Houda", "هدى", 5),
]
FAMILY_NAMES: list[tuple[str, str, int]] = [
    ("Alaoui", "العلوي", 30),
    ("Benali", "بن علي", 20),
    ("Bennani", "بناني", 18),
    ("Idrissi", "الإدريسي", 22),
    ("Tazi", "التازي", 12),
    ("Berrada", "برادة", 10),
    ("El Fassi", "الفاسي", 12),
    ("Chraibi", "الشرايبي", 8),
    ("Benjelloun", "بنجلون", 10),
    ("Lahlou", "لحلو", 7),
    ("Sqalli", "السقلي", 5),
    ("Filali", "الفيلالي", 9),
    ("Amrani", "العمراني", 14),
    ("Ouazzani", "الوزاني", 9),
    ("Tahiri", "الطاهري", 8),
    ("Cherkaoui", "الشرقاوي", 10),
    ("Mansouri", "المنصوري", 11),
    ("Naciri", "الناصري", 9),
    ("Bakkali", "البقالي", 8),
    ("Ziani", "الزياني", 8),
    ("Sebti", "السبتي", 6),
    ("Slaoui", "السلاوي", 7),
    ("Rifi", "الريفي", 6),
    ("Drissi", "الدريسي", 7),
    ("Hamdaoui", "الحمداوي", 6),
    ("Jebli", "الجبلي", 5),
    ("Bouzid", "بوزيد", 9),
    ("Boukhari", "البخاري", 7),
    ("Benmoussa", "بنموسى", 8),
    ("Benkirane", "بنكيران", 6),
    ("Kettani", "الكتاني", 5),
    ("Lamrani", "اللمراني", 6),
    ("Ouhammou", "أوحمو", 6),
    ("Aït Lahcen", "آيت لحسن", 9),
    ("Aït Ali", "آيت علي", 10),
    ("Aït Baha", "آيت باها", 5),
    ("Aït Ouarab", "آيت واعراب", 4),
    ("Ait Bensaid", "آيت بنسعيد", 4),
    ("Oubella", "أوبلا", 4),
    ("Amazigh", "أمازيغ", 3),
    ("Akhiat", "أخياط", 4),
    ("Ouchen", "أوشن", 5),
    ("Oukhouya", "أوخويا", 4),
    ("Boutaleb", "بوطالب", 5),
    ("Serghini", "السرغيني", 5),
    ("Saadi", "السعدي", 8),
    ("Marrakchi", "المراكشي", 6),
    ("Soussi", "السوسي", 8),
    ("Doukkali", "الدكالي", 7),
    ("Zemmouri", "الزموري", 5),
    ("Chaoui", "الشاوي", 6),
    ("Harrati", "الحراتي", 4),
    ("Belhaj", "بلحاج", 8),
    ("Belkadi", "بلقاضي", 5),
    ("Benabdellah", "بنعبد الله", 6),
    ("Bensouda", "بنسودة", 4),
    ("Guessous", "كسوس", 4),
    ("El Khattabi", "الخطابي", 5),
    ("Regragui", "الركراكي", 5),
    ("Ouardighi", "الورديغي", 3),
    ("Hajji", "الحجي", 6),
    ("Moussaoui", "الموساوي", 8),
    ("Yousfi", "اليوسفي", 7),
    ("Kabbaj", "القباج", 5),
    ("Lazrak", "الأزرق", 5),
    ("Sabri", "صبري", 6),
    ("Naji", "ناجي", 6),
    ("Karimi", "الكريمي", 6),
    ("Raji", "الراجي", 5),
    ("Zouhair", "زهير", 4),
]
# Cooperatives are named after a word of hope, a place or a craft.
COOPERATIVE_WORDS: list[tuple[str, str]] = [
    ("Al Amal", "الأمل"),
    ("Nour", "نور"),
    ("Tighza", "تيغزا"),
    ("Akhiam", "أخيام"),
    ("Tiwizi", "تويزة"),
    ("Al Baraka", "البركة"),
    ("Tafraout", "تافراوت"),
    ("Annahda", "النهضة"),
    ("Al Wafae", "الوفاء"),
    ("Tamount", "تامونت"),
    ("Azetta", "أزطا"),
    ("Al Ikhlas", "الإخلاص"),
    ("Tifawin", "تيفاوين"),
    ("Assafae", "الصفاء"),
    ("Al Hidaya", "الهداية"),
    ("Amal Zitoun", "أمل الزيتون"),
]
# Region code -> (share of the national artisans, [(city, weight)]).
REGIONS: dict[str, tuple[int, list[tuple[str, int]]]] = {
    "MA-01": (11, [("Tanger", 5), ("Tétouan", 4), ("Al Hoceïma", 2), ("Chefchaouen", 3)]),
    "MA-02": (6, [("Oujda", 5), ("Nador", 3), ("Berkane", 2), ("Figuig", 1)]),
    "MA-03": (15, [("Fès", 8), ("Meknès", 5), ("Sefrou", 2), ("Ifrane", 1), ("Taza", 2)]),
    "MA-04": (11, [("Rabat", 4), ("Salé", 5), ("Kénitra", 3), ("Khémisset", 2)]),
    "MA-05": (6, [("Béni Mellal", 4), ("Khénifra", 3), ("Azilal", 2), ("Khouribga", 2)]),
    "MA-06": (14, [("Casablanca", 8), ("Settat", 2), ("El Jadida", 3), ("Mohammedia", 2)]),
    "MA-07": (14, [("Marrakech", 8), ("Safi", 4), ("Essaouira", 3), ("El Kelâa", 2)]),
    "MA-08": (7, [("Ouarzazate", 3), ("Errachidia", 3), ("Zagora", 2), ("Tinghir", 2)]),
    "MA-09": (9, [("Agadir", 5), ("Taroudant", 3), ("Tiznit", 3), ("Tafraout", 1)]),
    "MA-10": (3, [("Guelmim", 3), ("Tan-Tan", 2), ("Sidi Ifni", 1)]),
    "MA-11": (2, [("Laâyoune", 3), ("Boujdour", 1), ("Tarfaya", 1)]),
    "MA-12": (2, [("Dakhla", 3), ("Aousserd", 1)]),
}
BUSY_REGION = "MA-03"
KINDS = [("artisan", 70), ("maalem", 15), ("cooperative", 12), ("company", 3)]
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _pick(rng: random.Random, weighted: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[row[-1] for row in weighted])[0]


@dataclass(frozen=True)
class Catalogue:
    bodies: dict[str, int]  # region code -> chambre body id
    crafts: list[tuple[str, str]]  # (metier, filiere code)


def _catalogue(url: str) -> Catalogue:
    with new_session(url) as session:
        bodies = dict(
            session.execute(
                text("SELECT region_code, id FROM body WHERE code LIKE 'CHAMBRE-MA-%'")
            ).all()
        )
        crafts = [
            (name, filiere)
            for name, filiere in session.execute(text("SELECT name, filiere_code FROM metier"))
        ]
        session.rollback()
    assert len(bodies) == 12 and crafts, (bodies, crafts)
    return Catalogue(bodies=bodies, crafts=sorted(crafts))


def _artisans(
    rng: random.Random, catalogue: Catalogue, start: int, count: int
) -> list[dict[str, Any]]:
    regions = list(REGIONS)
    shares = [REGIONS[code][0] for code in regions]
    rows = []
    for number in range(start, start + count):
        region = rng.choices(regions, weights=shares)[0]
        kind = _pick(rng, KINDS)[0]
        if kind in ("cooperative", "company"):
            word_latin, word_arabic = rng.choice(COOPERATIVE_WORDS)
            city_word = rng.choice(REGIONS[region][1])[0]
            if kind == "cooperative":
                latin = f"Coopérative {word_latin} {city_word}"
                arabic = f"تعاونية {word_arabic}"
            else:
                family = _pick(rng, FAMILY_NAMES)
                latin = f"Ateliers {family[0]} SARL"
                arabic = f"محترفات {family[1]}"
        else:
            first, family = _pick(rng, FIRST_NAMES), _pick(rng, FAMILY_NAMES)
            latin, arabic = f"{first[0]} {family[0]}", f"{first[1]} {family[1]}"
            if kind == "maalem":
                latin, arabic = f"Maâlem {latin}", f"المعلم {arabic}"
        metier, filiere = rng.choice(catalogue.crafts)
        city = _pick(rng, REGIONS[region][1])[0]
        nia = f"NIA-{region[-2:]}-{number:07d}"
        public_id = "".join(rng.choice(CROCKFORD) for _ in range(10))
        rows.append(
            {
                "public_id": public_id,
                "nia": nia,
                "kind": kind,
                "display_name_latin": latin,
                "display_name_arabic": arabic,
                "region_code": region,
                "filiere_code": filiere,
                "metier": metier,
                "city": city,
                "body_id": catalogue.bodies[region],
                "search_key": artisan_search_key(
                    display_name_latin=latin,
                    display_name_arabic=arabic,
                    nia=nia,
                    public_id=public_id,
                    city=city,
                    metier=metier,
                ),
            }
        )
    return rows


COLUMNS = (
    "public_id",
    "nia",
    "kind",
    "display_name_latin",
    "display_name_arabic",
    "region_code",
    "filiere_code",
    "metier",
    "city",
    "body_id",
    "search_key",
)


def _load(url: str, rows: list[dict[str, Any]]) -> None:
    """Bulk-insert ``rows`` in one transaction."""
    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(str(row[name]) for name in COLUMNS))
                buffer.write("\t1970-01-01 00:00:00+00\n")
            with raw.cursor() as cursor:
                with cursor.copy(
                    f"COPY artisan ({', '.join(COLUMNS)}, created_at) FROM STDIN"
                ) as copy:
                    copy.write(buffer.getvalue())
        return
    placeholders = ", ".join(f":{name}" for name in COLUMNS)
    with new_session(url) as session:
        session.execute(
            text(
                f"INSERT INTO artisan ({', '.join(COLUMNS)}, created_at) "
                f"VALUES ({placeholders}, '1970-01-01 00:00:00.000000')"
            ),
            rows,
        )
        session.commit()


def _analyse(url: str) -> None:
    """Refresh the planner's statistics after the load, as a DBA (or autovacuum) would."""
    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE artisan"))
        return
    with new_session(url) as session:
        session.execute(text("ANALYZE"))
        session.commit()


@dataclass(frozen=True)
class Search:
    name: str
    query: str
    second_page: bool = False


def _searches(url: str, body_id: int, rng: random.Random) -> list[Search]:
    """Typical searches, drawn from a person the body's registry holds."""
    with read_session(url) as session:
        people = session.execute(
            text(
                "SELECT nia, display_name_latin, display_name_arabic FROM artisan "
                "WHERE body_id = :body AND kind = 'artisan' ORDER BY id"
            ),
            {"body": body_id},
        ).all()
        session.rollback()
    nia, latin, arabic = rng.choice(people)
    first, family = latin.split()[0], latin.split()[-1]
    arabic_first, arabic_family = arabic.split()[0], arabic.split()[-1]
    city = REGIONS[BUSY_REGION][1][0][0]
    return [
        Search("Latin first-name prefix", first[:4]),
        Search("Latin family-name part", family[1:5]),
        Search("Latin full name", latin),
        Search("Arabic name prefix", arabic_first[:3]),
        Search("Arabic name part", arabic_family[-4:]),
        Search("Arabic with tashkeel", "فَاطِمَة"),
        Search("NIA exactly", nia),
        Search("NIA prefix", nia[:-2]),
        Search("city", city),
        Search("craft", "tisserand"),
        Search("common name, page 2", "mohamed", second_page=True),
    ]


def _time_search(url: str, principal: Principal, search: Search) -> float:
    with read_session(url) as session:
        cursor = None
        if search.second_page:
            cursor = search_artisans(
                session=session, principal=principal, query=search.query, limit=20, cursor=None
            ).next_cursor
            session.rollback()
        started = time.perf_counter()
        page = search_artisans(
            session=session, principal=principal, query=search.query, limit=20, cursor=cursor
        )
        session.rollback()
        elapsed = time.perf_counter() - started
    assert page.items, f"{search.name}: {search.query!r} found nothing"
    return elapsed


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Registry:
    """One database at one size, and the searches drawn from it."""

    size: int
    url: str
    principal: Principal
    searches: list[Search]
    times: dict[str, list[float]]


def _registry(url: str, size: int) -> Registry:
    catalogue = _catalogue(url)
    body_id = catalogue.bodies[BUSY_REGION]
    started = time.perf_counter()
    rng = random.Random(14)
    loaded = 0
    while loaded < size:  # in slices, so that the bench's memory stays small
        count = min(100_000, size - loaded)
        _load(url, _artisans(rng, catalogue, loaded, count))
        loaded += count
    _analyse(url)
    with read_session(url) as session:
        in_body = session.execute(
            text("SELECT count(*) FROM artisan WHERE body_id = :b"), {"b": body_id}
        ).scalar_one()
        session.rollback()
    print(
        f"{size:,} artisans ({in_body:,} in the searched chambre), loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    principal = Principal(
        user_id=0, role=Role.INSPECTOR, body_id=body_id, artisan_id=None, token_id=0
    )
    searches = _searches(url, body_id, random.Random(size))
    return Registry(size, url, principal, searches, {search.name: [] for search in searches})


def _table_scans(url: str) -> int | None:
    """PostgreSQL's count of sequential scans of ``artisan`` (None on SQLite)."""
    engine = engine_for(url)
    if engine.dialect.name != "postgresql":
        return None
    time.sleep(1.5)  # the statistics of finished transactions are flushed within a second
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'artisan'")
        ).scalar_one()
        connection.rollback()
    return int(count)


def run(label: str, small_url: str, large_url: str, args: argparse.Namespace) -> float:
    """Both sizes measured in alternation, so that whatever else the machine runs slows
    both alike."""
    print(f"\n== {label}")
    registries = [_registry(small_url, args.small), _registry(large_url, args.large)]
    for registry in registries:
        for search in registry.searches:
            _time_search(registry.url, registry.principal, search)  # warm, as a busy server
    scans_before = _table_scans(large_url)
    for round_number in range(args.repeat):
        for index in range(len(registries[0].searches)):
            order = registries if round_number % 2 == 0 else registries[::-1]
            for registry in order:
                search = registry.searches[index]
                registry.times[search.name].append(
                    _time_search(registry.url, registry.principal, search)
                )
    scans = _table_scans(large_url)
    if scans is not None and scans_before is not None:
        print(
            f"  sequential scans of the artisan table during the searches at "
            f"{args.large:,}: {scans - scans_before} (pg_stat_user_tables)"
        )
    small, large = registries
    print(f"  {'search (median / p95)':26} {f'at {small.size:,}':>24} {f'at {large.size:,}':>24}")
    for index, search in enumerate(small.searches):
        cells = []
        for registry in registries:
            times = registry.times[registry.searches[index].name]
            cells.append(f"{statistics.median(times) * 1e3:6.2f} / {_p95(times) * 1e3:6.2f} ms")
        print(f"  {search.name:26} {cells[0]:>24} {cells[1]:>24}")
    p95s = []
    cells = []
    for registry in registries:
        every = [time_ for times in registry.times.values() for time_ in times]
        p95s.append(_p95(every))
        cells.append(f"{statistics.median(every) * 1e3:6.2f} / {p95s[-1] * 1e3:6.2f} ms")
    print(f"  {'ALL (median / p95)':26} {cells[0]:>24} {cells[1]:>24}")
    for registry in registries:
        print(
            f"  queries at {registry.size:,}: "
            + "; ".join(f"{search.name}: {search.query!r}" for search in registry.searches)
        )
    medians = [
        statistics.median([time_ for times in registry.times.values() for time_ in times])
        for registry in registries
    ]
    ratio = p95s[1] / p95s[0]
    print(
        f"{label}: median {medians[1] * 1e3:.2f} ms / {medians[0] * 1e3:.2f} ms = "
        f"{medians[1] / medians[0]:.2f}; p95 {p95s[1] * 1e3:.2f} ms / {p95s[0] * 1e3:.2f} ms "
        f"= {ratio:.2f}"
    )
    return ratio


def _prepare(url: str) -> None:
    migrate(url)
    from labeling.catalog.loader import load_catalog

    with new_session(url) as session:
        load_catalog(session=session)
    engine_for(url).dispose()


@contextmanager
def _sqlite(workdir: Path, name: str) -> Iterator[str]:
    url = f"sqlite:///{workdir / (name + '.db')}"
    _prepare(url)
    yield url
    engine_for(url).dispose()


def _postgres_admin(args: argparse.Namespace) -> str | None:
    if args.sqlite_only:
        return None
    url = args.database_url or os.environ.get("KHATEM_BENCH_DATABASE_URL") or PG_DEFAULT
    try:
        with create_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        print(f"\n(no PostgreSQL at {url}: {exc.__class__.__name__}; SQLite only)")
        return None
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--small", type=int, default=4_200)
    parser.add_argument("--large", type=int, default=420_000)
    parser.add_argument("--repeat", type=int, default=41)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (admin)")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="khatem-bench-") as tmp:
        with _sqlite(Path(tmp), "small") as small, _sqlite(Path(tmp), "large") as large:
            ratios["SQLite"] = run("SQLite", small, large, args)
        admin = _postgres_admin(args)
        if admin is not None:
            with (
                scratch_database(
                    "postgresql", Path(tmp), "small", admin, prepare=_prepare
                ) as small,
                scratch_database(
                    "postgresql", Path(tmp), "large", admin, prepare=_prepare
                ) as large,
            ):
                ratios["PostgreSQL"] = run("PostgreSQL", small, large, args)
    worst = max(ratios, key=lambda name: ratios[name])
    for name, ratio in ratios.items():
        print(f"{name}: p95(large)/p95(small) = {ratio:.2f}")
    print(
        f"RATIO p95({args.large:,}) / p95({args.small:,}), worse backend ({worst}): "
        f"{ratios[worst]:.2f} (target <= 3)"
    )


if __name__ == "__main__":
    main()
