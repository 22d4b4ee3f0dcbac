"""The signer label issuance uses, as a FastAPI dependency.

``get_label_signer`` opens the signer named by the settings once per process (per key URI)
and hands it to the routes; tests and the integration of the keyring override it with
``app.dependency_overrides[get_label_signer] = lambda: signer``. Any failure to open the
key is a 503 ``signer-unavailable``: nothing is issued without a signature.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends

from core.auth import SettingsDep
from core.settings import Settings
from labeling.keys import Signer, SignerError, open_signer, read_secret_file
from labeling.labels.errors import SignerUnavailable

__all__ = ["LabelSignerDep", "get_label_signer", "open_label_signer"]

_OPEN: dict[str, Signer] = {}
_LOCK = threading.Lock()


def open_label_signer(settings: Settings) -> Signer:
    """The configured label signer (opened once per key URI). Raises SignerUnavailable."""
    uri = settings.signing_key_uri
    if not uri:
        raise SignerUnavailable("No label signing key is configured (KHATEM_SIGNING_KEY_URI).")
    with _LOCK:
        signer = _OPEN.get(uri)
        if signer is not None:
            return signer
        try:
            passphrase = settings.signing_key_passphrase
            if passphrase is None and settings.signing_key_passphrase_file is not None:
                passphrase = read_secret_file(settings.signing_key_passphrase_file)
            pin = settings.pkcs11_pin
            if pin is None and settings.pkcs11_pin_file is not None:
                pin = read_secret_file(settings.pkcs11_pin_file)
            signer = open_signer(
                uri, passphrase=passphrase, pkcs11_module=settings.pkcs11_module, pin=pin
            )
        except (SignerError, OSError):
            # The reason may name files or tokens; it goes to the server log, not the client.
            raise SignerUnavailable() from None
        _OPEN[uri] = signer
        return signer


def get_label_signer(settings: SettingsDep) -> Signer:
    return open_label_signer(settings)


LabelSignerDep = Annotated[Signer, Depends(get_label_signer)]
