"""The artisan's own files: the printable certificate (PDF), the badge (PNG) and the QR
code for a professional card (PNG, SVG).

One service for the API (:mod:`labeling.workspace.artisan_api`) and the workspace pages
(:mod:`labeling.workspace.artisan`): each function reads the certificate through the
certificates service with the caller's principal, so an artisan gets only its own
certificates (another's is ``certificate-not-found``, a 404), and an admin or inspector
only its body's. Every file shows public facts only — what the certificate's public
page shows — never a national id, phone or address.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final, Literal

import segno
from fastapi import Response
from sqlmodel import Session

from core.auth import Principal
from core.settings import Settings
from labeling.artwork.badge_png import badge_png
from labeling.artwork.certificate_pdf import CertificateDocument, Fact, certificate_pdf
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.public import repository as public_repository
from labeling.registry import catalog as catalogue
from labeling.registry import repository as registry_repository
from labeling.workspace.i18n import WLang, format_day
from schemas.certificates import CertificateStatus
from schemas.certificates_api import CertificatePublic
from verify.pages.badge import BADGE_WORDS
from verify.pages.names import CatalogueNames

__all__ = [
    "ArtisanFile",
    "badge_file",
    "card_qr_file",
    "certificate_file",
    "download",
    "public_url",
]

#: Products named on the certificate (its public page lists them all).
_MAX_PRODUCTS: Final = 6
_STATUS: Final[dict[str, tuple[str, str]]] = {
    "active": ("Certificat en vigueur", "شهادة سارية المفعول"),
    "suspended": ("Certificat suspendu", "شهادة موقوفة"),
    "withdrawn": ("Certificat retiré", "شهادة مسحوبة"),
    "expired": ("Certificat expiré", "شهادة منتهية الصلاحية"),
}


@dataclass(frozen=True, slots=True)
class ArtisanFile:
    """A file to download: its bytes, media type and file name."""

    content: bytes
    media_type: str
    filename: str


def public_url(settings: Settings, code: str) -> str:
    """The certificate's public page (what its QR codes open)."""
    return f"{settings.public_base_url.rstrip('/')}/certificates/{code}"


def _certificate(session: Session, principal: Principal, certificate_id: int) -> CertificatePublic:
    return certificates.get_certificate(
        session=session, principal=principal, certificate_id=certificate_id
    )


def certificate_document(
    certificate: CertificatePublic,
    *,
    products: list[str],
    url: str,
    region_name: str | None = None,
    body_name: str | None = None,
) -> CertificateDocument:
    """The certificate's printed facts in French and Arabic (catalogue names)."""
    names = catalogue_names()
    scheme_fr, scheme_ar = _scheme_names(names, certificate)
    region_fr, region_ar = _names(
        names, "region", certificate.region_code, region_name or certificate.region_code
    )
    body_fr, body_ar = _names(
        names, "body", certificate.body_code, body_name or certificate.body_code
    )
    product_text = _products_text(products)
    facts = (
        Fact("Label", scheme_fr, "العلامة", scheme_ar),
        Fact("Produits couverts", product_text, "المنتجات المشمولة", product_text),
        _validity(certificate),
        Fact("Région", region_fr, "الجهة", region_ar),
        Fact("Organisme certificateur", body_fr, "هيئة الإشهاد", body_ar),
        Fact(
            "Numéro au registre",
            certificate.artisan_public_id,
            "الرقم في السجل",
            certificate.artisan_public_id,
        ),
    )
    status_fr, status_ar = _STATUS.get(certificate.status.value, _STATUS["expired"])
    return CertificateDocument(
        code=certificate.code,
        public_url=url,
        artisan_latin=certificate.artisan_display_name_latin,
        artisan_arabic=certificate.artisan_display_name_arabic,
        status_fr=status_fr,
        status_ar=status_ar,
        in_force=certificate.status == CertificateStatus.ACTIVE,
        facts=facts,
    )


