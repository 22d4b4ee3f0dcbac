"""The signer label issuance uses, taken from the key records, as a FastAPI dependency.

The label key that signs is the registry's *active* label key (``signing_key`` row), read
in the issuing transaction: after ``khatem keys rotate`` the next batch is signed by the
new key, and a retired or compromised key never signs again. Its signer is opened once per
process per key id by :func:`labeling.keyrecords.opening.signer_for_key` (a production key
file costs about 0.28 s of scrypt to decrypt; an HSM login is not free either).

Tests replace the signer with ``app.dependency_overrides[get_label_signer] = lambda: s``.
Any failure to open the key is a 503 ``signer-unavailable``: nothing is issued without a
signature, and the reason (which may name files or tokens) goes to the server log only.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.settings import Settings
from labeling.keycustody import Signer, SignerError
from labeling.keyrecords import KeyUnavailable, label_signer
from labeling.keyrecords import repository as keys
from labeling.labels.errors import SignerUnavailable
from schemas.keys import KeyPurpose

__all__ = ["LabelSignerDep", "get_label_signer", "key_was_rotated", "open_label_signer"]

logger = logging.getLogger(__name__)


def open_label_signer(session: Session, settings: Settings) -> Signer:
    """The signer of the active label key. Raises :class:`SignerUnavailable`."""
    try:
        _key, signer = label_signer(session, settings)
    except (KeyUnavailable, SignerError, OSError) as exc:
        logger.error("label signer unavailable: %s", exc)
        raise SignerUnavailable() from None
    return signer


def key_was_rotated(session: Session, kid: str) -> bool:
    """Whether ``kid`` is a registered label key that is no longer the active one.

    A background batch signs outside the database transaction; before it stores the
    signatures it asks this, in the storing transaction, and signs again with the new
    key if a rotation or a compromise happened meanwhile. A key the key records do not know
    (a test signer) is never "rotated".
    """
    registered = keys.get_by_kid(session=session, kid=kid)
    if registered is None or registered.purpose != KeyPurpose.LABEL.value:
        return False
    active = keys.active_key(session=session, purpose=KeyPurpose.LABEL)
    return active is None or active.kid != kid


def get_label_signer(session: SessionDep, settings: SettingsDep) -> Signer:
    return open_label_signer(session, settings)


LabelSignerDep = Annotated[Signer, Depends(get_label_signer)]
