"""Sessions and forms of the workspace: the session cookie's flags, the CSRF token.

People sign in on ``/login`` (``labeling.accounts.router``), which sets the ``khatem_session``
cookie: a session token (``kind="session"``, only its SHA-256 stored) that is HttpOnly,
``SameSite=Strict``, ``Secure`` whenever the registry is served over HTTPS (or in
production), lives at most ``KHATEM_SESSION_TTL_HOURS`` and ends after
``KHATEM_SESSION_IDLE_MINUTES`` without use (``core.auth``). Bearer tokens work too (the
route walk uses them); machines should use the API.

CSRF: every state-changing workspace form carries a hidden ``csrf_token``, the HMAC-SHA-256
of a fixed label keyed by the session token itself. The session token is a 256-bit secret
that only the person's browser holds (in an HttpOnly cookie no other site can read or
send: SameSite), so the CSRF token is unguessable, differs per session, dies with the
session and needs no server-side state and no extra server secret. :func:`csrf_checked`
refuses a form without it or with a wrong one: 403 ``csrf-refused``, before the handler
runs, so nothing changes.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Final

from fastapi import Form, Request

from core.auth import SESSION_COOKIE
from core.problems import Forbidden
from core.settings import Settings

__all__ = [
    "CSRF_FIELD",
    "CsrfRefused",
    "csrf_checked",
    "csrf_token_for",
    "presented_token",
    "secure_cookies",
]

CSRF_FIELD: Final = "csrf_token"
_CSRF_LABEL: Final = b"khatem workspace form v1"


class CsrfRefused(Forbidden):
    slug = "csrf-refused"
    title = "The form's CSRF token is missing or wrong"


def presented_token(request: Request) -> str | None:
    """The credential the request carries: a bearer token, else the session cookie (the
    same order as ``core.auth``)."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(SESSION_COOKIE)


def csrf_token_for(token: str) -> str:
    """The CSRF token of the session whose token is ``token``."""
    return hmac.new(token.encode("utf-8", "replace"), _CSRF_LABEL, hashlib.sha256).hexdigest()


def csrf_checked(
    request: Request,
    csrf_token: Annotated[str | None, Form(max_length=128)] = None,
) -> None:
    """The dependency of every state-changing workspace route (after its audience guard,
    which ``core.auth`` runs first): the form must carry this session's token."""
    token = presented_token(request)
    if (
        token is None
        or not csrf_token
        or not hmac.compare_digest(
            csrf_token.encode("ascii", "replace"), csrf_token_for(token).encode("ascii")
        )
    ):
        raise CsrfRefused("Reload the page and send the form again.")


def secure_cookies(request: Request, settings: Settings) -> bool:
    """Whether cookies get ``Secure``: over HTTPS, behind a proxy whose public URL is HTTPS,
    and always in production."""
    return (
        request.url.scheme == "https"
        or settings.public_base_url.startswith("https://")
        or settings.is_production
    )
