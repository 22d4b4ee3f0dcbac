"""Issuing a batch of labels in the caller's transaction: serials, claims, signatures, rows,
log leaves. Either every label of the batch is committed with its log leaf, or none is.

Steps 1–2 (:func:`sign_labels`) touch no database, so a background batch signs before it
takes any lock; steps 3–4 (:func:`store_labels`) run in one short transaction, committed
by the caller (:func:`issue_labels` runs all four, for batches issued within a request):

1. draw ``quantity`` serials (:func:`random_serials`, 50 random bits), unique in memory;
2. build each label's claim (``verify.label_codec.batch_claim_bytes``: the layout of
   ``verify.canonical.label_message``) and sign them all with ``signer.sign_many`` — a
   signer failure raises before anything is written;
3. insert the labels with one ``executemany`` under a savepoint; if the unique index on
   ``(gtin, serial)`` refuses a serial some earlier batch already holds, roll back to the
   savepoint, redraw just those serials, sign them, and insert again;
4. append one ``label.issued`` leaf per label to the transparency log (one batch append):
   GTIN, serial, certificate code, key id and the SHA-256 of the signed claim — no
   personal data.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import methodcaller

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from labeling.keycustody import Signer
from labeling.labels import repository
from labeling.translog.events import append_uniform_events
from verify.label_codec import (
    NEW_SERIAL_LENGTH,
    SERIAL_ALPHABET,
    batch_claim_bytes,
    format_certificate_code,
    new_serial,
)

__all__ = [
    "ISSUED_EVENT",
    "IssuedLabels",
    "SerialCollisions",
    "SignedLabels",
    "issue_labels",
    "sign_labels",
    "store_labels",
]

ISSUED_EVENT = "label.issued"
#: Signatures are requested in chunks so that a progress bar can move; each chunk is one
#: ``sign_many`` call, and the batch stays all-or-nothing because nothing is written
#: before every chunk is signed.
SIGN_CHUNK = 10_000
_MAX_COLLISION_ROUNDS = 8


class SerialCollisions(RuntimeError):
    """Fresh serials kept colliding (a broken random source); nothing was issued."""


@dataclass(frozen=True, slots=True)
class IssuedLabels:
    count: int
    first_log_index: int


#: Byte ``b`` → serial character ``b mod 32``: 256 is a multiple of 32, so a uniformly
#: random byte gives a uniformly random character (5 bits of entropy each).
_BYTE_TO_SERIAL_CHARACTER = bytes(SERIAL_ALPHABET.encode("ascii")[b % 32] for b in range(256))


def random_serials(count: int) -> list[str]:
    """``count`` fresh serials of the form :func:`verify.label_codec.new_serial` draws
    (10 Crockford base32 characters, 50 bits from the OS's CSPRNG), in one piece.

    ``new_serial`` picks each character with ``secrets.choice``, about 40 µs a serial;
    here one ``os.urandom`` call gives a byte per character, mapped onto the alphabet by
    ``bytes.translate``: a fraction of a microsecond each.
    """
    width = NEW_SERIAL_LENGTH
    chars = os.urandom(width * count).translate(_BYTE_TO_SERIAL_CHARACTER).decode("ascii")
    return [chars[i : i + width] for i in range(0, width * count, width)]


def _draw(count: int, serials: Callable[[], str] | None, avoid: set[str]) -> list[str]:
    """``count`` serials distinct from each other and from ``avoid`` (which grows)."""
    drawn: list[str] = []
    if serials is None:
        drawn = random_serials(count)
        distinct = set(drawn)
        if len(distinct) == count and distinct.isdisjoint(avoid):
            avoid |= distinct
            return drawn
        drawn = [serial for serial in dict.fromkeys(drawn) if serial not in avoid]
        avoid.update(drawn)
        serials = new_serial  # a collision among 50-bit draws: top up one by one
    seen = avoid
    for _ in range(count * 4 + 16):
        serial = serials()
        if serial not in seen:
            seen.add(serial)
            drawn.append(serial)
            if len(drawn) == count:
                return drawn
    raise SerialCollisions("could not draw enough distinct serials")


@dataclass(slots=True)
class SignedLabels:
    """A batch's labels, signed and not yet stored: serials, claims and signatures."""

    kid: str
    issued_at: datetime
    serials: list[str]
    messages: list[bytes]
    signatures: list[bytes]


def sign_labels(
    *,
    signer: Signer,
    gtin: str,
    certificate_code: int,
    quantity: int,
    issued_at: datetime,
    serials: Callable[[], str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SignedLabels:
    """Steps 1 and 2: draw serials, build the claims and sign them (no database access).

    ``progress`` is called with the number signed so far after every chunk; it may raise
    to abandon the batch (nothing has been written).
    """
    kid = signer.key_id
    # Step 1: serials, distinct within the batch, in order: the rows then reach the
    # (gtin, serial) index in key order, which costs SQLite a third less than random order.
    batch_serials = sorted(_draw(quantity, serials, set()))
    # Step 2: claims and signatures (nothing is written before all are signed).
    messages = batch_claim_bytes(
        gtin=gtin,
        serials=batch_serials,
        kid=kid,
        issued_at=issued_at,
        certificate_code=certificate_code,
    )
    signatures: list[bytes] = []
    for start in range(0, quantity, SIGN_CHUNK):
        signatures += signer.sign_many(messages[start : start + SIGN_CHUNK])
        if progress is not None:
            progress(len(signatures))
    return SignedLabels(
        kid=kid,
        issued_at=issued_at,
        serials=batch_serials,
        messages=messages,
        signatures=signatures,
    )


def store_labels(
    *,
    session: Session,
    signer: Signer,
    signed: SignedLabels,
    batch_id: int,
    certificate_id: int,
    certificate_code: int,
    artisan_id: int,
    gtin: str,
    serials: Callable[[], str] | None = None,
) -> IssuedLabels:
    """Steps 3 and 4, in the caller's transaction: the rows and their log leaves.

    ``signer`` must hold the key that signed ``signed``: it signs the few labels whose
    serial an earlier batch already holds, after drawing them a fresh serial.
    """
    if signer.key_id != signed.kid:
        raise AssertionError("store_labels needs the signer that signed the batch")
    _insert_rows(
        session,
        signer,
        signed,
        batch_id=batch_id,
        certificate_id=certificate_id,
        certificate_code=certificate_code,
        artisan_id=artisan_id,
        gtin=gtin,
        serials=serials,
    )
    # Step 4: one log leaf per label.
    code = format_certificate_code(certificate_code)
    first_index = _log_issued(
        session,
        gtin=gtin,
        code=code,
        kid=signed.kid,
        serials=signed.serials,
        messages=signed.messages,
    )
    return IssuedLabels(count=len(signed.serials), first_log_index=first_index)


def _insert_rows(
    session: Session,
    signer: Signer,
    signed: SignedLabels,
    *,
    batch_id: int,
    certificate_id: int,
    certificate_code: int,
    artisan_id: int,
    gtin: str,
    serials: Callable[[], str] | None,
) -> None:
    """Step 3: insert the rows under a savepoint, redrawing and re-signing the serials an
    earlier batch already holds; ``signed`` is updated in place with the replacements."""
    kid, issued_at = signed.kid, signed.issued_at
    batch_serials, messages, signatures = signed.serials, signed.messages, signed.signatures

    def claims(fresh: list[str]) -> list[bytes]:
        return batch_claim_bytes(
            gtin=gtin,
            serials=fresh,
            kid=kid,
            issued_at=issued_at,
            certificate_code=certificate_code,
        )

    for _round in range(_MAX_COLLISION_ROUNDS):
        try:
            with session.begin_nested():
                repository.insert_labels(
                    session=session,
                    batch_id=batch_id,
                    certificate_id=certificate_id,
                    artisan_id=artisan_id,
                    issued_at=issued_at,
                    kid=kid,
                    gtin=gtin,
                    serials=batch_serials,
                    signatures=signatures,
                )
            return
        except IntegrityError:
            taken = repository.existing_serials(session=session, gtin=gtin, serials=batch_serials)
            if not taken:
                raise
            used = set(batch_serials)
            _replace(batch_serials, messages, signatures, taken, used, serials, claims, signer)
    raise SerialCollisions("serials kept colliding with issued labels")


def _log_issued(
    session: Session, *, gtin: str, code: str, kid: str, serials: list[str], messages: list[bytes]
) -> int:
    """One ``label.issued`` leaf per label: GTIN, serial, certificate code, key id and the
    SHA-256 of the signed claim (:func:`append_uniform_events`: one shape, many rows)."""
    claims = map(methodcaller("hexdigest"), map(hashlib.sha256, messages))
    return append_uniform_events(
        session,
        ISSUED_EVENT,
        common={"gtin": gtin, "certificate": code, "kid": kid},
        columns={"serial": serials, "claim": list(claims)},
    )


def issue_labels(
    *,
    session: Session,
    signer: Signer,
    batch_id: int,
    certificate_id: int,
    certificate_code: int,
    artisan_id: int,
    gtin: str,
    quantity: int,
    issued_at: datetime,
    serials: Callable[[], str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> IssuedLabels:
    """Sign, store and log ``quantity`` labels of one batch (see the module docstring)."""
    signed = sign_labels(
        signer=signer,
        gtin=gtin,
        certificate_code=certificate_code,
        quantity=quantity,
        issued_at=issued_at,
        serials=serials,
        progress=progress,
    )
    return store_labels(
        session=session,
        signer=signer,
        signed=signed,
        batch_id=batch_id,
        certificate_id=certificate_id,
        certificate_code=certificate_code,
        artisan_id=artisan_id,
        gtin=gtin,
        serials=serials,
    )


def _replace(
    batch_serials: list[str],
    messages: list[bytes],
    signatures: list[bytes],
    taken: set[str],
    used: set[str],
    serials: Callable[[], str] | None,
    claims: Callable[[list[str]], list[bytes]],
    signer: Signer,
) -> None:
    """Swap every serial in ``taken`` for a fresh one, with its claim and signature."""
    positions = [i for i, serial in enumerate(batch_serials) if serial in taken]
    used |= taken
    fresh = _draw(len(positions), serials, used)
    fresh_messages = claims(fresh)
    fresh_signatures: Sequence[bytes] = signer.sign_many(fresh_messages)
    for position, serial, message, signature in zip(
        positions, fresh, fresh_messages, fresh_signatures, strict=True
    ):
        batch_serials[position] = serial
        messages[position] = message
        signatures[position] = signature