def _names(
    names: CatalogueNames, kind: Literal["scheme", "region", "body"], code: str, recorded: str
) -> tuple[str, str]:
    """The catalogue's French and Arabic names for ``code``, or ``recorded`` without one."""
    return (
        names.name(kind, code, recorded, "fr").text,
        names.name(kind, code, recorded, "ar").text,
    )


def _scheme_names(names: CatalogueNames, certificate: CertificatePublic) -> tuple[str, str]:
    """The scheme's French and Arabic names, with its level when the name lacks it."""
    scheme_fr, scheme_ar = _names(names, "scheme", certificate.scheme_code, certificate.scheme_name)
    if certificate.level_name and certificate.level_name not in scheme_fr:
        scheme_fr = f"{scheme_fr} — {certificate.level_name}"
        scheme_ar = f"{scheme_ar} — {certificate.level_name}"
    return scheme_fr, scheme_ar


def _products_text(products: list[str]) -> str:
    """The first few products covered, then how many more."""
    shown = products[:_MAX_PRODUCTS]
    product_text = ", ".join(shown) or "—"
    if len(products) > len(shown):
        product_text += f" … (+{len(products) - len(shown)})"
    return product_text


def _validity(certificate: CertificatePublic) -> Fact:
    """From when to when the certificate is valid, in French and Arabic."""
    return Fact(
        "Valable",
        f"du {format_day(certificate.valid_from, 'fr')} au "
        f"{format_day(certificate.valid_until, 'fr')}",
        "صالحة",
        f"من {format_day(certificate.valid_from, 'ar')} إلى "
        f"{format_day(certificate.valid_until, 'ar')}",
    )


def certificate_file(
    *, session: Session, principal: Principal, settings: Settings, certificate_id: int
) -> ArtisanFile:
    """The printable certificate: A4, French and Arabic, a QR code to its public page."""
    certificate = _certificate(session, principal, certificate_id)
    products = public_repository.product_line_names(session=session, certificate_id=certificate.id)
    regions = {r.code: r.name for r in catalogue.list_regions(session=session)}
    body = registry_repository.get_body_by_code(session=session, code=certificate.body_code)
    document = certificate_document(
        certificate,
        products=products,
        url=public_url(settings, certificate.code),
        region_name=regions.get(certificate.region_code),
        body_name=body.name if body is not None else None,
    )
    return ArtisanFile(
        certificate_pdf(document), "application/pdf", f"khatem-{certificate.code}.pdf"
    )


def badge_file(
    *, session: Session, principal: Principal, certificate_id: int, lang: WLang
) -> ArtisanFile:
    """The certificate's badge as PNG, in ``lang``, showing its status now."""
    certificate = _certificate(session, principal, certificate_id)
    status = certificate.status.value if certificate.status.value in BADGE_WORDS else "unknown"
    content = badge_png(status, lang=lang, code=certificate.code)
    return ArtisanFile(content, "image/png", f"khatem-{certificate.code}-badge-{lang}.png")


def card_qr_file(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    certificate_id: int,
    kind: Literal["png", "svg"],
) -> ArtisanFile:
    """A QR code that opens the certificate's public page, for a professional card."""
    certificate = _certificate(session, principal, certificate_id)
    symbol = segno.make(public_url(settings, certificate.code), error="q", micro=False)
    out = io.BytesIO()
    name = f"khatem-{certificate.code}-qr.{kind}"
    if kind == "svg":
        symbol.save(
            out, kind="svg", scale=10, border=4, xmldecl=False, svgclass=None, lineclass=None
        )
        return ArtisanFile(out.getvalue(), "image/svg+xml", name)
    symbol.save(out, kind="png", scale=20, border=4, dpi=600)
    return ArtisanFile(out.getvalue(), "image/png", name)


def download(file: ArtisanFile) -> Response:
    """``file`` as a download: never rendered as a page of the registry, never cached."""
    return Response(
        file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
            "Cache-Control": "private, no-store",
        },
    )
