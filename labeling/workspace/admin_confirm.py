"""The confirmation step of the administrator's decisions that cannot be undone (suspend,
reinstate or withdraw a certificate; revoke one label or a whole batch).

Each has a page of its own that needs no JavaScript: what the decision does (its effects,
which the button names through ``aria-describedby``), the reason codes of the API, the
button that records it and a way back. :func:`confirmation_page` draws that page;
:func:`decided` runs the decision when it is sent and either goes on to the page that shows
the result or draws the confirmation again with what went wrong (a missing reason, a
decision no longer possible because someone else decided first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Response
from pydantic import ValidationError
from sqlmodel import Session

from core.problems import Conflict
from labeling.workspace.admin_words import WORDS
from labeling.workspace.i18n import Text
from labeling.workspace.routing import FormErrors, Viewer, form_errors, page, see_other
from schemas.certificates_api import CertificatePublic

__all__ = ["Confirmation", "confirmation_page", "decided", "reason_choices"]


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What one confirmation page says and where its form goes."""

    heading: str
    effects: Sequence[str]
    action: str
    cancel: str
    reasons: Sequence[tuple[str, str]]
    free_text: bool = False


def reason_choices(reasons: Mapping[Any, Text], viewer: Viewer) -> list[tuple[str, str]]:
    """The API's reason codes with their words, as a select's choices."""
    return [(str(code), text(viewer.lang)) for code, text in reasons.items()]


def confirmation_page(
    viewer: Viewer,
    confirm: Confirmation,
    *,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    certificate: CertificatePublic | None = None,
) -> Response:
    """The page (with the ``certificate``'s card when a certificate is decided on)."""
    return page(
        viewer,
        "admin/confirm.html",
        status_code=status_code,
        words=WORDS,
        confirm=confirm,
        values=values or {},
        errors=errors or FormErrors(),
        certificate=certificate,
    )


Again = Callable[[FormErrors, int], Response]


def decided(
    viewer: Viewer,
    session: Session,
    decide: Callable[[], str],
    again: Again,
    *,
    conflict: Callable[[Conflict], str],
    field_of: Callable[[tuple[Any, ...]], str | None] | None = None,
) -> Response:
    """Run ``decide`` (it validates the form into the API's input and calls the service,
    then names the page to go to); on a refusal draw the confirmation ``again`` with the
    errors: the form's (422), or ``conflict``'s sentence for a decision no longer possible.
    Any other problem (not found, forbidden) is the error page, as everywhere."""
    try:
        target = decide()
    except ValidationError as exc:
        return again(form_errors(viewer.lang, validation=exc, field_of=field_of), 422)
    except Conflict as problem:
        session.rollback()
        return again(FormErrors(message=conflict(problem)), problem.status)
    return see_other(target)
