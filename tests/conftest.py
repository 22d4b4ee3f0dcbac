"""Test harness: every database test runs on SQLite and on PostgreSQL.

* ``db_url`` is parametrised over both backends. Each backend's schema is built once per
  session by the Alembic migrations (plus the catalogue), then every test gets its own copy:
  a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL.
* PostgreSQL is found at ``KHATEM_TEST_POSTGRES_URL`` (default: the local server's ``test``
  database). When it is unreachable the PostgreSQL half is skipped on a developer machine,
  and FAILS under CI (``tests.ci.in_ci``), so CI can never go green without it.
* Shared fixtures come in as plugins (``pytest_plugins`` below): the actors, the label, the
  verification and the offline fixtures, each module defining its own.
* ``--fast`` runs the fast lane: SQLite only, no browser, no real server processes (started,
  flooded or killed), nothing marked ``slow`` or ``postgres`` (:data:`SLOW_TESTS` marks a
  few heavy tests ``slow`` from here), and hypothesis tests on at most
  :data:`FAST_EXAMPLES` examples. The full suite (no option) is what CI runs. The markers
  are registered in pyproject.toml; ``browser`` and ``processes`` are set here, from what a
  test asks for (see ``_mark``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from core.db import engine_for, migrate, new_session
from core.settings import Settings
from tests.ci import in_ci

REPO = Path(__file__).resolve().parents[1]
#: External test vectors, copied into the repository with their licences (tests/vectors/README.md).
VECTORS = REPO / "tests" / "vectors"
# Imported as plugins, in this order (each imports those before it, and pytest can only
# rewrite the asserts of a module it imports first).
pytest_plugins = [
    "tests.fixtures.actors",  # bodies, users, tokens
    "tests.labels.fixtures",  # labels_app, labels_client, signer, certificate …
    "tests.verification.fixtures",  # prepared, label_key, verify_client
    "tests.offline.fixtures",  # root_vkey, tajine_workshop, snapshots_reset
]


def _no_caret_anchors_on_python_311() -> None:
    """Tracebacks are formatted without Python 3.11's caret anchors.

    To draw its ``^^^~~~`` carets, 3.11's :mod:`traceback` parses each source line with
    :func:`ast.parse`. CPython 3.11 keeps the AST constructor's recursion count per
    interpreter, not per call (cpython#106905, fixed in 3.12.2), so a parse that starts while
    another is under way — pytest rewriting a test module's asserts, while the garbage
    collector runs a finalizer whose warning pytest's unraisable-exception hook formats at
    once, or while a server thread logs an exception — makes the outer one fail with
    ``SystemError: AST constructor recursion depth mismatch``: an intermittent collection
    error seen here on 3.11.7. Carets are cosmetic; the suite's outcome must not depend on
    them."""
    import sys
    import traceback

    if sys.version_info[:2] == (3, 11) and hasattr(
        traceback, "_extract_caret_anchors_from_line_segment"
    ):
        traceback._extract_caret_anchors_from_line_segment = lambda segment: None


_no_caret_anchors_on_python_311()

PG_ADMIN_URL = os.environ.get(
    "KHATEM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _prepare(url: str) -> None:
    migrate(url)
    from labeling.catalog.loader import load_catalog

    with new_session(url) as session:
        load_catalog(session=session)  # the packaged catalogue
    engine_for(url).dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "khatem.db"
    url = f"sqlite:///{path}"
    _prepare(url)
    with create_engine(url).connect() as conn:  # fold the WAL into the main file
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine_for.cache_clear()
    return path


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    admin = _pg_admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "unreachable"
        message = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"
        if in_ci():
            pytest.fail(message + " (CI requires it)", pytrace=False)
        pytest.skip(message)
    name = f"khatem_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    _prepare(url)
    engine_for(url).dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _let_go(url: str) -> None:
    """Whatever the process holds of a test's database: its scan caches, its state watch (a
    thread that would otherwise poll a dropped database for the rest of the run) and its
    connections."""
    from labeling.verification.service import forget_database

    forget_database(url)
    engine_for(url).dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database with the catalogue loaded, on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "khatem.db"
        shutil.copyfile(template, target)
        target.chmod(0o600)  # as Khatem creates it (start-up warns of anything wider)
        url = f"sqlite:///{target}"
        yield url
        _let_go(url)
        return
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"khatem_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    _let_go(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    from main import create_app

    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with new_session(db_url) as db_session:
        yield db_session


# --- the fast lane ---------------------------------------------------------------------------

#: A test that asks for one of these fixtures drives a real browser (Debian's chromium).
BROWSER_FIXTURES = frozenset({"chromium", "browser"})
#: Modules that start real server processes and kill them (SIGKILL mid-write), or flood a
#: real uvicorn at the production Argon2 cost: minutes each, and the OS's business as much
#: as ours. Marked ``processes`` here so their owners need not repeat it.
PROCESS_MODULES = frozenset(
    {
        "tests/labels/test_kill_during_batch.py",
        "tests/security/test_login_flood.py",
        "tests/translog/test_concurrency.py",
        "tests/translog/test_crash.py",
        "tests/verification/test_workers.py",
    }
)
#: Tests that cost tens of seconds each and whose owners' files are busy: marked ``slow``
#: here (node-id prefixes), so the fast lane leaves them to the full suite. Figures: seconds
#: of one test on the shared 2-core machine (``pytest --fast -n 2 --durations``).
SLOW_TESTS = (
    # schemathesis over every operation, 236 cases of 2-10 s: the API contract, in full.
    "tests/security/test_schemathesis.py::",
    # walk every route with every credential (28 s, 13 s, 11 s).
    "tests/security/test_route_guards.py::test_every_guarded_route_refuses_",
    "tests/security/test_route_guards.py::test_no_caller_gets_a_server_error_",
    # 2,000 realistic labels drawn as QR symbols, twice (32 s each).
    "tests/unit/test_label_qr_size.py::test_every_label_fits_the_version_budget",
    # issue 400 labels and print the sheet (23 s).
    "tests/features/test_labels.py::test_an_inspector_issues_400_carpet_labels",
)
#: What the fast lane leaves out.
NOT_FAST = ("browser", "processes", "slow", "postgres")
#: The fast lane runs a hypothesis test on at most this many examples (the full suite runs
#: each test's own number: 100 by default, up to 1,000).
FAST_EXAMPLES = 20


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        default=False,
        help="the fast lane: SQLite only, no browser, no server processes, nothing slow",
    )


def _mark(item: pytest.Item) -> None:
    if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.browser)
    if item.path.relative_to(REPO).as_posix() in PROCESS_MODULES:
        item.add_marker(pytest.mark.processes)
    if item.nodeid.startswith(SLOW_TESTS):
        item.add_marker(pytest.mark.slow)


def _hypothesis(item: pytest.Item, *, fast: bool) -> None:
    """A hypothesis test runs without a deadline or a "too slow" health check (a busy shared
    machine must not fail a test: speed is measured in bench/, never asserted), and in the
    fast lane on at most :data:`FAST_EXAMPLES` examples. Hypothesis reads the settings that
    ``@given`` stored on the test when the test runs. (Not a loaded settings profile: on
    Python 3.11.7 loading one broke the collection of the whole suite with "AST constructor
    recursion depth mismatch".)"""
    test = getattr(item, "obj", None)
    current = getattr(test, "_hypothesis_internal_use_settings", None)
    if not isinstance(current, hypothesis_settings):
        return
    checks = {*current.suppress_health_check, HealthCheck.too_slow}
    examples = min(current.max_examples, FAST_EXAMPLES) if fast else current.max_examples
    test._hypothesis_internal_use_settings = hypothesis_settings(  # type: ignore[union-attr]
        current, deadline=None, suppress_health_check=list(checks), max_examples=examples
    )


def _fast(item: pytest.Item) -> bool:
    if any(item.get_closest_marker(name) for name in NOT_FAST):
        return False
    callspec = getattr(item, "callspec", None)
    return callspec is None or callspec.params.get("db_url", "sqlite") == "sqlite"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    fast = config.getoption("fast")
    for item in items:
        _mark(item)
        _hypothesis(item, fast=fast)
    if not fast:
        return
    keep = [item for item in items if _fast(item)]
    dropped = [item for item in items if not _fast(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
