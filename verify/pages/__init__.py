"""The public pages: the verdict a buyer reads, certificate pages and badges, bulk checks.

Pure rendering (no database, no web framework): the routes in ``labeling.public`` and the
label route fetch the facts and call these. Four languages (French by default, English,
Spanish, Arabic right to left), no third-party resource, no JavaScript.

* :func:`render_label_page` — the verdict of one scanned label;
* :func:`render_certificate_page` and :func:`render_badge_svg` — a certificate's public page
  and its embeddable badge;
* :func:`render_home_page`, :func:`render_bulk_page`, :func:`render_error_page`,
  :func:`render_login_page`;
* :func:`choose_language`, :func:`page_headers` (CSP and caching) for the routes;
* :func:`read_upload` / :func:`results_csv` — the bulk CSV in and out;
  :func:`repeated_serials` — the serials a bulk check saw more than once.
"""

from verify.pages.badge import render_badge_svg
from verify.pages.bulk import render_bulk_page
from verify.pages.bulk_csv import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    BulkFileError,
    csv_bytes,
    read_scans,
    read_upload,
    results_csv,
)
from verify.pages.copies import repeated_serials
from verify.pages.http import (
    BADGE_HEADERS,
    CONTENT_SECURITY_POLICY,
    etag_for,
    etag_matches,
    page_headers,
    wants_html,
)
from verify.pages.i18n import DEFAULT_LANGUAGE, LANGUAGES, Lang, choose_language, direction
from verify.pages.render import (
    CertificatePage,
    render_certificate_page,
    render_error_page,
    render_home_page,
    render_label_page,
    render_login_page,
)

__all__ = [
    "BADGE_HEADERS",
    "CONTENT_SECURITY_POLICY",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "BulkFileError",
    "CertificatePage",
    "Lang",
    "choose_language",
    "csv_bytes",
    "direction",
    "etag_for",
    "etag_matches",
    "page_headers",
    "read_scans",
    "read_upload",
    "render_badge_svg",
    "render_bulk_page",
    "render_certificate_page",
    "render_error_page",
    "render_home_page",
    "render_label_page",
    "render_login_page",
    "repeated_serials",
    "results_csv",
    "wants_html",
]
