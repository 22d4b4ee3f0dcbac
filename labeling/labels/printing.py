"""A completed batch as print artwork: what each label shows, and the batch's PDF sheet.

Each label prints its QR (the signed URI, exactly as issued), the scheme and level, the
certificate code, the artisan's display name in Latin and Arabic script, the serial and a
short address a person can type: ``{host}/01/{GTIN-14}/21/{serial}`` in lower case, the
GS1 Digital Link path of the item without the signature.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from labeling.artwork import LabelArtwork
from labeling.artwork.sheet import MAX_LABELS_PER_SHEET, SheetLayout, label_sheet_pdf
from labeling.labels.errors import BatchInProgress, LabelBatchNotFound
from schemas.catalog import LabelScheme
from schemas.certificates import Certificate
from schemas.labels import BatchStatus, Label, LabelBatch
from schemas.registry import Artisan
from verify.label_codec import encode_label_uri, format_certificate_code

__all__ = ["MAX_LABELS_PER_SHEET", "batch_artworks", "batch_sheet_pdf", "scheme_and_level"]


def scheme_and_level(scheme: LabelScheme) -> str:
    """The scheme as printed, e.g. ``Maroc Fait Main — niveau 2``."""
    if scheme.level is None or (scheme.level_name and scheme.level_name in scheme.name):
        return scheme.name
    return f"{scheme.name} — {scheme.level_name or f'niveau {scheme.level}'}"


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
    certificate = session.get(Certificate, batch.certificate_id)
    artisan = session.get(Artisan, batch.artisan_id)
    assert certificate is not None and artisan is not None
    scheme = session.get(LabelScheme, certificate.scheme_id)
    assert scheme is not None
    printed_scheme = scheme_and_level(scheme)
    code = format_certificate_code(certificate.code)
    host = label_host.lower()
    labels = session.exec(
        select(Label)
        .where(Label.batch_id == batch_id)
        .order_by(col(Label.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        LabelArtwork(
            uri=encode_label_uri(
                host=label_host,
                gtin=label.gtin,
                serial=label.serial,
                kid=label.kid,
                issued_at=label.issued_at,
                certificate_code=certificate.code,
                signature=label.signature,
            ),
            serial=label.serial,
            gtin=label.gtin,
            scheme_and_level=printed_scheme,
            certificate_code=code,
            artisan_name_latin=artisan.display_name_latin,
            artisan_name_arabic=artisan.display_name_arabic,
            verification_url=f"{host}/01/{label.gtin}/21/{label.serial}",
            error="q" if error == "q" else "m",
        )
        for label in labels
    ]


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
