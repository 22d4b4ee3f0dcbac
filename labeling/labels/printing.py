"""Issued labels as print artwork: what each label shows, and a batch's PDF sheet.

Each label prints its QR (the signed URI, exactly as issued), the scheme and level, the
certificate code, the artisan's display name in Latin and Arabic script, the serial and a
short address a person can type: ``{host}/v/{serial}``, host in lower case (see
:func:`labeling.artwork.label.short_address` and docs/printing.md).

The signed part never changes; the printed names are read from the registry when the
artwork is made, so a label printed after an artisan corrected its name shows the new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from labeling.artwork import ErrorLevel, LabelArtwork
from labeling.artwork.label import short_address
from labeling.artwork.sheet import MAX_LABELS_PER_SHEET, SheetLayout, label_sheet_pdf
from labeling.labels.errors import BatchInProgress, LabelBatchNotFound
from schemas.catalog import LabelScheme
from schemas.certificates import Certificate
from schemas.labels import BatchStatus, Label, LabelBatch
from schemas.registry import Artisan
from verify.label_codec import encode_label_uri, format_certificate_code

__all__ = [
    "MAX_LABELS_PER_SHEET",
    "PrintedFacts",
    "batch_artworks",
    "batch_labels",
    "batch_sheet_pdf",
    "label_artwork",
    "printed_facts",
    "scheme_and_level",
]


def scheme_and_level(scheme: LabelScheme) -> str:
    """The scheme as printed, e.g. ``Maroc Fait Main — niveau 2``."""
    if scheme.level is None or (scheme.level_name and scheme.level_name in scheme.name):
        return scheme.name
    return f"{scheme.name} — {scheme.level_name or f'niveau {scheme.level}'}"


@dataclass(frozen=True, slots=True)
class PrintedFacts:
    """What the labels of one certificate and artisan print besides their own serial."""

    label_host: str
    certificate_code: int
    scheme_and_level: str
    artisan_name_latin: str
    artisan_name_arabic: str


def printed_facts(
    *, session: Session, certificate_id: int, artisan_id: int, label_host: str
) -> PrintedFacts:
    certificate = session.get(Certificate, certificate_id)
    artisan = session.get(Artisan, artisan_id)
    assert certificate is not None and artisan is not None
    scheme = session.get(LabelScheme, certificate.scheme_id)
    assert scheme is not None
    return PrintedFacts(
        label_host=label_host,
        certificate_code=certificate.code,
        scheme_and_level=scheme_and_level(scheme),
        artisan_name_latin=artisan.display_name_latin,
        artisan_name_arabic=artisan.display_name_arabic,
    )


def label_artwork(label: Label, facts: PrintedFacts, *, error: ErrorLevel = "m") -> LabelArtwork:
    """One issued label's artwork."""
    return LabelArtwork(
        uri=encode_label_uri(
            host=facts.label_host,
            gtin=label.gtin,
            serial=label.serial,
            kid=label.kid,
            issued_at=label.issued_at,
            certificate_code=facts.certificate_code,
            signature=label.signature,
        ),
        serial=label.serial,
        gtin=label.gtin,
        scheme_and_level=facts.scheme_and_level,
        certificate_code=format_certificate_code(facts.certificate_code),
        artisan_name_latin=facts.artisan_name_latin,
        artisan_name_arabic=facts.artisan_name_arabic,
        verification_url=short_address(facts.label_host, label.serial),
        error=error,
    )


def batch_labels(
    *, session: Session, batch_id: int, offset: int = 0, limit: int | None = None
) -> list[Label]:
    """The labels of a batch in issue order: ``limit`` of them from the ``offset``-th, or all."""
    return list(
        session.exec(
            select(Label)
            .where(Label.batch_id == batch_id)
            .order_by(col(Label.id))
            .offset(offset)
            .limit(limit)
        ).all()
    )


def batch_artworks(
    *,
    session: Session,
    batch_id: int,
    label_host: str,
    error: str = "m",
    offset: int = 0,
    limit: int | None = None,
) -> list[LabelArtwork]:
    """The artwork of the labels of a completed batch, in issue order (``limit`` labels
    from the ``offset``-th, or all)."""
    batch = session.get(LabelBatch, batch_id)
    if batch is None:
        raise LabelBatchNotFound()
    if batch.status != BatchStatus.COMPLETED.value:
        raise BatchInProgress()
    facts = printed_facts(
        session=session,
        certificate_id=batch.certificate_id,
        artisan_id=batch.artisan_id,
        label_host=label_host,
    )
    level: ErrorLevel = "q" if error == "q" else "m"
    labels = batch_labels(session=session, batch_id=batch_id, offset=offset, limit=limit)
    return [label_artwork(label, facts, error=level) for label in labels]


def batch_sheet_pdf(
    *,
    session: Session,
    batch_id: int,
    label_host: str,
    layout: SheetLayout | None = None,
    error: str = "m",
    offset: int = 0,
    limit: int = MAX_LABELS_PER_SHEET,
) -> bytes:
    """The print-ready A4 sheet of a completed batch, or of ``limit`` of its labels from
    the ``offset``-th (a sheet holds at most ``MAX_LABELS_PER_SHEET``)."""
    artworks = batch_artworks(
        session=session,
        batch_id=batch_id,
        label_host=label_host,
        error=error,
        offset=offset,
        limit=limit,
    )
    return label_sheet_pdf(artworks, layout=layout, title=f"Khatem — lot {batch_id}")
