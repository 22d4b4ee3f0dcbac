"""Start-up key preparation: make sure a root key and a label key are registered and usable.

Rules (docs/keys.md, "Starting the registry"):

1. Production (``KHATEM_ENVIRONMENT=production``) needs a configured root key
   (``KHATEM_ROOT_KEY_URI``) and label key (``KHATEM_SIGNING_KEY_URI``), neither of them a
   development key; otherwise it refuses to start (:class:`StartupRefused`). A key is a
   development key if its file says so (the marker
   :func:`labeling.keycustody.generate_development_key` writes into every development key
   file, whatever the file is called now) or if the
   registry recorded it as one (``signing_key.is_development``, matched by public key).
2. Elsewhere a missing key is generated as a development key in the data directory — the
   label key as ``<data_dir>/khatem-signing-key.dev.p8``, the root key beside it in
   ``<data_dir>/root-key/`` — and a loud warning is returned.
3. The first label key and the root key are registered (``key.registered`` log events).
   Later label keys only arrive through ``khatem keys rotate``: a configured key that is
   not the registered active key is refused, never silently swapped in.
4. The root key is pinned by verifiers, so a configured root key that differs from the
   registered one is refused as well.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from core.settings import Settings
from labeling.keycustody import Signer, generate_development_key
from labeling.keyrecords import repository
from labeling.keyrecords.errors import KeyUnavailable, StartupRefused
from labeling.keyrecords.opening import (
    configured_key_uri,
    open_configured_signer,
    open_development_key,
    signer_for_key,
)
from labeling.keyrecords.service import register_key
from schemas.keys import KeyPurpose, SigningKey
from schemas.types import utcnow

__all__ = ["DEV_LABEL_KEYS_DIR", "DEV_ROOT_KEY_DIR", "new_development_label_key", "prepare_keys"]

DEV_ROOT_KEY_DIR = "root-key"
DEV_LABEL_KEYS_DIR = "label-keys"
_ENV = {KeyPurpose.LABEL: "KHATEM_SIGNING_KEY_URI", KeyPurpose.ROOT: "KHATEM_ROOT_KEY_URI"}


def new_development_label_key(settings: Settings, *, first: bool) -> tuple[str, Signer]:
    """Generate (or reuse, for the first key) a development label key in the data dir."""
    if first:
        directory = settings.data_dir
    else:
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
        directory = settings.data_dir / DEV_LABEL_KEYS_DIR / stamp
    uri, _ = generate_development_key(directory)
    return uri, open_development_key(uri)


def _development_refusal(what: str) -> StartupRefused:
    return StartupRefused(
        f"production refuses development keys: {what}. Development keys are throwaway keys "
        "whose passphrase is stored beside them, whatever their file is called. Create a "
        "production key with `khatem keys generate PATH --passphrase-file FILE` (or use an "
        f"HSM key) and configure it with {_ENV[KeyPurpose.LABEL]} / {_ENV[KeyPurpose.ROOT]} "
        "(docs/keys.md, 'Development keys')"
    )


def _configured(
    session: Session, settings: Settings, purpose: KeyPurpose
) -> tuple[str, Signer] | None:
    uri = configured_key_uri(settings, purpose)
    if uri is None:
        if settings.is_production:
            raise StartupRefused(
                f"production needs a configured {purpose.value} key: set {_ENV[purpose]}"
            )
        return None
    try:
        signer = open_configured_signer(settings, purpose)
    except KeyUnavailable as exc:
        raise StartupRefused(str(exc)) from None
    record = repository.get_by_kid(session=session, kid=signer.key_id)
    if record is not None and record.public_key != signer.public_key_raw:
        raise StartupRefused(
            f"the configured {purpose.value} key ({uri}) is not the registered key "
            f"{record.kid}, although their key ids are the same; configure another key"
        )
    if settings.is_production:
        if signer.is_development:
            raise _development_refusal(
                f"the configured {purpose.value} key {signer.key_id} ({uri}) was generated "
                "as a development key (its key file carries the development marker)"
            )
        if record is not None and record.is_development:
            raise _development_refusal(
                f"the configured {purpose.value} key {signer.key_id} ({uri}) is registered "
                "as a development key"
            )
    return uri, signer


def _usable(key: SigningKey, settings: Settings) -> Signer:
    try:
        return signer_for_key(key, settings)
    except KeyUnavailable as exc:
        raise StartupRefused(str(exc)) from None


def _prepare_root(session: Session, settings: Settings) -> tuple[SigningKey, Signer]:
    registered = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    configured = _configured(session, settings, KeyPurpose.ROOT)
    if configured is not None:
        uri, signer = configured
        if registered is None:
            if repository.list_keys(session=session, purpose=KeyPurpose.ROOT):
                raise StartupRefused(
                    "the registered root key was withdrawn; a new root needs re-pinning "
                    "by every verifier (docs/keys.md, 'Root compromise')"
                )
            key = register_key(session=session, signer=signer, key_uri=uri, purpose=KeyPurpose.ROOT)
            return key, signer
        if registered.kid != signer.key_id:
            raise StartupRefused(
                f"the configured root key is {signer.key_id} but verifiers pin the registered "
                f"root key {registered.kid}; configure that key (docs/keys.md)"
            )
        return registered, _usable(registered, settings)
    if registered is not None:
        return registered, _usable(registered, settings)
    uri, _ = generate_development_key(settings.data_dir / DEV_ROOT_KEY_DIR)
    signer = open_development_key(uri)
    key = register_key(session=session, signer=signer, key_uri=uri, purpose=KeyPurpose.ROOT)
    return key, signer


def _prepare_label(session: Session, settings: Settings) -> tuple[SigningKey, Signer]:
    active = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    configured = _configured(session, settings, KeyPurpose.LABEL)
    if configured is not None:
        uri, signer = configured
        known = repository.get_by_kid(session=session, kid=signer.key_id)
        if known is not None:
            if known.purpose != KeyPurpose.LABEL.value:
                raise StartupRefused(f"key {known.kid} is registered as a {known.purpose} key")
            if active is None or known.kid != active.kid:
                raise StartupRefused(
                    f"the configured label key {known.kid} was retired or compromised; "
                    "configure the current key, or rotate with `khatem keys rotate`"
                )
            return known, signer
        if active is not None:
            raise StartupRefused(
                f"the configured label key {signer.key_id} is not registered and "
                f"{active.kid} is active; run `khatem keys rotate --key-uri {uri}`"
            )
        key = register_key(session=session, signer=signer, key_uri=uri, purpose=KeyPurpose.LABEL)
        return key, signer
    if active is not None:
        return active, _usable(active, settings)
    first = not repository.list_keys(session=session, purpose=KeyPurpose.LABEL)
    uri, signer = new_development_label_key(settings, first=first)
    if repository.get_by_kid(session=session, kid=signer.key_id) is not None:
        uri, signer = new_development_label_key(settings, first=False)
    key = register_key(session=session, signer=signer, key_uri=uri, purpose=KeyPurpose.LABEL)
    return key, signer


def prepare_keys(*, session: Session, settings: Settings) -> list[str]:
    """Apply the start-up rules, commit, and return the warnings to print loudly."""
    root, root_signer = _prepare_root(session, settings)
    label, label_signer = _prepare_label(session, settings)
    development = [
        f"{name} key {key.kid} ({key.key_uri})"
        for name, key, signer in (("label", label, label_signer), ("root", root, root_signer))
        if key.is_development or signer.is_development
    ]
    if development and settings.is_production:
        raise _development_refusal("; ".join(development))
    session.commit()
    if not development:
        return []
    where = Path(settings.data_dir).resolve()
    bar = "!" * 78
    return [
        bar,
        "!!! DEVELOPMENT SIGNING KEYS IN USE — labels and checkpoints prove NOTHING",
        *(f"!!!   {line}" for line in development),
        f"!!! They were generated in {where} with their passphrases beside them.",
        "!!! Never issue real labels with them; production refuses to start on them.",
        bar,
    ]
