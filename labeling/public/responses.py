"""How the public pages answer: HTML for a browser, problem+json for anyone else.

What every public route shares: its rate limit, the language query parameter, the page's
own URL (for the language links), the HTML response with its headers (and an ETag, and
304 when the client holds it), and a problem answered as an error page or as problem+json,
kept apart in caches (``Vary``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from core.problems import Problem, problem_response, problem_responses
from core.rate_limit import rate_limit
from verify.pages import (
    Lang,
    choose_language,
    etag_for,
    etag_matches,
    page_headers,
    render_error_page,
    wants_html,
)
from verify.pages.http import HTML_MEDIA_TYPE

__all__ = [
    "CERTIFICATE_CACHE",
    "HTML_OK",
    "PAGES",
    "LangQuery",
    "Responses",
    "conditional",
    "html_page",
    "negotiated_problem",
    "own_url",
    "page_language",
    "page_or_problem",
    "problem_answer",
]

#: The rate limit of every page (the bulk upload has its own).
PAGES = [Depends(rate_limit("pages"))]
Responses = dict[int | str, dict[str, Any]]
HTML_OK: Final[Responses] = {200: {"description": "The page", "content": {"text/html": {}}}}
#: How long a cache may keep a certificate's page or a serial's page.
CERTIFICATE_CACHE: Final = "public, max-age=60"

LangQuery = Annotated[
    str | None,
    Query(
        max_length=16,
        description="The page's language: fr, en, es or ar (anything else: Accept-Language, "
        "else French).",
    ),
]


def page_or_problem(status: int, description: str) -> Responses:
    """An error answered as a page to a browser and as problem+json to anyone else."""
    responses = problem_responses(status, descriptions={status: description})
    responses[status]["content"]["text/html"] = {}
    return responses


def page_language(request: Request, lang: str | None) -> Lang:
    """The ``lang`` asked for, else the best of ``Accept-Language``, else French."""
    return choose_language(lang, request.headers.get("accept-language"))


def own_url(request: Request) -> str:
    """The page's path and query, for its language links."""
    query = request.url.query
    return request.url.path + ("?" + query if query else "")


def html_page(
    html: str, lang: Lang, *, status: int = 200, cache: str = "no-store", etag: bool = False
) -> Response:
    """A page with the public pages' headers (CSP, language, caching; an ETag if asked)."""
    headers = page_headers(lang, cache_control=cache)
    if etag:
        headers["ETag"] = etag_for(html.encode())
    return Response(html, status_code=status, media_type=HTML_MEDIA_TYPE, headers=headers)


def conditional(request: Request, response: Response) -> Response:
    """304 Not Modified when the client already holds this representation."""
    etag = response.headers.get("etag")
    if etag and etag_matches(request.headers.get("if-none-match"), etag):
        keep = {"etag", "cache-control", "vary", "content-language"}
        headers = {k: v for k, v in response.headers.items() if k in keep}
        return Response(status_code=304, headers=headers)
    return response


#: A problem+json answer where the same URL may also answer a page or an image: caches
#: (a 404 is cacheable by default) must keep it apart from the other representations.
NEGOTIATED_PROBLEM: Final[dict[str, str]] = {
    "Vary": "Accept, Accept-Language",
    "X-Content-Type-Options": "nosniff",
}


def negotiated_problem(problem: Problem) -> Response:
    response = problem_response(problem)
    response.headers.update(NEGOTIATED_PROBLEM)
    return response


def problem_answer(
    request: Request, problem: Problem, lang: Lang, message: str, heading: str
) -> Response:
    """The problem as a page for a browser, as problem+json for an API client."""
    if wants_html(request.headers.get("accept")):
        page = render_error_page(
            lang=lang,
            message=message,
            slug=problem.instance_slug,
            heading_key=heading,
            self_url=own_url(request),
        )
        return html_page(page, lang, status=problem.status)
    return negotiated_problem(problem)
