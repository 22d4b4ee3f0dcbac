"""Khatem's entry points: ``create_app()`` (the FastAPI factory) and the ``khatem`` CLI.

``python main.py`` is the same as ``khatem serve --demo``.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module

from fastapi import FastAPI

from core.auth import assert_every_route_guarded
from core.contract import document_contract
from core.docs import mount_docs_assets
from core.http_conventions import HttpConventions
from core.problems import install_problem_handlers
from core.request_guard import RequestGuard
from core.settings import Settings, get_settings
from labeling.translog.checkpointer import checkpointing
from labeling.verification.fast_path import LabelUrlFastPath, label_url_pattern
from labeling.verification.service import forget_registry
from labeling.verification.telemetry import scan_telemetry
from labeling.webhooks.delivery import webhook_delivery

__all__ = ["ROUTERS", "cli", "create_app"]

# Every router of the product, in the order they appear in the OpenAPI document. A module
# listed here exposes ``router``; adding a domain is adding one line. The order is also the
# order routes are matched in, one by one (about 1.3 µs a route on FastAPI 0.165): the label
# URL, which every scan of every QR code hits, comes first.
ROUTERS: tuple[str, ...] = (
    "labeling.verification.router",
    "core.health",
    "labeling.accounts.router",
    "labeling.registry.router",
    "labeling.catalog.router",
    "labeling.audits.router",
    "labeling.certificates.router",
    "labeling.labels.router",
    "labeling.workspace.artisan_api",
    "labeling.keyrecords.router",
    "labeling.translog.router",
    "labeling.snapshots.router",
    "labeling.retailers.router",
    "labeling.webhooks.router",
    "labeling.reports.router",
    "labeling.public.router",
    "labeling.workspace.router",
    "core.docs",
)

DESCRIPTION = """
The registry behind "Made in Morocco" handicraft labels.

* **Inspectors** register artisans and product lines, record audits and certify.
* **Body admins** accredit inspectors per scheme and manage certificates.
* **Artisans** read their own records.

Every error is `application/problem+json` (RFC 9457). Authenticate with
`Authorization: Bearer <token>` from `POST /api/v1/auth/token`.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The checkpointer, the webhook delivery worker and the scan counters' flush job
    (a last flush at shutdown) while the app serves; and once
    start-up is done, every object allocated so far (modules, routes, caches) is frozen
    out of the garbage collector's sight, so that its full collections stop scanning them
    (tail latency, see ARCHITECTURE.md "Performance notes"). At shutdown the scan caches,
    the state watch and the read connections are let go."""
    async with checkpointing(app), webhook_delivery(app), scan_telemetry(app):
        gc.collect()
        gc.freeze()
        yield
    forget_registry(app.state.settings)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Khatem",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,  # core.docs serves /docs with its assets, not from a CDN
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    for module_name in ROUTERS:
        app.include_router(import_module(module_name).router)
    mount_docs_assets(app)
    assert_every_route_guarded(app)
    document_contract(app, settings)
    # Middleware added last runs first: HTTP conventions (HEAD, OPTIONS, 405, CORS), the
    # request guard, then the label URL's fast path.
    app.add_middleware(LabelUrlFastPath, label_url=label_url_pattern(app))
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_evidence_bytes + 64 * 1024,
    )
    app.add_middleware(HttpConventions, application=app)
    return app


def cli() -> None:
    from labeling.cli import app as labeling_cli

    labeling_cli()


if __name__ == "__main__":
    if len(sys.argv) == 1:
        sys.argv += ["serve", "--demo"]
    cli()
