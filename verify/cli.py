"""``khatem verify``: check a label from its URL or a photo of its QR code, online or offline.

::

    khatem verify sync --root-key VKEY [--registry URL] [--dir PATH]
    khatem verify URL [--offline] [--json]
    khatem verify IMAGE.png [--offline] [--json]

A photo may hold many labels (a sheet, a carton's tags): every QR code in it is verified, in
reading order (:func:`verify.photo.read_labels`), one line each and a count of each verdict
(a photo of one label prints its verdict in full); ``--json`` prints a list of verdicts for
any photo, an object for a URL. White space around a label's text (a scanner's Enter, a
pasted line end) is not part of it (:mod:`verify.label_text`).

``sync`` downloads the trust list and the status snapshots, verifies each with the pinned
root key and stores them (layout in :mod:`verify.offline`) with the registry's address.
The root key is pinned explicitly (``--root-key``, the vkey printed by ``khatem keys
root-vkey`` and published in the registry's official documents) and written to
``root.vkey`` in the cache directory; later syncs must match it. ``--trust-on-first-use``
pins whatever root the registry presents instead: only safe if that first connection is
not intercepted (docs/offline-verification.md).

Online, the verdict comes from the *pinned* registry only: ``--registry`` (or
``$KHATEM_VERIFY_REGISTRY``), else the one a sync saved. The label's own host is never
asked, nor followed to: a label names whatever host its maker chose, and a forger's label
names the forger's registry, which would call it AUTHENTIC. With no registry pinned the
command says so and verifies nothing (exit code 3; ``--json`` prints ``{"verdict": null,
"error": "registry_not_pinned", …}``).

Exit codes (docs/offline-verification.md): 0 AUTHENTIC, 10 AUTHENTIC_WITH_WARNINGS (genuine,
but read the warning: stale data, expired certificate), 11 SUSPENDED, 12 REVOKED,
13 INVALID, 14 UNKNOWN, 3 nothing could be verified (no cached data, no registry pinned,
unreadable image, registry unreachable or its files rejected), 2 usage error. A photo of
several labels exits with the code of the worst verdict among them (:data:`SEVERITY`:
INVALID, REVOKED, SUSPENDED, UNKNOWN, AUTHENTIC_WITH_WARNINGS), 0 only if all are AUTHENTIC.

This module is the command line; what it asks the registry (sync, an online verdict) is
:mod:`verify.registry_client`, how it prints a verdict and its exit codes
:mod:`verify.terminal`. It runs without ``labeling``: ``python -m verify`` is the same command.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final

import httpx
import typer
from typer.core import TyperGroup

from verify.label_text import scanned_label
from verify.offline import REGISTRY_FILE, OfflineDataError, OfflineSource, default_cache_dir
from verify.photo import UnreadableImage, read_labels
from verify.registry_client import SyncError, SyncResult, fetch_verdict, sync_cache
from verify.terminal import (
    EXIT_CODES,
    EXIT_NOT_VERIFIED,
    SEVERITY,
    photo_exit_code,
    render,
    render_photo,
)
from verify.verifier import verify_label

__all__ = [
    "EXIT_CODES",
    "EXIT_NOT_VERIFIED",
    "SEVERITY",
    "SyncError",
    "SyncResult",
    "UnreadableImage",
    "app",
    "main",
    "photo_exit_code",
    "read_qr",
    "sync_cache",
]

DEFAULT_REGISTRY: Final = "https://khatem.ma"
#: The environment variable that pins the registry, like ``--registry``.
REGISTRY_ENV: Final = "KHATEM_VERIFY_REGISTRY"
IMAGE_SUFFIXES: Final = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif"})


def http_client(timeout: float) -> httpx.Client:
    """The HTTP client the commands use (a seam for tests: an in-process registry)."""
    return httpx.Client(timeout=timeout, follow_redirects=True)


class _DefaultToCheck(TyperGroup):
    """``khatem verify URL`` runs the ``check`` command: anything that is not a subcommand
    name is a label to verify."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["check", *args]
        return list(super().parse_args(ctx, args))


app = typer.Typer(
    name="verify",
    cls=_DefaultToCheck,
    help="Verify a label: `khatem verify URL|IMAGE [--offline] [--json]`; "
    "`khatem verify sync --root-key VKEY` first to verify offline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir", help="Cache directory (default: $KHATEM_VERIFY_DIR or ~/.cache/khatem-verify)"
    ),
]
RegistryOption = Annotated[
    str | None,
    typer.Option(
        "--registry",
        envvar=REGISTRY_ENV,
        help="Registry base URL, e.g. https://khatem.ma (pins it; the label's own host is "
        "never asked)",
    ),
]


# ----------------------------------------------------------------------------- check


def read_qr(path: Path) -> str:
    """The text of the first QR code of a photo or scan, in reading order (zxing-cpp;
    rotation and blur tolerated); :func:`verify.photo.read_labels` gives them all."""
    return read_labels(path)[0].text


