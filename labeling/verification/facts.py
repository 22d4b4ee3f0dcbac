"""Certificate facts from the database: the one mapper from rows to
:class:`verify.verdict.CertificateFacts`.

The online verdict (:mod:`labeling.verification.source`), the status snapshots
(:mod:`labeling.snapshots.repository`) and the public certificate pages
(:mod:`labeling.public.service`) all read a certificate's public facts here, through the
same statement and the same mapping, so that the three can never say different things.

* :data:`CERTIFICATE_COLUMNS` names every column the statement selects; a row comes back
  as a :class:`CertificateRow` with those names. Nothing personal is selected (no
  national id, phone, address, free-text reason) and no internal id leaves this module
  except inside :class:`CertificateRecord`, for the callers' follow-up queries.
* :func:`load_certificates` runs the statements on any DB-API-style ``run`` function: the
  verification path's plain connections or a SQLModel session's
  (:func:`session_runner`).
* Names read back from rows lose their bidi control characters
  (:data:`schemas.text.WITHOUT_BIDI_CONTROLS`): they are refused at the door, and this
  guards the rows stored before that.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, NamedTuple

from sqlmodel import Session

from schemas.text import WITHOUT_BIDI_CONTROLS
from verify.label_codec import format_certificate_code
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, StandardFacts

__all__ = [
    "CERTIFICATE_COLUMNS",
    "CertificateRecord",
    "CertificateRow",
    "Run",
    "day",
    "load_certificates",
    "session_runner",
    "utc",
]

#: Runs one statement (``{p}`` marks its parameters) and returns its rows.
Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


class CertificateRow(NamedTuple):
    """One certificate and the public facts around it, as stored (see
    :data:`CERTIFICATE_COLUMNS` for where each comes from)."""

    certificate_id: int
    code: int
    status: str
    status_changed_at: Any
    valid_from: Any
    valid_until: Any
    artisan_latin: str
    artisan_arabic: str
    region_code: str
    region_name: str
    craft: str
    scheme_code: str
    scheme_name: str
    level: int | None
    level_name: str | None
    scheme_standards: Any  # JSON text (SQLite) or a list (PostgreSQL)
    audit_id: int
    audit_date: Any
    audit_outcome: str
    body_code: str
    body_name: str
    scheme_is_assumption: Any
    body_is_assumption: Any
    filiere_is_assumption: Any
    metier_is_assumption: Any


#: The column of each :class:`CertificateRow` field.
CERTIFICATE_COLUMNS: Final[Mapping[str, str]] = {
    "certificate_id": "c.id",
    "code": "c.code",
    "status": "c.status",
    "status_changed_at": "c.status_changed_at",
    "valid_from": "c.valid_from",
    "valid_until": "c.valid_until",
    "artisan_latin": "a.display_name_latin",
    "artisan_arabic": "a.display_name_arabic",
    "region_code": "a.region_code",
    "region_name": "r.name",
    "craft": "a.metier",
    "scheme_code": "s.code",
    "scheme_name": "s.name",
    "level": "s.level",
    "level_name": "s.level_name",
    "scheme_standards": "s.standards",
    "audit_id": "au.id",
    "audit_date": "au.audit_date",
    "audit_outcome": "au.outcome",
    "body_code": "b.code",
    "body_name": "b.name",
    "scheme_is_assumption": "s.is_assumption",
    "body_is_assumption": "b.is_assumption",
    "filiere_is_assumption": "f.is_assumption",
    "metier_is_assumption": "(SELECT m.is_assumption FROM metier m WHERE m.name = a.metier)",
}
_CERTIFICATES_SQL: Final = (
    "SELECT "
    + ", ".join(CERTIFICATE_COLUMNS[name] for name in CertificateRow._fields)
    + " FROM certificate c JOIN artisan a ON a.id = c.artisan_id "
    "JOIN region r ON r.code = a.region_code "
    "JOIN filiere f ON f.code = a.filiere_code "
    "JOIN label_scheme s ON s.id = c.scheme_id "
    "JOIN audit au ON au.id = c.audit_id "
    "JOIN body b ON b.id = c.body_id"
)
_CRITERIA_SQL: Final = (
    "SELECT f.audit_id, sc.code FROM audit_finding f "
    "JOIN scheme_criterion sc ON sc.id = f.criterion_id "
    "WHERE f.passed AND f.audit_id IN (SELECT c.audit_id FROM certificate c{where}) "
    "ORDER BY f.audit_id, sc.position, sc.code"
)
_REASONS_SQL: Final = (
    "SELECT e.certificate_id, e.reason_code FROM certificate_event e "
    "JOIN certificate c ON c.id = e.certificate_id{where} ORDER BY e.at, e.id"
)
_STANDARDS_SQL: Final = "SELECT code, title, is_assumption FROM standard"

#: Which certificates :func:`load_certificates` reads (``{p}``: the parameter).
ALL: Final = ""
BY_ID: Final = " WHERE c.id = {p}"
BY_CODE: Final = " WHERE c.code = {p}"


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """A certificate's public facts, with what the callers need beside them."""

    facts: CertificateFacts
    #: The catalogue records behind the facts that the seed data marks as placeholders
    #: (``scheme``, ``body``, ``craft``, ``standards``).
    assumptions: tuple[str, ...]
    certificate_id: int  # internal: for the callers' follow-up queries, never shown
    status_changed_at: datetime | None


