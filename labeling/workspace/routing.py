"""How a workspace route is declared: its audience, its viewer, its pages and refusals.

* ``router = workspace_router()`` — an ``APIRouter`` whose routes are hidden from the API
  document and answer with pages (:class:`WorkspaceRoute`);
* the handler takes a viewer of its audience, e.g. ``viewer: InspectorViewer``: that is its
  ``allow()`` guard (``core.auth``, deny by default; the route walk covers it), and gives the
  person's name, role, language and CSRF token;
* a state-changing route adds ``dependencies=CSRF`` (:func:`~.security.csrf_checked`);
* it calls the same service functions as the API and answers :func:`page` (HTML) or
  :func:`see_other` (303 after a successful POST).

Refusals become pages, never JSON: a missing or dead session → 303 to
``/login?next=…&lang=…``; any other problem a guard, a dependency or a service raises (wrong
role 403, another body's record 404, CSRF 403, …) → an error page in the person's language
that says what to do next (:data:`~.messages.PROBLEMS`). A handler that wants a refusal on
its form instead catches the problem and re-renders the form with :func:`form_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Final
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.problems import NotFound, Problem, Unauthorized, UnprocessableContent
from labeling.workspace.i18n import (
    LANGUAGE_COOKIE,
    Text,
    WLang,
    choose_language,
    remember_language,
)
from labeling.workspace.messages import FIELD_ERRORS, PROBLEMS, STATUS_PROBLEMS, WORDS
from labeling.workspace.nav import NAV, current_item
from labeling.workspace.render import Chrome, Script, page_headers, render
from labeling.workspace.security import (
    csrf_checked,
    csrf_token_for,
    presented_token,
    secure_cookies,
)
from schemas.accounts import UserAccount
from schemas.types import Role

__all__ = [
    "CSRF",
    "Cursor",
    "AdminViewer",
    "AnyViewer",
    "ArtisanViewer",
    "FormErrors",
    "InspectorViewer",
    "StaffViewer",
    "Viewer",
    "WorkspaceRoute",
    "form_errors",
    "page",
    "problem_text",
    "request_language",
    "see_other",
    "sign_in_url",
    "viewer_of",
    "workspace_router",
]

#: ``dependencies=CSRF`` on every route that changes something.
CSRF: Final = [Depends(csrf_checked)]
#: A list page's ``cursor`` (a keyset position, ``core.keyset``; opaque, URL-safe).
Cursor = Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


def request_language(request: Request) -> WLang:
    return choose_language(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )


def _self_url(request: Request) -> str:
    query = request.url.query
    return request.url.path + ("?" + query if query else "")


def _form_page(request: Request) -> str:
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.scheme == request.url.scheme and referer.netloc == request.url.netloc
    if same_site and (referer.path == "/workspace" or referer.path.startswith("/workspace/")):
        return referer.path + ("?" + referer.query if referer.query else "")
    return "/workspace"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person looking at a page: who, in which language, with which CSRF token."""

    principal: Principal
    name: str
    lang: WLang
    csrf: str
    self_url: str
    #: the language to remember (a ``?lang=`` that differs from the cookie), if any
    remember: WLang | None = None
    secure: bool = False

    @property
    def role(self) -> str:
        return self.principal.role.value


def viewer_of(*roles: Role) -> Callable[..., Viewer]:
    """The dependency that admits ``roles`` (``allow()``) and describes the viewer."""
    guard = allow(*roles)

    def viewer(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        # A default, not an ``Annotated`` hint: ``guard`` is local, and FastAPI evaluates
        # string annotations in the module's globals.
        principal: Principal = Depends(guard),  # noqa: B008
    ) -> Viewer:
        user = session.get(UserAccount, principal.user_id)
        token = presented_token(request) or ""
        lang = request_language(request)
        asked = request.query_params.get("lang")
        remember = lang if asked == lang and request.cookies.get(LANGUAGE_COOKIE) != lang else None
        return Viewer(
            principal=principal,
            name=user.display_name if user is not None else "",
            lang=lang,
            csrf=csrf_token_for(token),
            self_url=_self_url(request),
            remember=remember,
            secure=secure_cookies(request, settings),
        )

    viewer.__name__ = f"viewer_{'_'.join(sorted(r.value for r in roles))}"
    return viewer


