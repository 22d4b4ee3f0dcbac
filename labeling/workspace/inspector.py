"""The inspector's pages (phone and tablet first): home, find and register artisans, product
lines, record and correct audits, certify.

Every page calls the services the API calls (``labeling.registry.artisans``,
``labeling.audits.service``, ``labeling.certificates.service``, ``labeling.registry.catalog``)
with the inspector's principal: they decide what the inspector may see (its body's records;
anything else is a 404 page) and do. The handlers only turn form fields into the API's own
input models and the answers into pages.

The pages live by group, each module with its router, all included here (the audit lists'
router, :mod:`.inspector_audits`, is included by ``labeling.workspace.router``):

* :mod:`.inspector_artisans` — find and register artisans, an artisan's page, product lines;
* :mod:`.inspector_audit_pages` — a new audit, an audit, certification, a correction;
* :mod:`.inspector_audit_form` — the audit form those pages show, read and submit;
* :mod:`.inspector_common` — words, parameters, sizes and scheme choices they share;
* :mod:`.inspector_words` — the inspector's words in each language.
"""

from __future__ import annotations

from typing import Final

from fastapi import Response
from sqlmodel import Session

from labeling.audits import service as audits
from labeling.audits.repository import AuditFilters
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.registry import artisans
from labeling.registry.repository import ArtisanFilters
from labeling.workspace import inspector_artisans, inspector_audit_pages
from labeling.workspace.inspector_common import LIST_SIZE, inspector_page
from labeling.workspace.routing import Viewer, workspace_router
from schemas.certificates import CertificateStatus

__all__ = ["home_page", "router"]

HOME_SIZE: Final = 5
EXPIRING_DAYS: Final = 60

router = workspace_router()
# In this order: "/workspace/artisans/new" is matched before "/workspace/artisans/{id}".
for _group in (inspector_artisans, inspector_audit_pages):
    router.include_router(_group.router)


def home_page(*, viewer: Viewer, session: Session) -> Response:
    """Artisans of my body (the latest registered), audits I recorded, certificates of my
    body expiring within 60 days or suspended."""
    principal = viewer.principal
    _, total = artisans.list_artisans(
        session=session, actor=principal, filters=ArtisanFilters(), limit=1, offset=0
    )
    latest, _ = artisans.list_artisans(
        session=session,
        actor=principal,
        filters=ArtisanFilters(),
        limit=HOME_SIZE,
        offset=max(total - HOME_SIZE, 0),
    )
    my_audits = audits.list_audits(
        session=session,
        principal=principal,
        filters=AuditFilters(inspector_id=principal.user_id),
        limit=HOME_SIZE,
        offset=0,
    )
    expiring = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(expiring_within_days=EXPIRING_DAYS),
        limit=LIST_SIZE,
        offset=0,
    )
    suspended = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(status=CertificateStatus.SUSPENDED),
        limit=LIST_SIZE,
        offset=0,
    )
    return inspector_page(
        viewer,
        "inspector/home.html",
        artisans=list(reversed(latest)),
        audits=my_audits.items,
        expiring=expiring.items,
        suspended=suspended.items,
    )
