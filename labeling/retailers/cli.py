"""``khatem retailers …``: how the registry's operators open and close retailer accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from core.db import migrate, new_session
from core.problems import Problem
from core.settings import get_settings

retailers_app = typer.Typer(
    help="Retailer organisations (department stores, importers) and their API keys.",
    no_args_is_help=True,
)


def _fail(problem: Problem) -> typer.Exit:
    typer.secho(problem.detail or problem.instance_title, fg=typer.colors.RED, err=True)
    return typer.Exit(2)


@retailers_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="The organisation's name, e.g. 'Galeries Lafayette'")],
    country: Annotated[str, typer.Option(help="Its ISO 3166-1 alpha-2 country, e.g. FR")],
    key_name: Annotated[str, typer.Option(help="A name for its first API key")] = "first key",
    key_days: Annotated[int, typer.Option(min=1, max=3650, help="Days the key lasts")] = 365,
) -> None:
    """Open a retailer's account and print its first API key (shown this once)."""
    from labeling.retailers.service import create_retailer

    settings = get_settings()
    migrate(settings.resolved_database_url)
    with new_session(settings.resolved_database_url) as session:
        try:
            retailer, issued = create_retailer(
                session=session,
                name=name,
                country=country,
                key_name=key_name,
                key_ttl_days=key_days,
            )
        except Problem as problem:
            raise _fail(problem) from None
    typer.echo(f"Retailer {retailer.code} ({retailer.name}, {retailer.country}) created.")
    typer.echo(f"API key (shown once, until {issued.expires_at:%Y-%m-%d}): {issued.access_token}")


@retailers_app.command("key")
def key(
    code: Annotated[str, typer.Option(help="The retailer's code, e.g. R-1QQQQ6K6")],
    name: Annotated[str, typer.Option(help="A name for the key")],
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days the key lasts")] = 365,
) -> None:
    """Issue another API key to a retailer (e.g. when it lost every key it had)."""
    from labeling.retailers.service import issue_key

    settings = get_settings()
    with new_session(settings.resolved_database_url) as session:
        try:
            issued = issue_key(session=session, code=code, name=name, ttl_days=days)
        except Problem as problem:
            raise _fail(problem) from None
    typer.echo(f"API key (shown once, until {issued.expires_at:%Y-%m-%d}): {issued.access_token}")


@retailers_app.command("disable")
def disable(code: Annotated[str, typer.Option(help="The retailer's code")]) -> None:
    """Close a retailer's account: every key stops working; its receipts are kept."""
    from labeling.retailers.service import disable_retailer

    settings = get_settings()
    with new_session(settings.resolved_database_url) as session:
        try:
            retailer = disable_retailer(session=session, code=code)
        except Problem as problem:
            raise _fail(problem) from None
    typer.echo(f"Retailer {retailer.code} disabled.")
