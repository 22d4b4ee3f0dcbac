"""The report form's time token: signed, stateless, bound to one label.

The page that shows the form puts ``<issued-at>.<hmac>`` in a hidden field, the HMAC-SHA-256
of ``"report-form v1|<gtin>|<serial>|<issued-at>"`` under the form secret
(``KHATEM_REPORT_FORM_SECRET``, else a key derived with HKDF from the registry's shared
secret, :func:`labeling.registry.secrets.derived_key`: every worker of the registry, on
any server and after any restart, derives the same one, so a form shown by one worker may
be sent to another). A form sent back sooner
than ``report_form_min_seconds`` after it was shown (a robot that fills forms as it reads
them), later than ``report_form_max_age_seconds``, for another label, or with a token that
does not verify, is refused; nothing is stored to check it. It is also the form's defence
against cross-site posts: another site cannot read the page to get a fresh token.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Final

from core.problems import UnprocessableContent
from core.settings import Settings
from labeling.registry.secrets import derived_key

__all__ = ["FormRefused", "issue_token", "check_token"]

_LABEL: Final = "report-form v1"


class FormRefused(UnprocessableContent):
    slug = "report-form-refused"
    title = "The report form was sent too soon, too late, or not from its page"


def _key(settings: Settings) -> bytes:
    if settings.report_form_secret:
        return settings.report_form_secret.encode()
    return derived_key(settings.resolved_database_url, _LABEL.encode())


def _mac(settings: Settings, gtin: str, serial: str, issued: int) -> str:
    message = f"{_LABEL}|{gtin}|{serial}|{issued}".encode()
    return hmac.new(_key(settings), message, hashlib.sha256).hexdigest()


def issue_token(settings: Settings, gtin: str, serial: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    return f"{issued}.{_mac(settings, gtin, serial, issued)}"


def check_token(
    settings: Settings, token: str | None, gtin: str, serial: str, now: float | None = None
) -> None:
    """Nothing if the token is this label's, old enough and young enough; else 422."""
    issued_text, _, mac = (token or "").partition(".")
    if not issued_text.isdigit() or len(issued_text) > 12 or len(mac) != 64:
        raise FormRefused("Open the report form from the label's page and send it again.")
    issued = int(issued_text)
    expected = _mac(settings, gtin, serial, issued)
    if not hmac.compare_digest(mac.encode("ascii", "replace"), expected.encode("ascii")):
        raise FormRefused("Open the report form from the label's page and send it again.")
    age = (now if now is not None else time.time()) - issued
    if age < settings.report_form_min_seconds:
        raise FormRefused("The form was sent too quickly; wait a few seconds and send it again.")
    if age > settings.report_form_max_age_seconds:
        raise FormRefused("The form is too old; open it again from the label's page.")
