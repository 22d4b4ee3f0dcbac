"""The body administrator's pages: inspectors and their authorisations, certificates and
their decisions, label batches (issue, follow, print, revoke), the keys and the log.

Every page calls the services the API calls (``labeling.registry.service``,
``labeling.certificates.service``, ``labeling.labels`` …) with the administrator's
principal: they decide what the administrator may see (its body's records; anything else is
their ``NotFound``, a 404 page) and do. The handlers only turn form fields into the API's
own input models and the answers into pages. Every decision that cannot be undone (suspend,
reinstate, withdraw a certificate; revoke labels) has a confirmation page of its own, which
needs no JavaScript: the first page says what the decision does, the second records it.

The pages live by group, each module with its router, all included here:

* :mod:`.admin_people` — inspectors and their per-scheme authorisations;
* :mod:`.admin_certificates` — certificates, their history and decisions;
* :mod:`.admin_batches` — label batches, their sheets and artwork;
* :mod:`.admin_revoke` — revoking one label or a batch;
* :mod:`.admin_keys` — the keys and the log's checkpoint;
* :mod:`.admin_confirm` — the confirmation step the decisions share;
* :mod:`.admin_common` — parameters, sizes and choices they share.
"""

from __future__ import annotations

from typing import Final

from fastapi import Response
from sqlmodel import Session

from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.labels import reading
from labeling.workspace import (
    admin_batches,
    admin_certificates,
    admin_keys,
    admin_people,
    admin_revoke,
)
from labeling.workspace.admin_common import HOME_SIZE, admin_page
from labeling.workspace.routing import Viewer, workspace_router
from schemas.certificates import CertificateStatus
from schemas.labels import BatchStatus

__all__ = ["home_page", "router"]

EXPIRING_DAYS: Final = 60

router = workspace_router()
for _group in (admin_people, admin_certificates, admin_batches, admin_revoke, admin_keys):
    router.include_router(_group.router)


def home_page(*, viewer: Viewer, session: Session) -> Response:
    """My body's work: certificates in force ending within 60 days, suspended ones, label
    batches still being issued."""
    principal = viewer.principal
    expiring = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(expiring_within_days=EXPIRING_DAYS),
        limit=HOME_SIZE,
        offset=0,
    )
    suspended = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(status=CertificateStatus.SUSPENDED),
        limit=HOME_SIZE,
        offset=0,
    )
    running = reading.list_batches(
        session=session,
        principal=principal,
        limit=HOME_SIZE,
        statuses=(BatchStatus.QUEUED, BatchStatus.RUNNING),
    )
    return admin_page(
        viewer,
        "admin/home.html",
        expiring=expiring,
        suspended=suspended,
        running=running.items,
        days=EXPIRING_DAYS,
    )
