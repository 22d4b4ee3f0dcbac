"""How a verdict is written on the wire: JSON, a GS1 linkset, and their cache validators.

Content negotiation for the label URL lives here too (``Accept`` → one of ``html``,
``json``, ``linkset``), memoised per header value because a handful of values cover
nearly every client.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, Literal

from verify.verdict import (
    CertificateFacts,
    Check,
    LabelFacts,
    Outcome,
    Overall,
    Verdict,
    remember,
)

__all__ = [
    "JSON",
    "LINKSET",
    "Representation",
    "bulk_body",
    "cache_control",
    "choose",
    "linkset_body",
    "verdict_body",
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
#: Printable ASCII that JSON writes as it is (no quote, no backslash).
_PLAIN_TEXT: Final = re.compile(r"[ !#-\[\]-~]*")
_AUTHENTIC: Final = Overall.AUTHENTIC
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(value: Any) -> bytes:
    return _dumps(value).encode()


def _time(at: datetime) -> bytes:
    """``at`` as verify.verdict writes times (ASCII); the few distinct instants of a busy
    second (its ``checked_at``, labels issued the same minute) are formatted once."""
    if at.microsecond:
        at = at.replace(microsecond=0)
    text = _TIMES.get(at)
    if text is None:
        text = at.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        remember(_TIMES, at, text, limit=_TEXT_CACHE_SIZE)
    return text


def _small_text(key: Hashable, value: Any, *, strip: bool = False) -> bytes:
    """``_json(value)`` for the few values that recur in every verdict (reasons, mode,
    extra members), cached under ``key``, which must determine ``value`` (and ``strip``:
    without the outer brackets)."""
    text = _SMALL_TEXT.get(key)
    if text is None:
        text = _json(value)[1:-1] if strip else _json(value)
        remember(_SMALL_TEXT, key, text, limit=_TEXT_CACHE_SIZE)
    return text


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


# The JSON of a verdict is assembled from UTF-8 fragments, most of them cached: a
# certificate's public facts (and their conformity part) as of one day, by the identity of
# the cached facts object (the registry source reuses one object until the certificate
# changes, so they are encoded once per certificate and day); checks by identity (most are
# the same objects scan after scan) or by value; recurring small values and times.
_CERTIFICATE_TEXT: dict[int, tuple[object, date, bytes, bytes]] = {}
_CHECK_BY_ID: dict[int, tuple[Check, bytes]] = {}
_TIMES: dict[datetime, bytes] = {}
_SMALL_TEXT: dict[Hashable, bytes] = {}
_EXTRA_BY_ID: dict[int, tuple[Mapping[str, Any], bytes]] = {}
_TEXT_CACHE_SIZE: Final = 4_096
#: Checks whose detail names the label itself (its log leaf): not worth caching.
_PER_LABEL_DETAIL: Final = frozenset({"log_inclusion"})


def _certificate_text(certificate: CertificateFacts, today: date) -> tuple[bytes, bytes]:
    """``certificate.to_dict(today=today)`` and its conformity part, as JSON."""
    found = _CERTIFICATE_TEXT.get(id(certificate))
    if found is not None and found[0] is certificate and found[1] == today:
        return found[2], found[3]
    text = _json(certificate.to_dict(today=today))
    conformity = _json(certificate.conformity.to_dict())
    entry = (certificate, today, text, conformity)
    remember(_CERTIFICATE_TEXT, id(certificate), entry, limit=_TEXT_CACHE_SIZE)
    return text, conformity


def _check_text(check: Check, conformity: bytes | None) -> bytes:
    """``check.to_dict()`` as JSON: found by identity for the checks that are the same
    objects scan after scan, built from a cached head for per-label details."""
    found = _CHECK_BY_ID.get(id(check))
    if found is not None and found[0] is check:
        return found[1]
    detail = check.detail
    if detail and check.name in _PER_LABEL_DETAIL:
        # Unique per label: only the head is cached.
        return _check_head(check)[:-1] + b',"detail":' + _flat_json(detail) + b"}"
    if not detail:
        text = _check_head(check)
    elif conformity is not None and check.name == "conformity" and check.outcome is _PASSED:
        # verify.verdict puts the certificate's conformity facts in this detail.
        text = _check_head(check)[:-1] + b',"detail":' + conformity + b"}"
    else:
        text = _json(check.to_dict())
    # The entry holds the check, so its id cannot be reused while the entry lives.
    remember(_CHECK_BY_ID, id(check), (check, text), limit=_TEXT_CACHE_SIZE)
    return text


def _flat_json(detail: Mapping[str, Any]) -> bytes:
    """``_json(dict(detail))`` for a detail of integers and plain ASCII texts (a log
    leaf's index, tree size and proof path), written directly; anything else encoded."""
    members = []
    for name, value in detail.items():
        if type(value) is int:
            members.append(_small_text(("member", name), name) + b":" + str(value).encode())
        elif type(value) is str and _PLAIN_TEXT.fullmatch(value):
            members.append(_small_text(("member", name), name) + b':"' + value.encode() + b'"')
        else:
            return _json(dict(detail))
    return b"{" + b",".join(members) + b"}"


def _check_head(check: Check) -> bytes:
    """The check without its detail, as JSON."""
    return _small_text(
        ("check", check.name, check.outcome, check.reason),
        {"name": check.name, "outcome": check.outcome.value, "reason": check.reason},
    )


def _label_text(label: LabelFacts) -> bytes:
    # Every field was validated by the label codec (digits, Crockford base32, hex, "C-"
    # code): ASCII, nothing to escape.
    return b"".join(
        (
            b'{"gtin":"',
            label.gtin.encode(),
            b'","serial":"',
            label.serial.encode(),
            b'","issued_at":"',
            _time(label.issued_at),
            b'","kid":"',
            label.kid.encode(),
            b'","certificate":"',
            label.certificate_code.encode(),
            b'"}',
        )
    )


def _verdict_parts(verdict: Verdict) -> list[bytes]:
    """``verdict.to_dict()`` as JSON fragments, ``checked_at`` (last) included: all but
    the last three fragments are the verdict without it. Equal, once joined and parsed,
    to ``to_dict()``."""
    certificate = verdict.certificate
    conformity: bytes | None = None
    if certificate is not None:
        certificate_text, conformity = _certificate_text(certificate, verdict.checked_at.date())
    else:
        certificate_text = b"null"
    label = verdict.label
    # An authentic verdict has no failure and no warning, so no reasons to list.
    reasons = () if verdict.verdict is _AUTHENTIC else verdict.reasons
    parts = [
        b'{"verdict":"',
        verdict.verdict.value.encode(),
        b'","reasons":',
        _small_text(("reasons", *reasons), list(reasons)) if reasons else b"[]",
        b',"checks":[',
        b",".join([_check_text(check, conformity) for check in verdict.checks]),
        b'],"label":',
        _label_text(label) if label is not None else b"null",
        b',"certificate":',
        certificate_text,
        b',"mode":',
        _small_text(("mode", verdict.mode), verdict.mode),
        b',"data_as_of":',
        b'"' + _time(verdict.data_as_of) + b'"' if verdict.data_as_of else b"null",
    ]
    if verdict.extra:
        parts += [b",", _extra_text(verdict.extra)]
    parts += [b',"checked_at":"', _time(verdict.checked_at), b'"}']
    return parts


def _extra_text(extra: Mapping[str, Any]) -> bytes:
    """The members of ``extra`` as JSON (without the braces). A mapping the service reuses
    (its catalogue ``assumptions``) is found by identity; texts and sequences of texts by
    value; any other value is encoded afresh."""
    found = _EXTRA_BY_ID.get(id(extra))
    if found is not None and found[0] is extra:
        return found[1]
    key: list[Hashable] = ["extra"]
    for name, value in extra.items():
        if type(value) is str:
            key.append((name, value))
        elif type(value) in (list, tuple) and all(type(item) is str for item in value):
            key.append((name, tuple(value)))  # a list and a tuple write the same JSON
        else:
            return _json(dict(extra))[1:-1]
    text = _small_text(tuple(key), dict(extra), strip=True)
    if type(extra) is MappingProxyType:  # the service's, over a dict nobody else holds
        remember(_EXTRA_BY_ID, id(extra), (extra, text), limit=_TEXT_CACHE_SIZE)
    return text


def _etag(data: bytes | memoryview) -> str:
    # SHA-256 (hardware-accelerated on current CPUs: faster than BLAKE2 here), 96 bits.
    return 'W/"' + hashlib.sha256(data).hexdigest()[:24] + '"'


def verdict_body(verdict: Verdict) -> tuple[bytes, str]:
    """The verdict as JSON bytes and its weak ETag.

    The ETag covers everything but ``checked_at`` (the instant of the check), so a client
    revalidating an unchanged verdict gets 304; ``checked_at`` goes last in the body.
    """
    parts = _verdict_parts(verdict)
    body = b"".join(parts)
    checked_at = len(parts[-3]) + len(parts[-2]) + len(parts[-1])
    return body, _etag(memoryview(body)[:-checked_at])


def bulk_body(verdicts: Sequence[Verdict]) -> bytes:
    """``{"count": n, "verdicts": [...]}``, one verdict per submitted label, in order."""
    texts = [b"".join(_verdict_parts(verdict)) for verdict in verdicts]
    return b'{"count":' + str(len(texts)).encode() + b',"verdicts":[' + b",".join(texts) + b"]}"


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
    body = _dumps({"linkset": [entry]}).encode()
    return body, _etag(body)
