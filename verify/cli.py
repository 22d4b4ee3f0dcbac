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

This module runs without ``labeling``: ``python -m verify`` is the same command.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import quote

import httpx
import typer
from typer.core import TyperGroup

from verify.label_text import scanned_label
from verify.offline import (
    CACHE_FILES,
    PIN_FILE,
    REGISTRY_FILE,
    OfflineDataError,
    OfflineSource,
    default_cache_dir,
    parse_root_key,
)
from verify.photo import UnreadableImage, read_labels
from verify.snapshot import (
    SnapshotError,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)
from verify.trust_list import TrustListError, TrustListStale, verify_trust_list
from verify.verdict import Overall
from verify.verifier import verify_label

__all__ = [
    "EXIT_CODES",
    "SEVERITY",
    "SyncResult",
    "UnreadableImage",
    "app",
    "main",
    "photo_exit_code",
    "read_qr",
    "sync_cache",
]

#: Exit code per verdict.
EXIT_CODES: Final[dict[str, int]] = {
    Overall.AUTHENTIC.value: 0,
    Overall.AUTHENTIC_WITH_WARNINGS.value: 10,
    Overall.SUSPENDED.value: 11,
    Overall.REVOKED.value: 12,
    Overall.INVALID.value: 13,
    Overall.UNKNOWN.value: 14,
    Overall.SUSPICIOUS.value: 15,
}
#: The verdicts from the worst to the best: a photo of several labels exits with the code
#: of the worst verdict among them (0 only when every label is AUTHENTIC).
SEVERITY: Final = (
    Overall.INVALID.value,
    Overall.REVOKED.value,
    Overall.SUSPENDED.value,
    Overall.SUSPICIOUS.value,
    Overall.UNKNOWN.value,
    Overall.AUTHENTIC_WITH_WARNINGS.value,
    Overall.AUTHENTIC.value,
)
#: Nothing could be verified (setup, network, unreadable input).
EXIT_NOT_VERIFIED: Final = 3
DEFAULT_REGISTRY: Final = "https://khatem.ma"
#: The environment variable that pins the registry, like ``--registry``.
REGISTRY_ENV: Final = "KHATEM_VERIFY_REGISTRY"
#: Redirects followed within the pinned registry (never to another host).
MAX_REDIRECTS: Final = 5
IMAGE_SUFFIXES: Final = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif"})
#: Downloads larger than this are refused (the verifiers' own limit is 64 MiB).
MAX_DOWNLOAD: Final = 64 << 20
#: A verdict is a few kilobytes; a longer answer is abandoned.
MAX_VERDICT: Final = 1 << 20


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


# ------------------------------------------------------------------------------- sync


class SyncError(Exception):
    """The registry's files could not be fetched, or did not verify; nothing was stored."""


@dataclass(frozen=True, slots=True)
class SyncResult:
    directory: Path
    registry: str
    trust_list_issued_at: datetime
    labels_issued_at: datetime
    certificates_issued_at: datetime
    listed_labels: int
    certificates: int
    pinned_now: bool
    warnings: tuple[str, ...]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fetch(client: httpx.Client, registry: str, path: str) -> bytes:
    """The file at ``path``, read as a stream and abandoned past :data:`MAX_DOWNLOAD`
    (decoded bytes: a gzip bomb stops there too), never held whole before the check."""
    status, body = _get(client, registry, registry.rstrip("/") + path, limit=MAX_DOWNLOAD)
    if status != 200:
        raise SyncError(f"{path}: the registry answered {status}")
    return body


