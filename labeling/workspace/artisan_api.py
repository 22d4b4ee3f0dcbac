"""A certificate's files for its artisan, for API clients (the artisan's workspace pages
serve the same files):

* ``GET /api/v1/certificates/{id}/certificate.pdf`` — the printable certificate: A4,
  French and Arabic, a QR code to its public page;
* ``GET /api/v1/certificates/{id}/badge.png?lang=`` — the badge as PNG (the SVG is
  public: ``/certificates/{code}/badge.svg``);
* ``GET /api/v1/certificates/{id}/card-qr.png`` and ``card-qr.svg`` — a QR code for a
  professional card that opens the certificate's public page.

The certificate's readers (``GET /api/v1/certificates/{id}``): the artisan itself, and its
body's staff, who may print them for an artisan without an account. Another artisan's
certificate is a 404 ``certificate-not-found``. The profile, product lines and batches are
read with the existing routes (``/api/v1/artisans/me``,
``/api/v1/artisans/{id}/product-lines``, ``/api/v1/label-batches``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.problems import problem_responses
from labeling.workspace import artisan_files
from schemas.audits_api import MAX_ROW_ID
from schemas.types import Role

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/certificates", tags=["certificates"])

Reader = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
CertificateId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Certificate id")]
_NOT_FOUND = problem_responses(404, descriptions={404: "`certificate-not-found`: not the reader's"})


def _ok(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": "The file (an attachment)", "content": {media_type: {}}}}


_PDF: Final = _ok("application/pdf") | _NOT_FOUND
_PNG: Final = _ok("image/png") | _NOT_FOUND


@router.get(
    "/{certificate_id}/certificate.pdf",
    response_class=Response,
    responses=_PDF,
    summary="The printable certificate (A4 PDF, French and Arabic, QR to its public page)",
)
def certificate_pdf(
    certificate_id: CertificateId,
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    return artisan_files.download(
        artisan_files.certificate_file(
            session=session, principal=principal, settings=settings, certificate_id=certificate_id
        )
    )


@router.get(
    "/{certificate_id}/badge.png",
    response_class=Response,
    responses=_PNG,
    summary="The certificate's badge as PNG (its status now)",
)
def badge_png(
    certificate_id: CertificateId,
    principal: Reader,
    session: SessionDep,
    lang: Annotated[Literal["fr", "ar", "en"], Query(description="The badge's words")] = "fr",
) -> Response:
    return artisan_files.download(
        artisan_files.badge_file(
            session=session, principal=principal, certificate_id=certificate_id, lang=lang
        )
    )


@router.get(
    "/{certificate_id}/card-qr.{kind}",
    response_class=Response,
    responses=_ok("image/png") | _ok("image/svg+xml") | _NOT_FOUND,
    summary="A QR code for the artisan's card: it opens the certificate's public page",
)
def card_qr(
    certificate_id: CertificateId,
    kind: Annotated[Literal["png", "svg"], Path(description="png or svg")],
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    return artisan_files.download(
        artisan_files.card_qr_file(
            session=session,
            principal=principal,
            settings=settings,
            certificate_id=certificate_id,
            kind=kind,
        )
    )
