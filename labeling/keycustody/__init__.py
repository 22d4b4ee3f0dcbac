"""Key custody: the only package in Khatem that touches private-key material.

The rest of the code holds a :class:`Signer` and asks it to sign labels and
transparency-log checkpoints.  Two backends implement it:

* ``keyfile`` (:mod:`labeling.keycustody.keyfile`): an Ed25519 key in a scrypt-protected
  PKCS#8 file, decrypted once when the signer is opened;
* ``pkcs11`` (:mod:`labeling.keycustody.pkcs11`): an Ed25519 key generated inside an HSM
  (SoftHSM2 in development and CI) that never leaves it.

Open one with :func:`open_signer` and a key URI; see :mod:`labeling.keycustody.interface`
for the URI forms and what the application must supply.
"""

from labeling.keycustody.errors import KeyFileError, SignerError, SignerUnavailableError
from labeling.keycustody.interface import (
    Signer,
    key_id_for,
    keyfile_uri,
    open_signer,
    parse_key_uri,
    pkcs11_uri,
)
from labeling.keycustody.keyfile import (
    KeyfileSigner,
    ephemeral_signer,
    generate_development_key,
    generate_keyfile,
    is_development_key_name,
    is_development_keyfile,
    load_keyfile_signer,
)
from labeling.keycustody.keyfile_format import has_development_marker
from labeling.keycustody.pkcs11 import Pkcs11Signer, generate_hsm_key, open_pkcs11_signer
from labeling.keycustody.secret_files import read_secret_file

__all__ = [
    "KeyFileError",
    "KeyfileSigner",
    "Pkcs11Signer",
    "Signer",
    "SignerError",
    "SignerUnavailableError",
    "ephemeral_signer",
    "generate_development_key",
    "generate_hsm_key",
    "generate_keyfile",
    "has_development_marker",
    "is_development_key_name",
    "is_development_keyfile",
    "key_id_for",
    "keyfile_uri",
    "load_keyfile_signer",
    "open_pkcs11_signer",
    "open_signer",
    "parse_key_uri",
    "pkcs11_uri",
    "read_secret_file",
]
