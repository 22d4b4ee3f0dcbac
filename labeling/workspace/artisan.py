"""The artisan's pages: home (my certificates), a certificate with its printable PDF,
badge (SVG and PNG) and card QR code, my profile, my product lines and label batches.

Read-only: an artisan changes nothing here (the chamber registers and corrects). Every
page calls the services the API calls with the artisan's principal — the registry's
``get_own_record``, the certificates', the labels' ``list_batches`` and
:mod:`labeling.workspace.artisan_files` — which show an artisan its own records only
(another artisan's certificate is a 404 page).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import Path, Query, Response
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.keyset import Keyset, KeysetSlice
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.labels import reading as label_reading
from labeling.registry import artisans
from labeling.workspace import artisan_files
from labeling.workspace.artisan_words import WORDS
from labeling.workspace.i18n import LANGUAGE_NAMES, LANGUAGES
from labeling.workspace.inspector_words import ARTISAN_KINDS
from labeling.workspace.routing import ArtisanViewer, Cursor, Viewer, page, workspace_router
from schemas.audits_api import MAX_ROW_ID
from schemas.certificates_api import CertificatePublic
from schemas.registry_api import ArtisanPrivate

__all__ = ["home_page", "router"]

router = workspace_router()

CertificateId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
_LIST_SIZE: Final = 50


def _page(viewer: Viewer, template: str, **values: Any) -> Response:
    return page(viewer, template, words=WORDS, **values)


def _my_certificates(
    viewer: Viewer, session: Session, settings: Settings, cursor: str | None
) -> KeysetSlice[CertificatePublic]:
    return certificates.certificate_keyset_page(
        session=session,
        principal=viewer.principal,
        filters=CertificateFilters(),
        keyset=Keyset.of(cursor, settings.workspace_page_size),
    )


def home_page(*, viewer: Viewer, session: Session, settings: Settings) -> Response:
    """My certificates (newest first, the first page), each with its code and a way to
    print it."""
    record = artisans.get_own_record(session=session, actor=viewer.principal)
    found = _my_certificates(viewer, session, settings, None)
    return _page(viewer, "artisan/home.html", artisan=record, found=found)


@router.get("/workspace/my/certificates")
def my_certificates(
    viewer: ArtisanViewer,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Cursor = None,
) -> Response:
    """All my certificates, newest first, a keyset page at a time."""
    found = _my_certificates(viewer, session, settings, cursor)
    return _page(viewer, "artisan/certificates.html", found=found)


@router.get("/workspace/my/certificates/{certificate_id}")
def certificate(
    viewer: ArtisanViewer, session: SessionDep, certificate_id: CertificateId
) -> Response:
    """One of my certificates: its facts, public page, badge, PDF and card QR code."""
    found = certificates.get_certificate(
        session=session, principal=viewer.principal, certificate_id=certificate_id
    )
    names = catalogue_names()
    return _page(
        viewer,
        "artisan/certificate.html",
        certificate=found,
        scheme_name=names.name("scheme", found.scheme_code, found.scheme_name, viewer.lang),
        badge_languages=[(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES],
    )


@router.get("/workspace/my/certificates/{certificate_id}/certificate.pdf")
def certificate_pdf(
    viewer: ArtisanViewer, session: SessionDep, settings: SettingsDep, certificate_id: CertificateId
) -> Response:
    """The printable certificate (the API's ``/api/v1/certificates/{id}/certificate.pdf``)."""
    return artisan_files.download(
        artisan_files.certificate_file(
            session=session,
            principal=viewer.principal,
            settings=settings,
            certificate_id=certificate_id,
        )
    )


@router.get("/workspace/my/certificates/{certificate_id}/badge.png")
def badge_png(
    viewer: ArtisanViewer,
    session: SessionDep,
    certificate_id: CertificateId,
    badge: Annotated[Literal["fr", "ar", "en"] | None, Query()] = None,
) -> Response:
    """The badge as PNG, in ``badge`` (default: the page's language)."""
    return artisan_files.download(
        artisan_files.badge_file(
            session=session,
            principal=viewer.principal,
            certificate_id=certificate_id,
            lang=badge or viewer.lang,
        )
    )


@router.get("/workspace/my/certificates/{certificate_id}/card-qr.{kind}")
def card_qr(
    viewer: ArtisanViewer,
    session: SessionDep,
    settings: SettingsDep,
    certificate_id: CertificateId,
    kind: Annotated[Literal["png", "svg"], Path()],
) -> Response:
    """The card's QR code (PNG or SVG) that opens the public certificate page."""
    return artisan_files.download(
        artisan_files.card_qr_file(
            session=session,
            principal=viewer.principal,
            settings=settings,
            certificate_id=certificate_id,
            kind=kind,
        )
    )


@router.get("/workspace/my/profile")
def profile(viewer: ArtisanViewer, session: SessionDep) -> Response:
    """My registry record, with my personal details (mine to see, not to change)."""
    record = ArtisanPrivate.model_validate(
        artisans.get_own_record(session=session, actor=viewer.principal)
    )
    names = catalogue_names()
    return _page(
        viewer,
        "artisan/profile.html",
        artisan=record,
        kind_name=ARTISAN_KINDS[record.kind.value](viewer.lang),
        region_name=names.name("region", record.region_code, record.region_code, viewer.lang),
    )


@router.get("/workspace/my/products")
def products(
    viewer: ArtisanViewer,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """My product lines and my label batches (newest first, keyset pages)."""
    record = artisans.get_own_record(session=session, actor=viewer.principal)
    assert record.id is not None
    lines, _ = artisans.list_product_lines(
        session=session, actor=viewer.principal, artisan_id=record.id, limit=200, offset=0
    )
    batches = label_reading.list_batches(
        session=session, principal=viewer.principal, limit=_LIST_SIZE, cursor=cursor
    )
    codes = {
        c.id: c.code
        for c in certificates.list_certificates(
            session=session,
            principal=viewer.principal,
            filters=CertificateFilters(),
            limit=200,
            offset=0,
        ).items
    }
    line_names = {line.id: line.name for line in lines}
    return _page(
        viewer,
        "artisan/products.html",
        lines=lines,
        batches=batches.items,
        next_cursor=batches.next_cursor,
        codes=codes,
        line_names=line_names,
    )
