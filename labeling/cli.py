"""The ``khatem`` command line: serve, migrate, create admins, load the catalogue and demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from core.db import migrate, new_session
from core.private_files import create_private_dir
from core.settings import get_settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from labeling.catalog.loader import CatalogSummary

app = typer.Typer(
    name="khatem",
    help="Khatem — the registry behind 'Made in Morocco' handicraft labels.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold passphrases or tokens
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
admin_app = typer.Typer(help="Certification-body administrators.", no_args_is_help=True)
catalog_app = typer.Typer(help="Label schemes and standards.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
app.add_typer(catalog_app, name="catalog")


def _mount_key_and_log_commands() -> None:
    from labeling.cli_keys import keys_app, log_app

    app.add_typer(keys_app, name="keys")
    app.add_typer(log_app, name="log")


_mount_key_and_log_commands()


def _mount_label_commands() -> None:
    from labeling.cli_labels import labels_app

    app.add_typer(labels_app, name="labels")


_mount_label_commands()


def _mount_retailer_commands() -> None:
    from labeling.retailers.cli import retailers_app

    app.add_typer(retailers_app, name="retailers")


_mount_retailer_commands()


def _mount_report_commands() -> None:
    from labeling.reports.cli import reports_app

    app.add_typer(reports_app, name="reports")


_mount_report_commands()


def _mount_verify_commands() -> None:
    from verify.cli import app as verify_app

    app.add_typer(verify_app, name="verify")


_mount_verify_commands()

#: ``--seed``: a seed file other than ``KHATEM_SEED_PATH`` or the catalogue shipped with Khatem.
SeedOption = Annotated[
    Path | None,
    typer.Option(
        help="A domain seed JSON to load instead of the catalogue shipped with Khatem "
        "(default: KHATEM_SEED_PATH if set)"
    ),
]


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Create or upgrade the schema to the latest migration."""
    settings = get_settings()
    migrate(settings.resolved_database_url, revision)
    typer.echo(f"Schema at {revision} on {_redacted(settings.resolved_database_url)}")


@catalog_app.command("load")
def catalog_load(
    seed: SeedOption = None,
) -> None:
    """Load regions, chambres, crafts, label schemes and standards from the seed file."""
    settings = get_settings()
    migrate(settings.resolved_database_url)
    with new_session(settings.resolved_database_url) as session:
        summary = _load_catalog(session, seed)
    typer.echo(summary.describe())


def _load_catalog(session: Session, seed: Path | None) -> CatalogSummary:
    """Load the catalogue, or stop with a one-line error naming the seed that failed."""
    from labeling.catalog.loader import load_catalog
    from labeling.catalog.seed import SeedNotFound, seed_description

    try:
        return load_catalog(session=session, seed_path=seed)
    except SeedNotFound as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
    except (ValueError, KeyError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
        typer.secho(
            f"The seed in {seed_description(seed)} is not a Khatem catalogue: "
            f"{exc.__class__.__name__}: {exc}",
            fg=typer.colors.RED,
            err=True,
        )
    raise typer.Exit(2)


@admin_app.command("create")
def admin_create(
    email: Annotated[str, typer.Option(prompt=True)],
    body_code: Annotated[str, typer.Option(help="Code of the body, e.g. CHAMBRE-MA-07")],
    display_name: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create the administrator account of a certification body or chambre."""
    from labeling.registry.service import create_body_admin

    settings = get_settings()
    migrate(settings.resolved_database_url)
    with new_session(settings.resolved_database_url) as session:
        user = create_body_admin(
            session=session,
            email=email,
            password=password,
            display_name=display_name,
            body_code=body_code,
        )
    typer.echo(f"Admin {user.email} created for {body_code}.")


@app.command("demo")
def demo(
    seed: SeedOption = None,
) -> None:
    """Load a realistic demo registry (chambres, inspectors, artisans, audits, certificates)."""
    _load_demo(seed)


def _load_demo(seed: Path | None) -> None:
    from labeling.demo import load_demo

    settings = get_settings()
    migrate(settings.resolved_database_url)
    with new_session(settings.resolved_database_url) as session:
        _load_catalog(session, seed)
        summary = load_demo(session=session, settings=settings)
    typer.echo(summary)


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    demo_data: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Load the demo registry first")
    ] = False,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes", min=1)] = 1,
) -> None:
    """Run the registry's web server (migrating the database first).

    ``--host``/``--port`` are the server's settings (``KHATEM_BIND_HOST``/``_PORT``) for the
    app it serves, so that an unset ``KHATEM_PUBLIC_BASE_URL`` is the address it answers on.
    """
    import uvicorn

    # The app is built by uvicorn (in each worker) from the environment: pass it on there.
    if host:
        os.environ["KHATEM_BIND_HOST"] = host
    if port:
        os.environ["KHATEM_BIND_PORT"] = str(port)
    # Every worker process reads its settings from the environment: each keeps its share of
    # the per-client rate limits (core.rate_limit.rate_limiters).
    os.environ["KHATEM_WORKER_PROCESSES"] = str(workers)
    get_settings.cache_clear()
    settings = get_settings()
    create_private_dir(settings.data_dir)
    migrate(settings.resolved_database_url)
    if demo_data:
        _load_demo(None)
    from labeling.startup import StartupRefused, prepare_registry

    try:
        warnings = prepare_registry(settings)
    except StartupRefused as exc:
        typer.secho(f"Refusing to start: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    for line in warnings:
        typer.secho(line, fg=typer.colors.YELLOW, err=True, bold=True)
    base = settings.public_base_url.rstrip("/")
    typer.secho(
        f"\n  Khatem is running: open {base}/  (API docs: {base}/docs)\n",
        fg=typer.colors.GREEN,
        bold=True,
    )
    from core.http_server import http_protocol

    uvicorn.run(
        "main:create_app",
        factory=True,
        host=settings.bind_host,
        port=settings.bind_port,
        workers=workers,
        log_level="info",
        access_log=False,
        http=http_protocol(),  # a request uvicorn cannot read is a problem+json 400 too
    )


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
