"""``khatem reports purge``: erase the personal data of closed cases past their retention."""

from __future__ import annotations

import typer

from core.db import migrate, new_session
from core.settings import get_settings

reports_app = typer.Typer(help="Buyers' reports of suspected fakes.", no_args_is_help=True)


@reports_app.command("purge")
def purge() -> None:
    """Erase contact, photo and description of the reports of cases closed more than
    KHATEM_REPORT_RETENTION_DAYS ago (run it daily, e.g. from cron or a systemd timer)."""
    from labeling.reports.service import purge_personal_data

    settings = get_settings()
    migrate(settings.resolved_database_url)
    with new_session(settings.resolved_database_url) as session:
        count = purge_personal_data(session=session, settings=settings)
    typer.echo(
        f"{count} closed case(s) purged of personal data "
        f"(closed more than {settings.report_retention_days} days ago)."
    )
