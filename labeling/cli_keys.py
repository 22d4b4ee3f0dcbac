"""``khatem keys …`` and ``khatem log …``: key custody and the transparency log from the shell.

Mounted in :mod:`labeling.cli` as ``app.add_typer(keys_app, name="keys")`` and
``app.add_typer(log_app, name="log")``. Exit codes: 0 done, 1 refused or failed (the
message says why), 2 (``log audit`` only) the monitored registry misbehaved.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from core.db import migrate, new_session
from core.settings import Settings, get_settings

if TYPE_CHECKING:
    from labeling.keyrecords.service import Compromise

__all__ = ["keys_app", "log_app"]

keys_app = typer.Typer(help="Signing keys: list, generate, rotate, mark compromised.")
log_app = typer.Typer(help="Transparency log: checkpoints, local verification, monitoring.")


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    settings = get_settings()
    migrate(settings.resolved_database_url)
    return settings


def _publish_checkpoint(settings: Settings) -> None:
    from labeling.keyrecords.errors import KeyUnavailable
    from labeling.translog.checkpointer import checkpoint_now

    try:
        checkpoint, created = checkpoint_now(settings)
    except KeyUnavailable as exc:
        typer.secho(f"No checkpoint signed now ({exc}); the server will sign one.", err=True)
        return
    if created:
        typer.echo(f"Checkpoint signed at tree size {checkpoint.tree_size}.")


# ## keys


@keys_app.command("list")
def keys_list() -> None:
    """Every registered key with its window (public information only)."""
    from labeling.keyrecords import repository

    settings = _settings()
    with new_session(settings.resolved_database_url) as session:
        keys = repository.list_keys(session=session)
    for key in keys:
        windows = [f"from {key.not_before:%Y-%m-%dT%H:%MZ}"]
        if key.retired_at:
            windows.append(f"retired {key.retired_at:%Y-%m-%dT%H:%MZ}")
        if key.compromised_since:
            windows.append(f"COMPROMISED since {key.compromised_since:%Y-%m-%dT%H:%MZ}")
        dev = " DEVELOPMENT" if key.is_development else ""
        typer.echo(f"{key.kid}  {key.purpose:<5} {key.backend:<7}{dev}  {', '.join(windows)}")
        typer.echo(f"          {key.key_uri}")


@keys_app.command("generate")
def keys_generate(
    path: Annotated[Path, typer.Argument(help="Where to write the encrypted key file")],
    passphrase_file: Annotated[
        Path, typer.Option(help="File holding the passphrase (at least 12 characters)")
    ],
) -> None:
    """Create an encrypted Ed25519 key file (scrypt-protected PKCS#8, mode 0600)."""
    from labeling.keycustody import KeyFileError, generate_keyfile, key_id_for, read_secret_file

    target = path.resolve()
    try:
        public = generate_keyfile(target, read_secret_file(passphrase_file))
    except KeyFileError as exc:
        _fail(str(exc))
    typer.echo(f"Generated key {key_id_for(public)}: keyfile:{target}")


@keys_app.command("rotate")
def keys_rotate(
    key_uri: Annotated[
        str | None,
        typer.Option(help="The new key (keyfile:/… or pkcs11:…); development: omit it"),
    ] = None,
    passphrase_file: Annotated[
        Path | None, typer.Option(help="Passphrase file of a keyfile: key")
    ] = None,
) -> None:
    """A new label key signs from now on; the current one is retired but stays published."""
    from labeling.keycustody import SignerError, open_signer
    from labeling.keyrecords.errors import KeyringError
    from labeling.keyrecords.opening import read_secret
    from labeling.keyrecords.preparation import new_development_label_key
    from labeling.keyrecords.service import rotate_label_key

    settings = _settings()
    try:
        if key_uri is None:
            if settings.is_production:
                _fail("Production needs --key-uri (create one with `khatem keys generate`).")
            key_uri, signer = new_development_label_key(settings, first=False)
        else:
            signer = open_signer(
                key_uri,
                passphrase=read_secret(None, passphrase_file),
                pkcs11_module=settings.pkcs11_module,
                pin=read_secret(settings.pkcs11_pin, settings.pkcs11_pin_file),
            )
        with new_session(settings.resolved_database_url) as session:
            retired, new = rotate_label_key(
                session=session,
                new_signer=signer,
                key_uri=key_uri,
                allow_development=not settings.is_production,
            )
    except (KeyringError, SignerError) as exc:
        _fail(str(exc))
    if retired is not None and retired.retired_at is not None:
        typer.echo(f"Key {retired.kid} retired at {retired.retired_at:%Y-%m-%dT%H:%MZ}.")
    typer.echo(f"Key {new.kid} signs labels from {new.not_before:%Y-%m-%dT%H:%MZ}.")
    if settings.signing_key_uri and settings.signing_key_uri != key_uri:
        typer.secho(
            f"Set KHATEM_SIGNING_KEY_URI={key_uri} and restart the servers.",
            fg=typer.colors.YELLOW,
            err=True,
        )
    _publish_checkpoint(settings)


def _parse_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        _fail(f"{text!r} is not an ISO 8601 time such as 2026-11-22T10:00Z")
    if value.utcoffset() is None:
        _fail("Give the compromise time with a time zone, e.g. 2026-11-22T10:00Z.")
    return value.astimezone(UTC)


@keys_app.command("compromised")
def keys_compromised(
    kid: Annotated[str, typer.Argument(help="Key id (8 hex digits)")],
    since: Annotated[str, typer.Option(help="Since when (ISO 8601 with time zone)")],
) -> None:
    """Signatures by KID made at or after --since stop verifying; earlier ones stand."""
    from labeling.keyrecords.errors import KeyringError
    from labeling.keyrecords.service import compromise_label_key

    when = _parse_time(since)
    settings = _settings()
    try:
        with new_session(settings.resolved_database_url) as session:
            outcome = compromise_label_key(session=session, kid=kid, since=when)
    except KeyringError as exc:
        _fail(str(exc))
    for line in _compromise_report(outcome):
        typer.echo(line)
    _publish_checkpoint(settings)


def _compromise_report(outcome: Compromise) -> list[str]:
    """What marking the key compromised did, in the words of verify/checks.py's key check."""
    key = outcome.key
    assert key.compromised_since is not None and key.retired_at is not None
    since = f"{key.compromised_since:%Y-%m-%dT%H:%MZ}"
    retired = f"{key.retired_at:%Y-%m-%dT%H:%MZ}"
    if not outcome.changed:
        return [f"Key {key.kid} was already marked compromised since {since}; nothing changed."]
    lines = [f"Key {key.kid} is compromised since {since}."]
    if outcome.was_active:
        lines += [
            f"It was the active label key: it is now retired (at {retired}) and signs no more "
            "labels.",
            "Rotate to a new key (`khatem keys rotate`) before issuing more labels.",
        ]
    else:
        lines.append(
            f"It was already retired at {retired}, so no labels were being signed with it: "
            "issuing is not affected and no rotation is needed."
        )
    lines += [
        f"Labels signed by {key.kid} now verify as follows:",
        f"  - at the registry (online): a label whose log entry is dated before {since} is "
        "AUTHENTIC_WITH_WARNINGS (key_compromised_after_signing); any other label is "
        "INVALID (key_compromised);",
        "  - offline, once the verifier has the new trust list: INVALID (key_compromised) "
        "for every label of this key, because the label's own date is not attested.",
    ]
    if key.retired_at <= key.compromised_since:
        lines.append(
            f"  The key stopped signing at {retired}, before {since}: every label the "
            "registry issued with it was logged before the compromise time."
        )
    return lines


@keys_app.command("trust-list")
def keys_trust_list(
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout")] = None,
) -> None:
    """The signed trust list, e.g. to publish as a static file."""
    from labeling.keyrecords.errors import KeyringError
    from labeling.keyrecords.publication import current_trust_list

    settings = _settings()
    try:
        with new_session(settings.resolved_database_url) as session:
            body = current_trust_list(session, settings).body
    except KeyringError as exc:
        _fail(str(exc))
    if out is None:
        sys.stdout.write(body.decode("utf-8") + "\n")
    else:
        out.write_bytes(body)


@keys_app.command("root-vkey")
def keys_root_vkey() -> None:
    """The root verifier key that verifiers and monitors pin (publish it out of band)."""
    from labeling.keyrecords import repository
    from schemas.keys import KeyPurpose
    from verify.checkpoint import encode_vkey

    settings = _settings()
    with new_session(settings.resolved_database_url) as session:
        root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    if root is None:
        _fail("No root key is registered yet: start the registry once (`khatem serve`).")
    typer.echo(encode_vkey(settings.log_origin, root.public_key))


# ## log


@log_app.command("checkpoint")
def log_checkpoint() -> None:
    """Sign a checkpoint of the current tree now (if it grew) and print the latest."""
    from labeling.keyrecords.errors import KeyringError
    from labeling.translog.checkpointer import checkpoint_now

    settings = _settings()
    try:
        checkpoint, created = checkpoint_now(settings)
    except KeyringError as exc:
        _fail(str(exc))
    typer.echo(("New checkpoint:" if created else "Latest checkpoint (tree unchanged):"), err=True)
    sys.stdout.write(checkpoint.note)


@log_app.command("verify")
def log_verify() -> None:
    """Recompute the whole local log from its leaves and compare with everything stored."""
    from labeling.keyrecords import repository
    from labeling.translog.checkpoints import LogIntegrityError
    from labeling.translog.integrity import verify_log
    from schemas.keys import KeyPurpose
    from verify.checkpoint import VerifierKey

    settings = _settings()
    with new_session(settings.resolved_database_url) as session:
        roots = repository.list_keys(session=session, purpose=KeyPurpose.ROOT)
        keys = [VerifierKey(settings.log_origin, key.public_key) for key in roots]
        try:
            report = verify_log(session.connection(), verifier_keys=keys)
        except LogIntegrityError as exc:
            _fail(f"LOG INTEGRITY FAILURE: {exc}")
    typer.echo(
        f"Log verified: {report.tree_size} leaves, {report.nodes_checked} subtrees, "
        f"{report.checkpoints_checked} checkpoints; root {report.root_hash.hex()}"
    )


@log_app.command("audit")
def log_audit(
    base_url: Annotated[str, typer.Argument(help="The registry, e.g. https://khatem.ma")],
    state: Annotated[Path, typer.Option(help="State file (the last trusted checkpoint)")],
    root_vkey: Annotated[
        str | None, typer.Option(help="The registry's root vkey (needed on the first run)")
    ] = None,
    entries: Annotated[
        bool, typer.Option("--entries/--no-entries", help="Recompute new leaves too")
    ] = False,
    timeout: Annotated[float, typer.Option(help="HTTP timeout in seconds")] = 30.0,
) -> None:
    """Check that the registry's log only grew since the last run; exit 2 on an alarm."""
    import httpx

    from verify.monitor import MonitorAlarm, MonitorError, audit_log

    with httpx.Client(base_url=base_url, timeout=timeout, follow_redirects=False) as client:
        try:
            report = audit_log(client, state_path=state, root_vkey=root_vkey, check_entries=entries)
        except MonitorAlarm as alarm:
            _fail(
                f"ALARM — the registry at {base_url} contradicts its signed history: {alarm}\n"
                f"Evidence (both signed checkpoints): {state}.evidence.json",
                code=2,
            )
        except MonitorError as exc:
            _fail(f"Audit could not complete: {exc}")
    typer.echo(f"OK — {report.summary()}")