def _get(
    client: httpx.Client, registry: str, url: str, *, limit: int, pinned: bool = False
) -> tuple[int, bytes]:
    """Status and body of a GET asking for JSON; the body is read as a stream and
    abandoned past ``limit`` decoded bytes (a 200's body only: errors are not read).

    ``pinned``: the answer is believed as it is (a verdict, not a signed file), so only
    the pinned registry may give it: ``url`` must be on the registry's origin, and so must
    every redirect, which is checked *before* it is followed (:class:`SyncError`)."""
    try:
        origin, target = httpx.URL(registry), httpx.URL(url)
        for redirects in range(MAX_REDIRECTS + 1):
            if pinned and not _same_origin(target, origin):
                how = "redirected to" if redirects else "asked to contact"
                raise SyncError(
                    f"{how} {target.scheme}://{target.host}, which is not the pinned "
                    f"registry {registry}: refused"
                )
            with client.stream(
                "GET",
                str(target),  # a str: a client built on another httpx (TestClient) takes no URL
                headers={"Accept": "application/json"},
                follow_redirects=not pinned,
            ) as response:
                if pinned and response.is_redirect:
                    target = target.join(response.headers["location"])
                    continue
                return _read(response, url, limit)
        raise SyncError(f"{registry} redirected more than {MAX_REDIRECTS} times")
    except httpx.InvalidURL:
        raise SyncError(f"not a usable URL: {url[:80]!r}") from None
    except httpx.HTTPError as exc:
        raise SyncError(f"cannot reach {registry}: {exc.__class__.__name__}") from None


def _same_origin(url: httpx.URL, registry: httpx.URL) -> bool:
    """Whether ``url`` is on the registry's origin (an upgrade from http to https too)."""
    if url.host != registry.host or url.port != registry.port:
        return False
    return url.scheme == registry.scheme or (url.scheme, registry.scheme) == ("https", "http")


def _read(response: httpx.Response, url: str, limit: int) -> tuple[int, bytes]:
    """A 200's body, read as a stream and abandoned past ``limit`` decoded bytes."""
    if response.status_code != 200:
        return response.status_code, b""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise SyncError(f"{url.split('?')[0]}: larger than {limit} bytes")
        chunks.append(chunk)
    return 200, b"".join(chunks)


def _previous(directory: Path, name: str, verify: Any, root: bytes) -> datetime | None:
    """The issue time of the cached copy, if there is one that verifies (rollback guard)."""
    try:
        raw = (directory / name).read_bytes()
        return verify(raw, root).issued_at  # type: ignore[no-any-return]
    except (OSError, TrustListError, SnapshotError):
        return None


