"""Issuing a batch of labels in the caller's transaction: serials, claims, signatures, rows,
log leaves. Either every label of the batch is committed with its log leaf, or none is.

Steps (all inside one database transaction, committed by the caller):

1. draw ``quantity`` serials (``new_serial()``, 50 random bits), unique in memory;
2. build each label's claim (``verify.label_codec.claim_bytes`` layout) and sign them all
   with ``signer.sign_many`` — a signer failure raises before anything is written;
3. insert the labels with one ``executemany`` under a savepoint; if the unique index on
   ``(gtin, serial)`` refuses a serial some earlier batch already holds, roll back to the
   savepoint, redraw just those serials, sign them, and insert again;
4. append one ``label.issued`` leaf per label to the transparency log (one batch append):
   GTIN, serial, certificate code, key id and the SHA-256 of the signed claim — no
   personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from labeling.keys import Signer
from labeling.labels import repository
from labeling.translog.events import LogEvent, append_events
from verify.label_codec import claim_bytes, format_certificate_code, new_serial

__all__ = ["ISSUED_EVENT", "IssuedLabels", "SerialCollisions", "issue_labels"]

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


def _claim_builder(
    *, gtin: str, kid: str, issued_at: datetime, certificate_code: int
) -> Callable[[str], bytes]:
    """A fast equivalent of ``claim_bytes`` for many serials of one batch.

    Everything but the serial is the same for every label of a batch, so the invariant
    head and tail are computed once from ``claim_bytes`` itself (which validates them);
    the result is checked against ``claim_bytes`` for the first serial by the caller.
    """
    probe = "0"
    reference = claim_bytes(
        gtin=gtin, serial=probe, kid=kid, issued_at=issued_at, certificate_code=certificate_code
    )
    head = reference[: len(reference) - 12 - 1 - len(probe)]  # header || gtin14
    tail = reference[-12:]  # kid || minutes || certificate code

    def build(serial: str) -> bytes:
        return b"".join((head, bytes((len(serial),)), serial.encode("ascii"), tail))

    return build


def _draw(count: int, serials: Callable[[], str], avoid: set[str]) -> list[str]:
    drawn: list[str] = []
    seen = avoid
    for _ in range(count * 4 + 16):
        serial = serials()
        if serial not in seen:
            seen.add(serial)
            drawn.append(serial)
            if len(drawn) == count:
                return drawn
    raise SerialCollisions("could not draw enough distinct serials")


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
    serials: Callable[[], str] = new_serial,
    progress: Callable[[int], None] | None = None,
) -> IssuedLabels:
    """Sign, store and log ``quantity`` labels of one batch (see the module docstring)."""
    kid = signer.key_id
    build = _claim_builder(
        gtin=gtin, kid=kid, issued_at=issued_at, certificate_code=certificate_code
    )
    # Step 1: serials, distinct within the batch.
    used: set[str] = set()
    batch_serials = _draw(quantity, serials, used)
    first = batch_serials[0]
    if build(first) != claim_bytes(
        gtin=gtin, serial=first, kid=kid, issued_at=issued_at, certificate_code=certificate_code
    ):
        raise AssertionError("the fast claim layout drifted from verify.label_codec")
    # Step 2: claims and signatures (nothing is written before all are signed).
    messages = [build(serial) for serial in batch_serials]
    signatures: list[bytes] = []
    for start in range(0, quantity, SIGN_CHUNK):
        signatures += signer.sign_many(messages[start : start + SIGN_CHUNK])
        if progress is not None:
            progress(len(signatures))
    # Step 3: the rows, redrawing serials an earlier batch already holds.
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
                    rows=[
                        (gtin, serial, signature)
                        for serial, signature in zip(batch_serials, signatures, strict=True)
                    ],
                )
            break
        except IntegrityError:
            taken = repository.existing_serials(session=session, gtin=gtin, serials=batch_serials)
            if not taken:
                raise
            _replace(batch_serials, messages, signatures, taken, used, serials, build, signer)
    else:
        raise SerialCollisions("serials kept colliding with issued labels")
    # Step 4: one log leaf per label.
    code = format_certificate_code(certificate_code)
    sha256 = hashlib.sha256
    first_index = append_events(
        session,
        [
            LogEvent(
                ISSUED_EVENT,
                {
                    "gtin": gtin,
                    "serial": serial,
                    "certificate": code,
                    "kid": kid,
                    "claim": sha256(message).hexdigest(),
                },
            )
            for serial, message in zip(batch_serials, messages, strict=True)
        ],
    )
    return IssuedLabels(count=quantity, first_log_index=first_index)


def _replace(
    batch_serials: list[str],
    messages: list[bytes],
    signatures: list[bytes],
    taken: set[str],
    used: set[str],
    serials: Callable[[], str],
    build: Callable[[str], bytes],
    signer: Signer,
) -> None:
    """Swap every serial in ``taken`` for a fresh one, with its claim and signature."""
    positions = [i for i, serial in enumerate(batch_serials) if serial in taken]
    used |= taken
    fresh = _draw(len(positions), serials, used)
    fresh_messages = [build(serial) for serial in fresh]
    fresh_signatures: Sequence[bytes] = signer.sign_many(fresh_messages)
    for position, serial, message, signature in zip(
        positions, fresh, fresh_messages, fresh_signatures, strict=True
    ):
        batch_serials[position] = serial
        messages[position] = message
        signatures[position] = signature
