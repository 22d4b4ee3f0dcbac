"""``khatem labels …``: issue a batch from the shell with a progress bar, print its sheet.

Mounted in :mod:`labeling.cli` as ``app.add_typer(labels_app, name="labels")``. The
command acts for a registry account (``--as``, an inspector or a body admin), under the
same rules as the API: the certificate must be in force and in the account's body, an
inspector must be authorised for its scheme. Exit codes: 0 done, 1 refused or failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from core.auth import Principal
from core.db import migrate, new_session
from core.problems import Problem
from core.settings import Settings, get_settings
from schemas.types import Role

__all__ = ["labels_app"]

labels_app = typer.Typer(help="Labels: issue a batch, print its PDF sheet.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _settings() -> Settings:
    settings = get_settings()
    migrate(settings.resolved_database_url)
    return settings


def _principal(settings: Settings, email: str) -> Principal:
    from labeling.accounts.repository import get_user_by_email

    with new_session(settings.resolved_database_url) as session:
        user = get_user_by_email(session=session, email=email.strip().lower())
        if user is None or user.id is None or not user.is_active:
            _fail(f"No active account {email}.")
        if user.role not in (Role.INSPECTOR.value, Role.ADMIN.value):
            _fail(f"{email} is not an inspector or a body admin: it cannot issue labels.")
        principal = Principal(
            user_id=user.id,
            role=Role(user.role),
            body_id=user.body_id,
            artisan_id=user.artisan_id,
            token_id=0,
        )
        session.rollback()
    return principal


def _certificate_id(settings: Settings, certificate: str) -> int:
    """A certificate id, or its printed code (``C-1D1FG6Y``)."""
    if certificate.isdigit():
        return int(certificate)
    from sqlmodel import select

    from schemas.certificates import Certificate
    from verify.label_codec import LabelFormatError, parse_certificate_code

    try:
        code = parse_certificate_code(certificate)
    except (LabelFormatError, ValueError):
        _fail(f"{certificate!r} is neither a certificate id nor a certificate code.")
    with new_session(settings.resolved_database_url) as session:
        found = session.exec(select(Certificate.id).where(Certificate.code == code)).first()
        session.rollback()
    if found is None:
        _fail(f"No certificate {certificate}.")
    return int(found)


@labels_app.command("issue")
def labels_issue(
    certificate: Annotated[str, typer.Option(help="Certificate id or code (C-…)")],
    product_line: Annotated[int, typer.Option(help="Product line id (in the certificate's scope)")],
    quantity: Annotated[int, typer.Option(min=1, help="Labels to issue (1 … 100,000)")],
    acting_as: Annotated[
        str, typer.Option("--as", help="Email of the inspector or body admin issuing")
    ],
    idempotency_key: Annotated[
        str | None,
        typer.Option(help="Makes a retry safe: the same key returns the batch made before"),
    ] = None,
) -> None:
    """Issue a batch of signed labels now, with a progress bar."""
    from labeling.labels import jobs, service
    from labeling.labels.issuing_key import open_label_signer
    from schemas.labels_api import LabelBatchCreate

    settings = _settings()
    principal = _principal(settings, acting_as)
    try:
        request = LabelBatchCreate(
            certificate_id=_certificate_id(settings, certificate),
            product_line_id=product_line,
            quantity=quantity,
        )
        with new_session(settings.resolved_database_url) as session:
            signer = open_label_signer(session, settings)
            outcome = service.queue_batch(
                session=session,
                principal=principal,
                signer=signer,
                request=request,
                idempotency_key=idempotency_key,
                settings=settings,
            )
    except Problem as problem:
        _fail(f"Refused ({problem.instance_slug}): {problem.detail or problem.instance_title}")
    batch = outcome.batch
    if outcome.replayed and not outcome.queued:
        typer.echo(f"Batch {batch.id} was already made with this key: {batch.status}.")
        _report(settings, batch.id)
        return
    with Progress(
        TextColumn("[bold]Batch {task.fields[batch]}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    ) as progress:
        task = progress.add_task("signing", total=batch.quantity, batch=batch.id)

        def signed(count: int) -> None:
            progress.update(task, completed=count)

        status = jobs.run_batch(settings, batch.id, signer, on_progress=signed)
        progress.update(task, description="stored" if status == "completed" else str(status))
    _report(settings, batch.id)


def _report(settings: Settings, batch_id: int) -> None:
    from labeling.labels.reading import batch_public
    from labeling.labels.repository import get_batch

    with new_session(settings.resolved_database_url) as session:
        found = get_batch(session=session, batch_id=batch_id)
        assert found is not None
        batch = batch_public(found)
        session.rollback()
    if batch.status != "completed":
        _fail(
            f"Batch {batch_id} is {batch.status}"
            + (f" ({batch.failure}): nothing was issued." if batch.failure else ".")
        )
    typer.echo(
        f"Batch {batch_id}: {batch.issued_count} labels issued for GTIN {batch.gtin}, "
        f"signed by key {batch.kid}, logged from leaf {batch.first_log_index}."
    )


@labels_app.command("sheet")
def labels_sheet(
    batch_id: Annotated[int, typer.Argument(help="A completed batch")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write")],
    error: Annotated[
        str, typer.Option(help="QR error correction: m, or q for rough surfaces")
    ] = "m",
    first: Annotated[
        int, typer.Option(min=1, help="Print from the batch's N-th label (1 = the first)")
    ] = 1,
    count: Annotated[
        int, typer.Option(min=1, max=10_000, help="How many labels (a sheet holds 10,000)")
    ] = 10_000,
) -> None:
    """Write the print-ready A4 PDF sheet of a batch (crop marks, one label per slot).

    A sheet holds at most 10,000 labels: print a larger batch in parts with ``--first``
    (``--first 1``, ``--first 10001``, …).
    """
    from labeling.artwork import LabelArtworkError
    from labeling.labels.printing import batch_sheet_pdf

    if error not in ("m", "q"):
        _fail("--error is m or q.")
    settings = _settings()
    try:
        with new_session(settings.resolved_database_url) as session:
            pdf = batch_sheet_pdf(
                session=session,
                batch_id=batch_id,
                label_host=settings.label_host,
                error=error,
                offset=first - 1,
                limit=count,
            )
            session.rollback()
    except Problem as problem:
        _fail(f"Refused ({problem.instance_slug}): {problem.instance_title}")
    except LabelArtworkError as exc:
        _fail(f"Cannot print batch {batch_id}: {exc}")
    output.write_bytes(pdf)
    typer.echo(f"Wrote {output} ({len(pdf):,} bytes).")