InspectorViewer = Annotated[Viewer, Depends(viewer_of(Role.INSPECTOR))]
AdminViewer = Annotated[Viewer, Depends(viewer_of(Role.ADMIN))]
ArtisanViewer = Annotated[Viewer, Depends(viewer_of(Role.ARTISAN))]
StaffViewer = Annotated[Viewer, Depends(viewer_of(Role.ADMIN, Role.INSPECTOR))]
AnyViewer = Annotated[Viewer, Depends(viewer_of(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]


@dataclass(frozen=True, slots=True)
class NavLink:
    label: str | Text
    href: str
    current: bool


def _nav(role: Role, path: str) -> list[NavLink]:
    items = NAV.get(role, ())
    current = current_item(items, path)
    return [NavLink(item.words, item.href, item is current) for item in items]


def page(
    viewer: Viewer,
    template: str,
    *,
    status_code: int = 200,
    scripts: Sequence[Script] = (),
    words: Mapping[str, Text] | None = None,
    **values: Any,
) -> HTMLResponse:
    """A workspace page for ``viewer`` (chrome, navigation, headers, language cookie)."""
    chrome = Chrome(
        lang=viewer.lang,
        self_url=viewer.self_url,
        viewer=viewer,
        nav=_nav(viewer.principal.role, viewer.self_url.split("?", 1)[0]),
        scripts=scripts,
        words=words or {},
    )
    html = render(template, chrome, **values)
    response = HTMLResponse(
        html, status_code=status_code, headers=page_headers(viewer.lang, scripts)
    )
    if viewer.remember is not None:
        remember_language(response, viewer.remember, secure=viewer.secure)
    return response


def see_other(url: str) -> RedirectResponse:
    """The answer to a successful POST: 303 to the page that shows the result."""
    return RedirectResponse(url, status_code=303)


def sign_in_url(request: Request) -> str:
    """``/login`` with the page to come back to and the person's language. After a form
    (a POST address has no page to show) that is the page the form was on, when the
    browser says so and it is a workspace page of this site; else the workspace home."""
    target = _self_url(request) if request.method == "GET" else _form_page(request)
    query = urlencode({"next": target, "lang": request_language(request)}, quote_via=quote)
    return "/login?" + query


# --- Errors in words ---------------------------------------------------------------------


def problem_text(problem: Problem, lang: WLang) -> str:
    """What the person reads about ``problem``: its own sentence, else its status's."""
    text = PROBLEMS.get(problem.instance_slug)
    if text is None:
        generic = STATUS_PROBLEMS.get(problem.status) or STATUS_PROBLEMS[400]
        return generic[1](lang)
    values = {k: v for k, v in problem.extra.items() if isinstance(v, str | int | float)}
    try:
        return text(lang, **values)
    except (KeyError, IndexError):
        return STATUS_PROBLEMS.get(problem.status, STATUS_PROBLEMS[400])[1](lang)


@dataclass
class FormErrors:
    """A form's refusal: a sentence for the whole form, and one per field that failed."""

    message: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.message or self.fields)

    def of(self, name: str) -> str | None:
        return self.fields.get(name)


def _field_message(error: Mapping[str, Any], lang: WLang) -> str:
    kind = str(error.get("type", ""))
    text = FIELD_ERRORS.get(kind) or FIELD_ERRORS["value_error"]
    context = error.get("ctx") or {}
    limit = context.get("max_length", context.get("le", ""))
    return text(lang, limit=limit) if "{limit}" in text.fr else text(lang)


def form_errors(
    lang: WLang,
    *,
    problem: Problem | None = None,
    validation: ValidationError | None = None,
    field_of: Callable[[tuple[Any, ...]], str | None] | None = None,
    problem_field: str | None = None,
) -> FormErrors:
    """A form's errors from a service's ``problem`` (beside ``problem_field`` if given) or
    from the ``validation`` of its input model (``field_of`` maps an error's ``loc`` to the
    form field's name; by default the first element of ``loc``)."""
    errors = FormErrors()
    if validation is not None:
        for error in validation.errors():
            loc = tuple(error.get("loc", ()))
            name = field_of(loc) if field_of else (str(loc[0]) if loc else None)
            message = _field_message(error, lang)
            if name:
                errors.fields.setdefault(name, message)
            elif errors.message is None:
                errors.message = message
        if errors.fields and errors.message is None:
            errors.message = WORDS["form_has_errors"](lang)
    if problem is not None:
        text = problem_text(problem, lang)
        if problem_field:
            errors.fields[problem_field] = text
            errors.message = WORDS["form_has_errors"](lang)
        else:
            errors.message = text
    return errors


def _error_page(request: Request, problem: Problem) -> HTMLResponse:
    lang = request_language(request)
    heading = (STATUS_PROBLEMS.get(problem.status) or STATUS_PROBLEMS[400])[0](lang)
    token = presented_token(request)
    chrome = Chrome(lang=lang, self_url=_self_url(request))
    html = render(
        "error.html",
        chrome,
        heading=heading,
        message=problem_text(problem, lang),
        slug=problem.instance_slug,
        logout_csrf=csrf_token_for(token) if token else None,
    )
    headers = page_headers(lang)
    headers.update({k: v for k, v in problem.headers.items() if k.lower() != "www-authenticate"})
    return HTMLResponse(html, status_code=problem.status, headers=headers)


def _from_validation(exc: RequestValidationError) -> Problem:
    if any(tuple(error.get("loc", ()))[:1] == ("path",) for error in exc.errors()):
        return NotFound()
    return UnprocessableContent()


class WorkspaceRoute(APIRoute):
    """A route whose refusals are pages (see the module doc)."""

    #: Read by the route walk (tests/security/walk.py): refusals are pages and redirects.
    answers_pages: bool = True

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthorized:
                return RedirectResponse(sign_in_url(request), status_code=303)
            except Problem as problem:
                return _error_page(request, problem)
            except RequestValidationError as exc:
                return _error_page(request, _from_validation(exc))

        return handle


def workspace_router(**kwargs: Any) -> APIRouter:
    """A router of workspace pages (hidden from the API document)."""
    return APIRouter(route_class=WorkspaceRoute, include_in_schema=False, **kwargs)
