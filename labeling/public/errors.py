"""The public pages' problems (problem+json for API clients; a page for browsers)."""

from __future__ import annotations

from core.problems import NotFound, PayloadTooLarge, Problem, UnprocessableContent
from verify.pages import BulkFileError

__all__ = ["CertificateNotFound", "PrintedLabelNotFound", "bulk_problem"]


class CertificateNotFound(NotFound):
    slug = "certificate-not-found"
    title = "No certificate has this code"


class PrintedLabelNotFound(NotFound):
    slug = "printed-label-not-found"
    title = "No label has this serial"


def bulk_problem(error: BulkFileError) -> Problem:
    """The problem+json of an upload the bulk page cannot read (same slug as the page)."""
    kind = PayloadTooLarge if error.status == 413 else UnprocessableContent
    return kind(error.message("en"), slug=error.slug, title=error.message("en"), **error.values)
