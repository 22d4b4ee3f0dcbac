"""What the verifier asks the pinned registry: its signed files (``khatem verify sync``) and,
online, a verdict.

:func:`sync_cache` downloads the trust list and both status snapshots, verifies each with the
pinned root key and stores them (layout in :mod:`verify.offline`) with the registry's address;
nothing is stored unless all three verify, and none may be older than the cached copy.
:func:`fetch_verdict` asks ``/api/v1/verify``. Every request goes to the pinned registry's
origin only (redirects included: each is checked before it is followed) and every body is read
as a stream and abandoned past a size limit. Raises :class:`SyncError`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import httpx

from verify.offline import (
    CACHE_FILES,
    PIN_FILE,
    REGISTRY_FILE,
    OfflineDataError,
    parse_root_key,
)
from verify.snapshot import (
    CertificateSnapshot,
    LabelStatusSnapshot,
    SnapshotError,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)
from verify.trust_list import TrustList, TrustListError, TrustListStale, verify_trust_list
from verify.verdict import Overall

__all__ = [
    "MAX_DOWNLOAD",
    "MAX_REDIRECTS",
    "MAX_VERDICT",
    "SyncError",
    "SyncResult",
    "fetch_verdict",
    "sync_cache",
]

#: Redirects followed within the pinned registry (never to another host).
MAX_REDIRECTS: Final = 5
#: Downloads larger than this are refused (the verifiers' own limit is 64 MiB).
MAX_DOWNLOAD: Final = 64 << 20
#: A verdict is a few kilobytes; a longer answer is abandoned.
MAX_VERDICT: Final = 1 << 20
_TRUST_LIST: Final = "/.well-known/khatem/trust-list.json"
_LABELS: Final = "/.well-known/khatem/status/labels.json"
_CERTIFICATES: Final = "/.well-known/khatem/status/certificates.json"
_VERDICTS: Final = frozenset(verdict.value for verdict in Overall)


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


def _previous(
    directory: Path, path: str, verify: Callable[[bytes, bytes], Any], root: bytes
) -> datetime | None:
    """The issue time of the cached copy of the file published at ``path``, if there is one
    that verifies (rollback guard)."""
    try:
        raw = (directory / CACHE_FILES[path]).read_bytes()
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
    pin_path = directory / PIN_FILE
    pinned = pin_path.read_text(encoding="ascii").strip() if pin_path.is_file() else None
    warnings: list[str] = []
    # 1. The root of trust: explicit, or already pinned, or (opt-in) first use.
    root, vkey = _root_of_trust(
        client, registry, pin_path, pinned, root_key, trust_on_first_use, warnings
    )
    # 2. Fetch and verify all three before storing anything.
    files = {path: _fetch(client, registry, path) for path in CACHE_FILES}
    trust_list, labels, certificates = _verify_files(
        files, directory, root, now or datetime.now(UTC), warnings
    )
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


def _root_of_trust(
    client: httpx.Client,
    registry: str,
    pin_path: Path,
    pinned: str | None,
    root_key: str | None,
    trust_on_first_use: bool,
    warnings: list[str],
) -> tuple[bytes, str]:
    """The raw root key and its vkey: ``root_key`` (which must agree with the pin), else the
    pinned one, else (opt-in, with a warning) the one the registry presents."""
    try:
        if root_key is not None:
            root, vkey = parse_root_key(root_key)
            if pinned is not None and parse_root_key(pinned)[0] != root:
                raise SyncError(
                    f"{pin_path} pins a different root key; remove it deliberately to re-pin"
                )
            return root, vkey
        if pinned is not None:
            return parse_root_key(pinned)
        if trust_on_first_use:
            root, vkey = _first_use_root(client, registry)
            warnings.append(
                "trust on first use: pinned the root key this registry presented "
                f"({vkey}); compare it with the registry's published vkey"
            )
            return root, vkey
    except OfflineDataError as exc:
        raise SyncError(str(exc)) from None
    raise SyncError(
        "no root key pinned: pass --root-key VKEY (from `khatem keys root-vkey` or the "
        "registry's published documents)"
    )


def _verify_files(
    files: dict[str, bytes], directory: Path, root: bytes, now: datetime, warnings: list[str]
) -> tuple[TrustList, LabelStatusSnapshot, CertificateSnapshot]:
    """The three downloaded files, verified with ``root``, none older than the cached copy."""
    previous_trust = _previous(
        directory, _TRUST_LIST, lambda raw, key: verify_trust_list(raw, root_public_key=key), root
    )
    try:
        try:
            trust_list = verify_trust_list(
                files[_TRUST_LIST], root_public_key=root, now=now, previous_issued_at=previous_trust
            )
        except TrustListStale as stale:
            trust_list = stale.trust_list
            warnings.append(f"the registry served a stale trust list: {stale}")
        labels = verify_label_status_snapshot(files[_LABELS], root_public_key=root)
        certificates = verify_certificate_snapshot(files[_CERTIFICATES], root_public_key=root)
    except (TrustListError, SnapshotError) as exc:
        raise SyncError(f"the registry's files were rejected: {exc}") from None
    for path, issued_at, verify in (
        (
            _LABELS,
            labels.issued_at,
            lambda raw, key: verify_label_status_snapshot(raw, root_public_key=key),
        ),
        (
            _CERTIFICATES,
            certificates.issued_at,
            lambda raw, key: verify_certificate_snapshot(raw, root_public_key=key),
        ),
    ):
        previous = _previous(directory, path, verify, root)
        if previous is not None and issued_at < previous:
            raise SyncError(f"{path} is older than the cached copy (rollback refused)")
    return trust_list, labels, certificates


def _first_use_root(client: httpx.Client, registry: str) -> tuple[bytes, str]:
    raw = _fetch(client, registry, _TRUST_LIST)
    try:
        document = json.loads(raw)
        vkey = document["log"]["vkey"]
        root, vkey = parse_root_key(str(vkey))
        verify_trust_list(raw, root_public_key=root)  # at least self-consistent
    except (ValueError, KeyError, TypeError, TrustListError, OfflineDataError) as exc:
        raise SyncError(f"the registry's trust list names no usable root key: {exc}") from None
    return root, vkey


def fetch_verdict(uri: str, registry: str, client: httpx.Client) -> dict[str, Any]:
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
    if not isinstance(data, dict) or data.get("verdict") not in _VERDICTS:
        raise SyncError("the registry's answer is not a verdict")
    return data
