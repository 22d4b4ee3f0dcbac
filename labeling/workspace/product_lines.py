"""A product line's page: describe what its labels belong to and keep its photos.

For the line's body's admins and inspectors and for the artisan itself — whoever may read
the line (:func:`labeling.registry.artisans.get_product_line`); anyone else gets the 404
page. The page shows, first, the sentence a buyer reads on the verdict page (in the
viewer's language), then the description form (sizes typed in centimetres, kept in
millimetres) and the photos with their upload and remove forms. Every change goes through
:mod:`labeling.registry.items`, the API's service.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

from fastapi import File, Form, Path, Query, Response, UploadFile
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from core.auth import SessionDep, SettingsDep
from core.problems import Problem
from core.settings import Settings
from labeling.registry import items
from labeling.registry.artisans import get_product_line
from labeling.workspace.product_line_words import PHOTO_PROBLEMS, WORDS
from labeling.workspace.routing import (
    CSRF,
    AnyViewer,
    FormErrors,
    Viewer,
    form_errors,
    page,
    see_other,
    workspace_router,
)
from schemas.items import ItemDescriptionUpdate
from verify.item import SIZE_CLASSES
from verify.pages.item_text import item_view

__all__ = ["router"]

router = workspace_router()

LineId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PhotoId = Annotated[str, Path(min_length=16, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
FormText = Annotated[str | None, Form(max_length=4000)]
_DIMENSIONS: Final = (("width", "width_mm"), ("length", "length_mm"), ("height", "height_mm"))
_CENTIMETRES: Final = re.compile(r"^[0-9]{1,4}([.,][0-9])?$")


def _url(line_id: int, done: str | None = None, anchor: str = "") -> str:
    return f"/workspace/product-lines/{line_id}" + (f"?done={done}" if done else "") + anchor


def _values_of(line: Any) -> dict[str, str]:
    """The form's fields as the line stands (sizes in centimetres)."""
    values = {
        "name": line.name,
        "craft": line.craft or "",
        "materials": ", ".join(line.materials),
        "size_class": line.size_class or "",
    }
    for field, column in _DIMENSIONS:
        value = getattr(line, column)
        values[field] = "" if value is None else f"{value / 10:g}"
    return values


def _product_page(
    viewer: Viewer,
    session: Session,
    settings: Settings,
    line_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    photo_error: str | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    line = get_product_line(session=session, actor=viewer.principal, product_line_id=line_id)
    assert line.id is not None
    photos = items.photos_of(session, [line.id]).get(line.id, [])
    preview = item_view(items.item_facts(line, photos), viewer.lang)
    own = viewer.principal.is_artisan
    return page(
        viewer,
        "product_line.html",
        status_code=status_code,
        words=WORDS,
        line=line,
        photos=[items.photo_public(photo) for photo in photos],
        preview=preview,
        values=values if values is not None else _values_of(line),
        errors=errors or FormErrors(),
        photo_error=photo_error,
        size_classes=[(size, size) for size in SIZE_CLASSES],
        max_megabytes=settings.max_photo_bytes // 1_048_576,
        max_photos=settings.max_photos_per_line,
        back_url="/workspace/my/products" if own else f"/workspace/artisans/{line.artisan_id}",
        back_word="back_mine" if own else "back",
        done=done,
    )


@router.get("/workspace/product-lines/{line_id}")
def product_line_page(
    viewer: AnyViewer,
    session: SessionDep,
    settings: SettingsDep,
    line_id: LineId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _product_page(viewer, session, settings, line_id, done=done)


def _description(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's description from the form's fields, and the fields that are no number."""
    data: dict[str, Any] = {
        "name": values["name"],
        "craft": values["craft"] or None,
        "materials": [m.strip() for m in values["materials"].split(",") if m.strip()],
    }
    size: dict[str, Any] = {}
    bad: dict[str, str] = {}
    if values["size_class"]:
        size["class"] = values["size_class"]
    for field, column in _DIMENSIONS:
        typed = values[field]
        if not typed:
            continue
        if not _CENTIMETRES.match(typed):
            bad[field] = typed
            continue
        size[column] = round(float(typed.replace(",", ".")) * 10)
    data["size"] = size or None
    return data, bad


def _field_of(loc: tuple[Any, ...]) -> str | None:
    if not loc:
        return None
    if loc[0] == "size":
        names = {column: field for field, column in _DIMENSIONS} | {"class": "size_class"}
        return names.get(str(loc[1]), "size_class") if len(loc) > 1 else "size_class"
    return str(loc[0])


@router.post("/workspace/product-lines/{line_id}/description", dependencies=CSRF)
def save_description(
    viewer: AnyViewer,
    session: SessionDep,
    settings: SettingsDep,
    line_id: LineId,
    name: FormText = None,
    craft: FormText = None,
    materials: FormText = None,
    size_class: FormText = None,
    width: FormText = None,
    length: FormText = None,
    height: FormText = None,
) -> Response:
    typed = {"name": name, "craft": craft, "materials": materials, "size_class": size_class}
    typed |= {"width": width, "length": length, "height": height}
    values = {key: (value or "").strip() for key, value in typed.items()}
    data, bad = _description(values)
    try:
        if bad:
            errors = FormErrors(
                message=WORDS["number_error"](viewer.lang),
                fields={field: WORDS["number_error"](viewer.lang) for field in bad},
            )
        else:
            items.describe_product_line(
                session=session,
                actor=viewer.principal,
                product_line_id=line_id,
                data=ItemDescriptionUpdate.model_validate(data),
            )
            return see_other(_url(line_id, "saved", "#h-preview"))
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc, field_of=_field_of)
    return _product_page(
        viewer, session, settings, line_id, values=values, errors=errors, status_code=422
    )


@router.post("/workspace/product-lines/{line_id}/photos", dependencies=CSRF)
async def upload_photo(
    viewer: AnyViewer,
    session: SessionDep,
    settings: SettingsDep,
    line_id: LineId,
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    data = await photo.read(settings.max_photo_bytes + 1) if photo and photo.filename else b""

    def store() -> Response:
        try:
            if not data:
                raise items.MissingPhoto()
            items.add_photo(
                session=session,
                actor=viewer.principal,
                product_line_id=line_id,
                data=data,
                settings=settings,
            )
        except (items.PhotoLimitReached, *_PHOTO_REFUSALS) as problem:
            session.rollback()
            return _product_page(
                viewer,
                session,
                settings,
                line_id,
                photo_error=_photo_problem(problem, viewer, settings),
                status_code=problem.status,
            )
        return see_other(_url(line_id, "uploaded", "#h-photos"))

    return await run_in_threadpool(store)


_PHOTO_REFUSALS: Final = (items.MissingPhoto, *items.PHOTO_REFUSALS)


def _photo_problem(problem: Problem, viewer: Viewer, settings: Settings) -> str:
    if isinstance(problem, items.PhotoLimitReached):
        return WORDS["limit_reached"](viewer.lang, count=settings.max_photos_per_line)
    return PHOTO_PROBLEMS[problem.instance_slug](viewer.lang)


@router.post("/workspace/product-lines/{line_id}/photos/{photo_id}/remove", dependencies=CSRF)
def remove_photo(
    viewer: AnyViewer, session: SessionDep, line_id: LineId, photo_id: PhotoId
) -> Response:
    items.remove_photo(
        session=session, actor=viewer.principal, product_line_id=line_id, public_id=photo_id
    )
    return see_other(_url(line_id, "removed", "#h-photos"))