def sync_cache(
    *,
    client: httpx.Client,
    registry: str,
    directory: Path,
    root_key: str | None = None,
    trust_on_first_use: bool = False,
    now: datetime | None = None,
) -> SyncResult:
    """Download, verify and store the trust list and both snapshots.

    The root key is ``root_key`` (a vkey) or the one pinned in ``directory``; they must
    agree. Every file is verified before any is stored, and none may be older than the
    copy already cached (rollback). Raises :class:`SyncError`.
    """
    now = now or datetime.now(UTC)
    pin_path = directory / PIN_FILE
    pinned = pin_path.read_text(encoding="ascii").strip() if pin_path.is_file() else None
    warnings: list[str] = []
    # 1. The root of trust: explicit, or already pinned, or (opt-in) first use.
    try:
        if root_key is not None:
            root, vkey = parse_root_key(root_key)
            if pinned is not None and parse_root_key(pinned)[0] != root:
                raise SyncError(
                    f"{pin_path} pins a different root key; remove it deliberately to re-pin"
                )
        elif pinned is not None:
            root, vkey = parse_root_key(pinned)
        elif trust_on_first_use:
            root, vkey = _first_use_root(client, registry)
            warnings.append(
                "trust on first use: pinned the root key this registry presented "
                f"({vkey}); compare it with the registry's published vkey"
            )
        else:
            raise SyncError(
                "no root key pinned: pass --root-key VKEY (from `khatem keys root-vkey` or the "
                "registry's published documents)"
            )
    except OfflineDataError as exc:
        raise SyncError(str(exc)) from None
    # 2. Fetch and verify all three before storing anything.
    files = {path: _fetch(client, registry, path) for path in CACHE_FILES}
    trust_raw = files["/.well-known/khatem/trust-list.json"]
    labels_raw = files["/.well-known/khatem/status/labels.json"]
    certificates_raw = files["/.well-known/khatem/status/certificates.json"]
    previous_trust = _previous(
        directory,
        CACHE_FILES["/.well-known/khatem/trust-list.json"],
        lambda raw, key: verify_trust_list(raw, root_public_key=key),
        root,
    )
    try:
        try:
            trust_list = verify_trust_list(
                trust_raw, root_public_key=root, now=now, previous_issued_at=previous_trust
            )
        except TrustListStale as stale:
            trust_list = stale.trust_list
            warnings.append(f"the registry served a stale trust list: {stale}")
        labels = verify_label_status_snapshot(labels_raw, root_public_key=root)
        certificates = verify_certificate_snapshot(certificates_raw, root_public_key=root)
    except (TrustListError, SnapshotError) as exc:
        raise SyncError(f"the registry's files were rejected: {exc}") from None
    for path, issued_at, verify in (
        (
            "/.well-known/khatem/status/labels.json",
            labels.issued_at,
            lambda raw, key: verify_label_status_snapshot(raw, root_public_key=key),
        ),
        (
            "/.well-known/khatem/status/certificates.json",
            certificates.issued_at,
            lambda raw, key: verify_certificate_snapshot(raw, root_public_key=key),
        ),
    ):
        previous = _previous(directory, CACHE_FILES[path], verify, root)
        if previous is not None and issued_at < previous:
            raise SyncError(f"{path} is older than the cached copy (rollback refused)")
    # 3. Store: the files, then the pin and the registry's address.
    for path, raw in files.items():
        _atomic_write(directory / CACHE_FILES[path], raw)
    if pinned is None:
        _atomic_write(pin_path, (vkey + "\n").encode("ascii"))
    _atomic_write(directory / REGISTRY_FILE, (registry.rstrip("/") + "\n").encode("utf-8"))
    return SyncResult(
        directory=directory,
        registry=registry,
        trust_list_issued_at=trust_list.issued_at,
        labels_issued_at=labels.issued_at,
        certificates_issued_at=certificates.issued_at,
        listed_labels=len(labels.listed),
        certificates=len(certificates.certificates),
        pinned_now=pinned is None,
        warnings=tuple(warnings),
    )


def _first_use_root(client: httpx.Client, registry: str) -> tuple[bytes, str]:
    raw = _fetch(client, registry, "/.well-known/khatem/trust-list.json")
    try:
        document = json.loads(raw)
        vkey = document["log"]["vkey"]
        root, vkey = parse_root_key(str(vkey))
        verify_trust_list(raw, root_public_key=root)  # at least self-consistent
    except (ValueError, KeyError, TypeError, TrustListError, OfflineDataError) as exc:
        raise SyncError(f"the registry's trust list names no usable root key: {exc}") from None
    return root, vkey


# ------------------------------------------------------------------------------ check


def read_qr(path: Path) -> str:
    """The text of the first QR code of a photo or scan, in reading order (zxing-cpp;
    rotation and blur tolerated); :func:`verify.photo.read_labels` gives them all."""
    return read_labels(path)[0].text


def _is_image(target: str) -> bool:
    path = Path(target)
    return path.suffix.lower() in IMAGE_SUFFIXES or (path.is_file() and "://" not in target)


def _now() -> datetime:
    return datetime.now(UTC)


def _online(uri: str, registry: str, client: httpx.Client) -> dict[str, Any]:
    """The pinned registry's verdict: ``/api/v1/verify``, or else the label's path and
    query on the registry's host, asked for JSON. Nothing else is contacted: not the
    label's host, not a redirect off the registry's origin."""
    base = registry.rstrip("/")
    url = base + "/api/v1/verify?label=" + quote(uri, safe="")
    status, body = _get(client, registry, url, limit=MAX_VERDICT, pinned=True)
    if status == 404:
        path = uri.split("://", 1)[-1].partition("/")[2]
        status, body = _get(client, registry, f"{base}/{path}", limit=MAX_VERDICT, pinned=True)
    if status != 200:
        raise SyncError(f"the registry answered {status}")
    try:
        data = json.loads(body)
    except ValueError:
        raise SyncError("the registry's answer is not JSON") from None
    if not isinstance(data, dict) or data.get("verdict") not in EXIT_CODES:
        raise SyncError("the registry's answer is not a verdict")
    return data


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