def load_certificates(
    run: Run, mark: str, *, where: str = ALL, params: Sequence[Any] = ()
) -> list[CertificateRecord]:
    """The certificates ``where`` selects (:data:`ALL`, :data:`BY_ID`, :data:`BY_CODE`),
    with their standards, the criteria their audit met and their status reason."""
    clause = where.format(p=mark)
    rows = [CertificateRow._make(row) for row in run(_CERTIFICATES_SQL + clause, params)]
    if not rows:
        return []
    standards = {code: (title, bool(assumed)) for code, title, assumed in run(_STANDARDS_SQL, ())}
    criteria: dict[int, list[str]] = defaultdict(list)
    for audit_id, code in run(_CRITERIA_SQL.format(where=clause), params):
        criteria[int(audit_id)].append(code)
    reasons: dict[int, str] = {}
    for certificate_id, reason in run(_REASONS_SQL.format(where=clause), params):
        reasons[int(certificate_id)] = reason  # the latest event's reason wins
    return [_record(row, standards, criteria, reasons) for row in rows]


def _record(
    row: CertificateRow,
    standards: Mapping[str, tuple[str, bool]],
    criteria: Mapping[int, Sequence[str]],
    reasons: Mapping[int, str],
) -> CertificateRecord:
    codes = _codes(row.scheme_standards)
    cited = [(code, *standards.get(code, (code, False))) for code in codes]
    facts = CertificateFacts(
        code=format_certificate_code(int(row.code)),
        status=row.status,
        status_reason=reasons.get(row.certificate_id) if row.status != "active" else None,
        valid_from=day(row.valid_from),
        valid_until=day(row.valid_until),
        conformity=Conformity(
            scheme_code=row.scheme_code,
            scheme_name=_name(row.scheme_name),
            level=row.level,
            level_name=_name(row.level_name) if row.level_name is not None else None,
            standards=tuple(StandardFacts(code, _name(title)) for code, title, _ in cited),
            criteria_met=tuple(criteria.get(row.audit_id, ())),
            audit_date=day(row.audit_date),
            audit_outcome=row.audit_outcome,
            body_code=row.body_code,
            body_name=_name(row.body_name),
        ),
        artisan=ArtisanFacts(
            display_name_latin=_name(row.artisan_latin),
            display_name_arabic=_name(row.artisan_arabic),
            region_code=row.region_code,
            region_name=_name(row.region_name),
            craft=_name(row.craft),
        ),
    )
    placeholders = (
        ("scheme", row.scheme_is_assumption),
        ("body", row.body_is_assumption),
        ("craft", row.filiere_is_assumption or row.metier_is_assumption),
        ("standards", any(assumed for _, _, assumed in cited)),
    )
    return CertificateRecord(
        facts=facts,
        assumptions=tuple(name for name, flag in placeholders if flag),
        certificate_id=int(row.certificate_id),
        status_changed_at=utc(row.status_changed_at),
    )


def _name(text: str) -> str:
    """A name as the public may read it: without bidi controls."""
    return text.translate(WITHOUT_BIDI_CONTROLS)


def _codes(value: Any) -> list[str]:
    """The standard codes a scheme cites (stored as JSON)."""
    decoded = json.loads(value) if isinstance(value, str | bytes) else value
    return [str(code) for code in decoded] if isinstance(decoded, list) else []


def utc(value: Any) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (SQLite stores naive text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
    return value.astimezone(UTC)  # type: ignore[no-any-return]


def day(value: Any) -> date:
    """A stored date (SQLite stores ISO text)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value  # type: ignore[no-any-return]


def session_runner(session: Session) -> tuple[Run, str]:
    """``run`` and the parameter mark for :func:`load_certificates` on a session."""
    connection = session.connection()

    def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in connection.exec_driver_sql(sql, tuple(params))]

    return run, "?" if connection.dialect.name == "sqlite" else "%s"
