"""How a verdict is written on the wire: JSON, a GS1 linkset, and their cache validators.

Content negotiation for the label URL lives here too (``Accept`` → one of ``html``,
``json``, ``linkset``), memoised per header value because a handful of values cover
nearly every client.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final, Literal

from verify.verdict import CertificateFacts, Check, LabelFacts, Outcome, Verdict

__all__ = [
    "JSON",
    "LINKSET",
    "Representation",
    "bulk_body",
    "cache_control",
    "choose",
    "linkset_body",
    "verdict_body",
    "verdict_text",
]

JSON: Final = "application/json"
LINKSET: Final = "application/linkset+json"
HTML: Final = "text/html"
Representation = Literal["html", "json", "linkset"]

#: GS1 Web Vocabulary link types, in the expanded form resolvers write in a linkset.
GS1_VOC: Final = "https://gs1.org/voc/"
CERTIFICATION_INFO: Final = GS1_VOC + "certificationInfo"
PIP: Final = GS1_VOC + "pip"
DEFAULT_LINK: Final = GS1_VOC + "defaultLink"
#: Khatem's own link type for the machine-readable verdict.
VERIFICATION_SERVICE: Final = GS1_VOC + "verificationService"

#: A verdict may change the moment a body suspends a certificate, so shared caches keep it
#: briefly; a verdict that rests on the input alone (malformed, tampered) never changes.
VERDICT_MAX_AGE: Final = 30
INPUT_VERDICT_MAX_AGE: Final = 86_400

_OFFERS: Final[dict[str, Representation]] = {HTML: "html", JSON: "json", LINKSET: "linkset"}
_CHOICES: dict[str, Representation] = {}
_PASSED: Final = Outcome.PASSED
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")  # as verify.verdict writes times


def choose(accept: str | None) -> Representation:
    """The representation ``Accept`` prefers (q-values honoured; HTML by default)."""
    if not accept:
        return "html"
    found = _CHOICES.get(accept)
    if found is None:
        found = _negotiate(accept)
        if len(_CHOICES) < 256:
            _CHOICES[accept] = found
    return found


def _negotiate(accept: str) -> Representation:
    best: tuple[float, int, int] = (-1.0, -1, 0)
    choice: Representation = "html"
    for position, part in enumerate(accept.split(",")[:32]):
        media, *params = (item.strip() for item in part.split(";"))
        media = media.lower()
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0.0 < quality <= 1.0:
            continue
        if media in _OFFERS:
            candidates = [(media, 2)]
        elif media in ("*/*", "application/*", "text/*"):
            candidates = [(HTML, 0)] if media != "application/*" else [(JSON, 0)]
        else:
            continue
        for offer, specificity in candidates:
            rank = (quality, specificity, -position)
            if rank > best:
                best, choice = rank, _OFFERS[offer]
    return choice


#: JSON text of a certificate's public facts (and of its conformity) as of one day, by the
#: identity of the cached facts object (the registry source reuses one object until the
#: certificate changes, so these are computed once per certificate and day).
_CERTIFICATE_TEXT: dict[int, tuple[object, date, str, str]] = {}
_CHECK_TEXT: dict[tuple[object, ...], str] = {}
_TEXT_CACHE_SIZE: Final = 4_096
#: Checks whose detail names the label itself (its log leaf): not worth caching.
_PER_LABEL_DETAIL: Final = frozenset({"log_inclusion"})


def _certificate_text(certificate: CertificateFacts, today: date) -> tuple[str, str]:
    """``certificate.to_dict(today=today)`` and its conformity part, as JSON text."""
    found = _CERTIFICATE_TEXT.get(id(certificate))
    if found is not None and found[0] is certificate and found[1] == today:
        return found[2], found[3]
    text = _dumps(certificate.to_dict(today=today))
    conformity = _dumps(certificate.conformity.to_dict())
    if len(_CERTIFICATE_TEXT) >= _TEXT_CACHE_SIZE:
        _CERTIFICATE_TEXT.clear()
    _CERTIFICATE_TEXT[id(certificate)] = (certificate, today, text, conformity)
    return text, conformity


def _check_text(check: Check, conformity: str | None) -> str:
    """``check.to_dict()`` as JSON text; repeated shapes come from a small cache."""
    detail = check.detail
    if detail and conformity is not None and check.name == "conformity":
        if check.outcome is _PASSED:
            # verify.verdict puts the certificate's conformity facts in this detail.
            return (
                '{"name":"conformity","outcome":"passed","reason":'
                + _dumps(check.reason)
                + ',"detail":'
                + conformity
                + "}"
            )
    if detail and check.name in _PER_LABEL_DETAIL:
        return _dumps(check.to_dict())  # unique per label: caching would only churn
    try:
        key = (
            (check.name, check.outcome, check.reason, *detail.items())
            if detail
            else (check.name, check.outcome, check.reason)
        )
        text = _CHECK_TEXT.get(key)
    except TypeError:  # a detail value that cannot be a key (a list): no caching
        return _dumps(check.to_dict())
    if text is None:
        text = _dumps(check.to_dict())
        if len(_CHECK_TEXT) >= _TEXT_CACHE_SIZE:
            _CHECK_TEXT.clear()
        _CHECK_TEXT[key] = text
    return text


def _label_text(label: LabelFacts) -> str:
    # Every field was validated by the label codec (digits, Crockford base32, hex, "C-"
    # code): nothing to escape.
    return (
        '{"gtin":"'
        + label.gtin
        + '","serial":"'
        + label.serial
        + '","issued_at":"'
        + _time(label.issued_at)
        + '","kid":"'
        + label.kid
        + '","certificate":"'
        + label.certificate_code
        + '"}'
    )


def verdict_text(verdict: Verdict) -> tuple[str, str]:
    """``verdict.to_dict()`` as JSON text, split before ``checked_at``: the text without
    it (closed), and the ``checked_at`` value. Equal, once parsed, to ``to_dict()``."""
    certificate = verdict.certificate
    conformity: str | None = None
    if certificate is not None:
        certificate_text, conformity = _certificate_text(certificate, verdict.checked_at.date())
    else:
        certificate_text = "null"
    label = verdict.label
    parts = [
        '{"verdict":"',
        verdict.verdict.value,
        '","reasons":',
        _dumps(list(verdict.reasons)),
        ',"checks":[',
        ",".join([_check_text(check, conformity) for check in verdict.checks]),
        '],"label":',
        _label_text(label) if label is not None else "null",
        ',"certificate":',
        certificate_text,
        ',"mode":',
        _dumps(verdict.mode),
        ',"data_as_of":',
        _dumps(_time(verdict.data_as_of)) if verdict.data_as_of else "null",
    ]
    if verdict.extra:
        extra = _dumps(dict(verdict.extra))
        if extra != "{}":
            parts += [",", extra[1:-1]]
    parts.append("}")
    return "".join(parts), _time(verdict.checked_at)


def _etag(text: str) -> str:
    return 'W/"' + hashlib.blake2b(text.encode(), digest_size=12).hexdigest() + '"'


def verdict_body(verdict: Verdict) -> tuple[bytes, str]:
    """The verdict as JSON bytes and its weak ETag.

    The ETag covers everything but ``checked_at`` (the instant of the check), so a client
    revalidating an unchanged verdict gets 304; ``checked_at`` goes last in the body.
    """
    text, checked_at = verdict_text(verdict)
    body = text[:-1] + ',"checked_at":"' + checked_at + '"}'
    return body.encode(), _etag(text)


def bulk_body(verdicts: Sequence[Verdict]) -> bytes:
    """``{"count": n, "verdicts": [...]}``, one verdict per submitted label, in order."""
    texts = []
    for verdict in verdicts:
        text, checked_at = verdict_text(verdict)
        texts.append(text[:-1] + ',"checked_at":"' + checked_at + '"}')
    return ('{"count":' + str(len(texts)) + ',"verdicts":[' + ",".join(texts) + "]}").encode()


def rests_on_input(verdict: Verdict) -> bool:
    """Whether the verdict follows from the label text alone (a parse failure)."""
    return verdict.label is None


def cache_control(verdict: Verdict) -> str:
    age = INPUT_VERDICT_MAX_AGE if rests_on_input(verdict) else VERDICT_MAX_AGE
    return f"public, max-age={age}"


def linkset_body(
    verdict: Verdict, *, base_url: str, label_url: str, languages: Sequence[str]
) -> tuple[bytes, str]:
    """A GS1 Digital Link linkset (RFC 9264, ``application/linkset+json``) for the label.

    The anchor is the label's GS1 Digital Link on this registry; ``pip`` and the default
    link go to the human verification page (the label URL itself, which verifies the
    signature it carries), ``certificationInfo`` to the public certificate page when the
    label is genuine enough for its certificate to be known.
    """
    base = base_url.rstrip("/")
    label = verdict.label
    anchor = f"{base}/01/{label.gtin}/21/{label.serial}" if label else label_url
    page = {"href": label_url, "type": HTML, "hreflang": list(languages), "title": "Verification"}
    entry: dict[str, Any] = {
        "anchor": anchor,
        DEFAULT_LINK: [page],
        PIP: [page],
        VERIFICATION_SERVICE: [
            {"href": label_url, "type": JSON, "title": f"Verdict: {verdict.verdict.value}"}
        ],
    }
    certificate = verdict.certificate
    if certificate is not None:
        entry[CERTIFICATION_INFO] = [
            {
                "href": f"{base}/certificates/{certificate.code}",
                "type": HTML,
                "title": f"{certificate.conformity.scheme_name} — {certificate.code}",
            }
        ]
    text = _dumps({"linkset": [entry]})
    return text.encode(), _etag(text)