_MEANING: Final[dict[str, str]] = {
    "AUTHENTIC": "Genuine Khatem label; every check passed.",
    "AUTHENTIC_WITH_WARNINGS": "Genuine Khatem label, but read the warnings below.",
    "SUSPENDED": "The label or its certificate is suspended.",
    "REVOKED": "The label is revoked or its certificate withdrawn.",
    "INVALID": "Not a genuine Khatem label.",
    "UNKNOWN": "Cannot be decided with the data at hand.",
}


def render(data: dict[str, Any]) -> str:
    """A verdict (as JSON-ready data) for a person reading a terminal."""
    lines = [f"{data['verdict']}  ({data.get('mode', '?')})  {_MEANING.get(data['verdict'], '')}"]
    label = data.get("label")
    if label:
        lines.append(
            f"  label        GTIN {label['gtin']}  serial {label['serial']}  "
            f"issued {label['issued_at']}  key {label['kid']}"
        )
    certificate = data.get("certificate")
    if certificate:
        artisan = certificate["artisan"]
        scheme = certificate["conformity"]["scheme"]
        level = f" level {scheme['level']}" if scheme.get("level") is not None else ""
        lines.append(
            f"  certificate  {certificate['code']} {certificate['status']}  "
            f"{scheme['name']}{level}  valid {certificate['valid_from']} .. "
            f"{certificate['valid_until']}"
        )
        lines.append(
            f"  artisan      {artisan['display_name_latin']} / {artisan['display_name_arabic']}"
            f"  {artisan['region']['name']}  {artisan['craft']}"
        )
    for check in data.get("checks", []):
        mark = {"passed": "ok", "failed": "FAIL", "warning": "WARN"}.get(check["outcome"], "--")
        detail = check.get("detail")
        extra = ""
        if detail and check["outcome"] in ("failed", "warning"):
            extra = "  " + ", ".join(f"{k}={v}" for k, v in detail.items())
        lines.append(f"  [{mark:>4}] {check['name']:<21} {check['reason']}{extra}")
    if data.get("data_as_of"):
        lines.append(f"  data as of   {data['data_as_of']}")
    return "\n".join(lines)


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
                verdicts = [_online(text, pinned, client) for text in texts]
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


def photo_exit_code(verdicts: list[dict[str, Any]]) -> int:
    """The exit code of the worst verdict (:data:`SEVERITY`): 0 when all are AUTHENTIC."""
    found = {data["verdict"] for data in verdicts}
    worst = next(verdict for verdict in SEVERITY if verdict in found)
    return EXIT_CODES[worst]


def render_photo(name: str, texts: list[str], verdicts: list[dict[str, Any]]) -> str:
    """One line per label of a photo, in reading order, then how many of each verdict."""
    width = len(str(len(verdicts)))
    lines = []
    for number, (text, data) in enumerate(zip(texts, verdicts, strict=True), start=1):
        label = data.get("label")
        what = f"GTIN {label['gtin']}  serial {label['serial']}" if label else _shorten(text)
        reasons = ", ".join(data.get("reasons", ()))
        lines.append(f"{number:>{width}}. {data['verdict']:<23} {what}  {reasons}".rstrip())
    counts = Counter(data["verdict"] for data in verdicts)
    summary = ", ".join(
        f"{counts[verdict]} {verdict}" for verdict in reversed(SEVERITY) if counts[verdict]
    )
    lines.append(f"{len(verdicts)} labels in {name}: {summary}")
    return "\n".join(lines)


def _shorten(text: str, limit: int = 60) -> str:
    """A QR code's text that is not a label, quoted and cut to fit one line."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def main() -> None:
    """``python -m verify``."""
    app(prog_name="khatem verify")
