"""The interactive API documentation (Swagger UI) at ``/docs``, served without the internet.

FastAPI's own ``/docs`` page loads Swagger UI's script and stylesheet from a public CDN: on
a registry without internet access (an inspection office, a trade-fair stand, a test
machine) it stays blank. Here the page loads them from the registry itself, under
``/docs/assets/``, from the files the ``fastapi-offline`` package ships (Swagger UI 5, which
reads OpenAPI 3.1). The page is a public route like any other (core.auth); the assets are
static files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from core.auth import public

__all__ = ["ASSETS_PATH", "DOCS_PATH", "mount_docs_assets", "router"]

DOCS_PATH: Final = "/docs"
ASSETS_PATH: Final = "/docs/assets"
#: Swagger UI's files, as the package ships them.
_ASSETS_DIR: Final = Path(str(files("fastapi_offline") / "static"))

router = APIRouter(dependencies=[Depends(public)], include_in_schema=False)


@router.get(DOCS_PATH, response_class=HTMLResponse)
async def swagger_ui() -> HTMLResponse:
    """Swagger UI on the app's OpenAPI document, every asset from this server."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Khatem — API",
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
    )


def mount_docs_assets(app: FastAPI) -> None:
    """Serve Swagger UI's files under :data:`ASSETS_PATH`."""
    app.mount(ASSETS_PATH, StaticFiles(directory=_ASSETS_DIR), name="docs-assets")