def _is_image(target: str) -> bool:
    path = Path(target)
    return path.suffix.lower() in IMAGE_SUFFIXES or (path.is_file() and "://" not in target)


def _now() -> datetime:
    return datetime.now(UTC)


def _registry_for(explicit: str | None, directory: Path) -> str | None:
    """The pinned registry: ``--registry`` (or ``$KHATEM_VERIFY_REGISTRY``), else the one
    a ``sync`` saved; ``None`` when nothing is pinned. Never the label's host: a label
    names whatever host its maker chose, and a forger's names the forger's."""
    if explicit and explicit.strip():
        return explicit.strip()
    return _saved_registry(directory)


#: What the command says when no registry is pinned.
NOT_PINNED: Final = (
    "no registry is pinned, so this label was not verified. The host printed in a label is "
    "never asked (a forged label names the forger's own registry). Pin the registry once: "
    "`khatem verify sync --root-key VKEY [--registry URL]` (then verify online, or with "
    f"--offline), or pass --registry URL (or set {REGISTRY_ENV})."
)


def _fail(message: str, *, error: str = "not_verified", as_json: bool = False) -> typer.Exit:
    """Nothing was verified: the message on stderr, and with ``--json`` an answer on
    stdout that a program can read (``verdict`` null, a stable ``error`` code)."""
    if as_json:
        answer = {
            "verdict": None,
            "error": error,
            "message": message,
            "exit_code": EXIT_NOT_VERIFIED,
        }
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(EXIT_NOT_VERIFIED)


@app.command("sync")
def sync_command(
    registry: RegistryOption = None,
    directory: DirOption = None,
    root_key: Annotated[
        str | None,
        typer.Option(
            "--root-key", help="The registry's root vkey to pin (from `khatem keys root-vkey`)"
        ),
    ] = None,
    trust_on_first_use: Annotated[
        bool,
        typer.Option(
            "--trust-on-first-use",
            help="Pin whatever root key the registry presents (risky: see the docs)",
        ),
    ] = False,
) -> None:
    """Download the trust list and status snapshots, verify them and store them."""
    target = directory or default_cache_dir()
    base = registry or _saved_registry(target) or DEFAULT_REGISTRY
    with http_client(30.0) as client:
        try:
            result = sync_cache(
                client=client,
                registry=base,
                directory=target,
                root_key=root_key,
                trust_on_first_use=trust_on_first_use,
            )
        except SyncError as exc:
            raise _fail(f"sync failed, nothing stored: {exc}") from None
    for warning in result.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    typer.echo(
        f"Synced {base} into {target}: {result.listed_labels} suspended or revoked labels, "
        f"{result.certificates} certificates; snapshots issued "
        f"{result.labels_issued_at:%Y-%m-%dT%H:%M:%SZ}."
    )


def _saved_registry(directory: Path) -> str | None:
    """The registry a successful ``sync`` saved (with the root key it pinned), if any."""
    try:
        saved = (directory / REGISTRY_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return saved or None


@app.command("check")
def check_command(
    target: Annotated[
        str, typer.Argument(help="A label URL, or a photo/scan of one or more QR codes")
    ],
    offline: Annotated[
        bool, typer.Option("--offline", help="Use the synced files only (no network)")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the verdict as JSON (a photo: a list)")
    ] = False,
    registry: RegistryOption = None,
    directory: DirOption = None,
) -> None:
    """Verify a label, or every label in a photo, and print the verdicts (the exit code
    says the worst of them)."""
    cache = directory or default_cache_dir()
    photo = _is_image(target)
    try:
        texts = [scanned_label(found.text) for found in read_labels(Path(target))] if photo else []
    except UnreadableImage as exc:
        raise _fail(str(exc), error="unreadable_image", as_json=as_json) from None
    texts = texts if photo else [scanned_label(target)]
    if offline:
        try:
            source = OfflineSource.from_directory(cache)
        except OfflineDataError as exc:
            raise _fail(str(exc), error="offline_data_unavailable", as_json=as_json) from None
        now = _now()
        verdicts = [verify_label(text, source, now=now).model_dump(mode="json") for text in texts]
    else:
        pinned = _registry_for(registry, cache)
        if pinned is None:
            raise _fail(NOT_PINNED, error="registry_not_pinned", as_json=as_json)
        with http_client(15.0) as client:
            try:
                verdicts = [fetch_verdict(text, pinned, client) for text in texts]
            except SyncError as exc:
                raise _fail(
                    f"online verification failed: {exc} (try --offline)",
                    error="online_verification_failed",
                    as_json=as_json,
                ) from None
    if not photo:
        [data] = verdicts
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render(data))
    elif as_json:
        typer.echo(json.dumps(verdicts, ensure_ascii=False, indent=2))
    elif len(verdicts) == 1:
        typer.echo(render(verdicts[0]))
    else:
        typer.echo(render_photo(Path(target).name, texts, verdicts))
    raise typer.Exit(photo_exit_code(verdicts))


def main() -> None:
    """``python -m verify``."""
    app(prog_name="khatem verify")
