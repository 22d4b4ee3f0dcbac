"""What the body administrator's page modules share: path and form parameters, list sizes,
the page call with the administrator's words, and the catalogue's choices and names."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Form, Path, Response
from sqlmodel import Session

from labeling.catalog.names import catalogue_names
from labeling.registry import catalog as catalogue
from labeling.workspace import messages
from labeling.workspace.admin_words import PROBLEMS, WORDS
from labeling.workspace.i18n import WLang
from labeling.workspace.routing import Cursor, Viewer, page
from schemas.accounts import UserAccount
from schemas.audits_api import MAX_ROW_ID

__all__ = [
    "HOME_SIZE",
    "LIST_SIZE",
    "Cursor",
    "FormText",
    "LabelId",
    "RowId",
    "actor_names",
    "admin_page",
    "crafts",
    "regions",
]

# The services' refusals these pages meet, in words (the sentences already there stay).
for _slug, _text in PROBLEMS.items():
    messages.PROBLEMS.setdefault(_slug, _text)

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
LabelId = Annotated[int, Path(ge=1, le=2**63 - 1)]
FormText = Annotated[str | None, Form(max_length=4000)]
LIST_SIZE: Final = 20
HOME_SIZE: Final = 10


def admin_page(viewer: Viewer, template: str, **values: Any) -> Response:
    """A page in the administrator's words (``status_code=`` as :func:`~.routing.page`)."""
    return page(viewer, template, words=WORDS, **values)


def actor_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Display names of the accounts that made decisions (shown in a history)."""
    names = {}
    for user_id in ids:
        user = session.get(UserAccount, user_id)
        names[user_id] = user.display_name if user is not None else f"#{user_id}"
    return names


def regions(session: Session, lang: WLang) -> list[tuple[str, str]]:
    names = catalogue_names()
    return [
        (r.code, names.name("region", r.code, r.name, lang).text)
        for r in catalogue.list_regions(session=session)
    ]


def crafts(session: Session) -> list[tuple[str, str]]:
    return [(f.code, f"{f.code} — {f.name}") for f in catalogue.list_filieres(session=session)]
