"""How a verdict reads in a terminal, and the exit code it gives ``khatem verify``.

Exit codes (docs/offline-verification.md): 0 AUTHENTIC, 10 AUTHENTIC_WITH_WARNINGS, 11
SUSPENDED, 12 REVOKED, 13 INVALID, 14 UNKNOWN, 15 SUSPICIOUS, 3 nothing could be verified.
A photo of several labels exits with the code of the worst verdict among them
(:data:`SEVERITY`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from verify.item import ItemFacts
from verify.verdict import Overall

__all__ = [
    "EXIT_CODES",
    "EXIT_NOT_VERIFIED",
    "SEVERITY",
    "item_line",
    "photo_exit_code",
    "render",
    "render_photo",
]

#: Exit code per verdict.
EXIT_CODES: Final[dict[str, int]] = {
    Overall.AUTHENTIC.value: 0,
    Overall.AUTHENTIC_WITH_WARNINGS.value: 10,
    Overall.SUSPENDED.value: 11,
    Overall.REVOKED.value: 12,
    Overall.INVALID.value: 13,
    Overall.UNKNOWN.value: 14,
    Overall.SUSPICIOUS.value: 15,
}
#: The verdicts from the worst to the best: a photo of several labels exits with the code
#: of the worst verdict among them (0 only when every label is AUTHENTIC).
SEVERITY: Final = (
    Overall.INVALID.value,
    Overall.REVOKED.value,
    Overall.SUSPENDED.value,
    Overall.SUSPICIOUS.value,
    Overall.UNKNOWN.value,
    Overall.AUTHENTIC_WITH_WARNINGS.value,
    Overall.AUTHENTIC.value,
)
#: Nothing could be verified (setup, network, unreadable input).
EXIT_NOT_VERIFIED: Final = 3

_MEANING: Final[dict[str, str]] = {
    "AUTHENTIC": "Genuine Khatem label; every check passed.",
    "AUTHENTIC_WITH_WARNINGS": "Genuine Khatem label, but read the warnings below.",
    "SUSPENDED": "The label or its certificate is suspended.",
    "REVOKED": "The label is revoked or its certificate withdrawn.",
    "INVALID": "Not a genuine Khatem label.",
    "UNKNOWN": "Cannot be decided with the data at hand.",
}


def item_line(item: dict[str, Any]) -> str:
    """What the label belongs to, in one line: name, craft, materials, size."""
    facts = ItemFacts.model_validate(item)
    size = facts.size.english() if facts.size else None
    parts = [facts.name, facts.sentence_craft, ", ".join(facts.materials) or None, size]
    photos = f"  ({len(facts.photos)} photo(s) online)" if facts.photos else ""
    return ", ".join(part for part in parts if part) + photos


def render(data: dict[str, Any]) -> str:
    """A verdict (as JSON-ready data) for a person reading a terminal."""
    lines = [f"{data['verdict']}  ({data.get('mode', '?')})  {_MEANING.get(data['verdict'], '')}"]
    label = data.get("label")
    if label:
        lines.append(
            f"  label        GTIN {label['gtin']}  serial {label['serial']}  "
            f"issued {label['issued_at']}  key {label['kid']}"
        )
    certificate = data.get("certificate")
    if certificate:
        artisan = certificate["artisan"]
        scheme = certificate["conformity"]["scheme"]
        level = f" level {scheme['level']}" if scheme.get("level") is not None else ""
        lines.append(
            f"  certificate  {certificate['code']} {certificate['status']}  "
            f"{scheme['name']}{level}  valid {certificate['valid_from']} .. "
            f"{certificate['valid_until']}"
        )
        lines.append(
            f"  artisan      {artisan['display_name_latin']} / {artisan['display_name_arabic']}"
            f"  {artisan['region']['name']}  {artisan['craft']}"
        )
    item = data.get("item")
    if item:
        lines.append(f"  item         {item_line(item)}")
        lines.append("               check that it matches the item in front of you")
    for check in data.get("checks", []):
        mark = {"passed": "ok", "failed": "FAIL", "warning": "WARN"}.get(check["outcome"], "--")
        detail = check.get("detail")
        extra = ""
        if detail and check["outcome"] in ("failed", "warning"):
            extra = "  " + ", ".join(f"{k}={v}" for k, v in detail.items())
        lines.append(f"  [{mark:>4}] {check['name']:<21} {check['reason']}{extra}")
    if data.get("data_as_of"):
        lines.append(f"  data as of   {data['data_as_of']}")
    return "\n".join(lines)


def photo_exit_code(verdicts: list[dict[str, Any]]) -> int:
    """The exit code of the worst verdict (:data:`SEVERITY`): 0 when all are AUTHENTIC."""
    found = {data["verdict"] for data in verdicts}
    worst = next(verdict for verdict in SEVERITY if verdict in found)
    return EXIT_CODES[worst]


def render_photo(name: str, texts: list[str], verdicts: list[dict[str, Any]]) -> str:
    """One line per label of a photo, in reading order, then how many of each verdict."""
    width = len(str(len(verdicts)))
    lines = []
    for number, (text, data) in enumerate(zip(texts, verdicts, strict=True), start=1):
        label = data.get("label")
        what = f"GTIN {label['gtin']}  serial {label['serial']}" if label else _shorten(text)
        reasons = ", ".join(data.get("reasons", ()))
        lines.append(f"{number:>{width}}. {data['verdict']:<23} {what}  {reasons}".rstrip())
    counts = Counter(data["verdict"] for data in verdicts)
    summary = ", ".join(
        f"{counts[verdict]} {verdict}" for verdict in reversed(SEVERITY) if counts[verdict]
    )
    lines.append(f"{len(verdicts)} labels in {name}: {summary}")
    return "\n".join(lines)


def _shorten(text: str, limit: int = 60) -> str:
    """A QR code's text that is not a label, quoted and cut to fit one line."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
