"""The inspector's audit form: one field per criterion of a label scheme, evidence files,
kept between attempts; read into the audit service's own input models and submitted.

The pages that show it (a new audit, a correction) are in :mod:`.inspector_audit_pages`.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from fastapi import Request, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from core import calendar
from core.problems import NotFound, Problem
from core.settings import Settings
from labeling.audits import evidence
from labeling.audits import service as audits
from labeling.audits.evidence_store import EvidenceStore
from labeling.catalog.names import catalogue_names
from labeling.registry import artisans
from labeling.registry import catalog as catalogue
from labeling.workspace.i18n import WLang
from labeling.workspace.inspector_common import authorised_schemes, format_number
from labeling.workspace.inspector_words import COMPARISONS, WORDS
from labeling.workspace.messages import FIELD_ERRORS
from labeling.workspace.messages import WORDS as SHARED_WORDS
from labeling.workspace.render import script_file
from labeling.workspace.routing import FormErrors, Viewer, form_errors, page, see_other
from schemas.audits_api import AuditCorrection, AuditCreate, AuditPublic
from schemas.registry_api import CriterionPublic, SchemePublic
from schemas.text import WITHOUT_BIDI_CONTROLS

__all__ = ["AuditForm", "render_audit_form", "scheme_for", "submit_audit_form"]

AUDIT_SCRIPT: Final = script_file("audit.js")


@dataclass(frozen=True, slots=True)
class _CriterionRow:
    """One criterion as the form shows it: what to measure or observe, its limit, how."""

    code: str
    field: str
    name: str
    kind: str
    unit: str | None
    comparison: str | None
    threshold: float | None
    limit_text: str | None
    method: str | None
    is_assumption: bool


def _criterion_rows(
    criteria: Sequence[CriterionPublic], standards: dict[str, str], lang: WLang
) -> list[_CriterionRow]:
    rows = []
    for criterion in criteria:
        limit = None
        if criterion.comparison and criterion.threshold is not None:
            sign = COMPARISONS.get(criterion.comparison, criterion.comparison)
            limit = (
                f"{sign} {format_number(criterion.threshold, lang)} {criterion.unit or ''}".strip()
            )
        method = None
        if criterion.standard_code:
            title = standards.get(criterion.standard_code)
            method = f"{criterion.standard_code} — {title}" if title else criterion.standard_code
        rows.append(
            _CriterionRow(
                code=criterion.code,
                field=f"c-{criterion.code}",
                name=criterion.name,
                kind=criterion.kind,
                unit=criterion.unit,
                comparison=criterion.comparison,
                threshold=criterion.threshold,
                limit_text=limit,
                method=method,
                is_assumption=criterion.is_assumption,
            )
        )
    return rows


@dataclass
class AuditForm:
    """What the audit form shows and keeps between attempts."""

    audit_date: str
    product_line_ids: list[int]
    findings: dict[str, str] = field(default_factory=dict)  # field -> value as typed
    notes: dict[str, str] = field(default_factory=dict)  # field -> note
    general_notes: str = ""
    kept: list[tuple[str, str]] = field(default_factory=list)  # (sha256, filename)
    key: str = ""


def scheme_for(session: Session, code: str) -> SchemePublic:
    try:
        return catalogue.get_scheme(session=session, code=code)
    except Problem as exc:
        raise NotFound("No such label scheme.", slug="not-found") from exc


def render_audit_form(
    viewer: Viewer,
    session: Session,
    *,
    artisan_id: int,
    scheme: SchemePublic,
    form: AuditForm,
    errors: FormErrors | None = None,
    status_code: int = 200,
    corrects: AuditPublic | None = None,
) -> Response:
    principal = viewer.principal
    artisan = artisans.get_artisan(session=session, actor=principal, artisan_id=artisan_id)
    lines, _ = artisans.list_product_lines(
        session=session, actor=principal, artisan_id=artisan_id, limit=100, offset=0
    )
    standards = {
        s.code: s.title for s in catalogue.list_standards(session=session, jurisdiction=None)
    }
    authorised = {s.code for s in authorised_schemes(session, viewer)}
    names = catalogue_names()
    action = (
        f"/workspace/audits/{corrects.id}/correction"
        if corrects is not None
        else f"/workspace/artisans/{artisan_id}/audits"
    )
    return page(
        viewer,
        "inspector/audit_form.html",
        status_code=status_code,
        scripts=[AUDIT_SCRIPT],
        words=WORDS,
        artisan=artisan,
        scheme=scheme,
        scheme_name=names.name("scheme", scheme.code, scheme.name, viewer.lang),
        authorised=scheme.code in authorised,
        criteria=_criterion_rows(scheme.criteria, standards, viewer.lang),
        lines=lines,
        form=form,
        errors=errors or FormErrors(),
        action=action,
        corrects=corrects,
        today=calendar.registry_today().isoformat(),
    )


def _parse_number(text: str) -> float | None:
    """A number as an inspector types it: ``0,5`` or ``0.5``, spaces as thousands."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value


@dataclass
class _Parsed:
    form: AuditForm
    findings: list[dict[str, Any]]
    field_errors: dict[str, str]
    uploads: list[UploadFile]


def _text(data: FormData, name: str, limit: int = 4000) -> str:
    value = data.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _parse_audit_form(data: FormData, scheme: SchemePublic, lang: WLang) -> _Parsed:
    form = AuditForm(
        audit_date=_text(data, "audit_date", 20),
        product_line_ids=[],
        general_notes=_text(data, "notes"),
        key=_text(data, "idempotency_key", 100),
    )
    for raw in data.getlist("product_line_ids"):
        if isinstance(raw, str) and raw.isdigit() and len(raw) <= 10:
            form.product_line_ids.append(int(raw))
    hashes = [v for v in data.getlist("kept_sha256") if isinstance(v, str)]
    names = [v for v in data.getlist("kept_name") if isinstance(v, str)]
    form.kept = [(sha, name) for sha, name in zip(hashes, names, strict=False)][:50]
    findings: list[dict[str, Any]] = []
    field_errors: dict[str, str] = {}
    for criterion in scheme.criteria:
        name = f"c-{criterion.code}"
        typed = _text(data, name, 60)
        note = _text(data, f"n-{criterion.code}")
        form.findings[name] = typed
        form.notes[name] = note
        finding: dict[str, Any] = {"criterion": criterion.code}
        if note:
            finding["notes"] = note
        if not typed:
            continue  # the service says which findings are missing
        if criterion.kind == "measured":
            value = _parse_number(typed)
            if value is None:
                field_errors[name] = FIELD_ERRORS["float_parsing"](lang)
                continue
            finding.update(measured_value=value, unit=criterion.unit)
        else:
            if typed not in ("yes", "no"):
                field_errors[name] = FIELD_ERRORS["enum"](lang)
                continue
            finding["observed"] = typed == "yes"
        findings.append(finding)
    uploads = [
        item
        for name in ("photos", "documents")
        for item in data.getlist(name)
        if isinstance(item, UploadFile) and item.filename
    ]
    return _Parsed(form, findings, field_errors, uploads)


def _filename(upload: UploadFile, position: int) -> str:
    raw = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in raw if ch.isprintable()).translate(WITHOUT_BIDI_CONTROLS)
    cleaned = cleaned.strip().strip(".")[:120]
    return cleaned or f"piece-{position}"


async def _framed(upload: UploadFile, boundary: str) -> AsyncIterator[bytes]:
    """The file as the ``multipart/form-data`` body ``POST /api/v1/evidence`` takes, so it
    goes through the evidence service's own checks (type by content, size limit)."""
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{evidence.UPLOAD_FIELD}"; '
        f'filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    while chunk := await upload.read(64 * 1024):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


async def _store_uploads(
    uploads: Sequence[UploadFile], *, session: Session, viewer: Viewer, settings: Settings
) -> list[tuple[str, str]]:
    """Each upload through the evidence service; their hashes and file names."""
    store = EvidenceStore(settings.resolved_evidence_dir)
    stored: list[tuple[str, str]] = []
    for position, upload in enumerate(uploads, start=1):
        boundary = "khatem-" + secrets.token_hex(16)
        received = await evidence.receive_evidence(
            body=_framed(upload, boundary),
            content_type=f"multipart/form-data; boundary={boundary}",
            store=store,
            max_bytes=settings.max_evidence_bytes,
        )
        public = await run_in_threadpool(
            evidence.store_evidence,
            session=session,
            principal=viewer.principal,
            received=received,
            store=store,
        )
        stored.append((public.sha256, _filename(upload, position)))
    return stored


def _audit_field(loc: tuple[Any, ...], findings: list[dict[str, Any]]) -> str | None:
    if not loc:
        return None
    head = loc[0]
    if head == "findings" and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(findings):
        return f"c-{findings[loc[1]]['criterion']}"
    if head in ("audit_date", "product_line_ids", "notes"):
        return str(head)
    if head == "evidence":
        return "photos"
    return None


def _problem_errors(problem: Problem, lang: WLang) -> FormErrors:
    slug = problem.instance_slug
    extra = problem.extra
    if slug in ("unit-mismatch", "finding-kind-mismatch") and extra.get("criterion"):
        return form_errors(lang, problem=problem, problem_field=f"c-{extra['criterion']}")
    if slug == "missing-findings":
        errors = form_errors(lang, problem=problem)
        for code in extra.get("missing", []):
            errors.fields[f"c-{code}"] = FIELD_ERRORS["missing"](lang)
        return errors
    fields = {
        "audit-date-in-future": "audit_date",
        "product-line-not-of-artisan": "product_line_ids",
        "unknown-evidence": "photos",
        "unsupported-evidence-type": "photos",
        "evidence-too-large": "photos",
        "one-file-per-upload": "photos",
    }
    return form_errors(lang, problem=problem, problem_field=fields.get(slug))


async def submit_audit_form(
    request: Request,
    viewer: Viewer,
    session: Session,
    settings: Settings,
    *,
    artisan_id: int,
    scheme_code: str,
    corrects: AuditPublic | None,
) -> Response:
    """Read the posted form, store its evidence, record the audit (or the correction of
    ``corrects``) and go to it; or show the form again with what went wrong."""
    data = await request.form()
    scheme = await run_in_threadpool(scheme_for, session, scheme_code)
    parsed = _parse_audit_form(data, scheme, viewer.lang)
    form = parsed.form

    async def again(errors: FormErrors, status_code: int) -> Response:
        return await run_in_threadpool(
            render_audit_form,
            viewer,
            session,
            artisan_id=artisan_id,
            scheme=scheme,
            form=form,
            errors=errors,
            status_code=status_code,
            corrects=corrects,
        )

    try:
        form.kept += await _store_uploads(
            parsed.uploads, session=session, viewer=viewer, settings=settings
        )
    except Problem as problem:
        return await again(_problem_errors(problem, viewer.lang), problem.status)
    if parsed.field_errors:
        return await again(_field_errors(parsed, viewer.lang), 422)
    try:
        submission = await run_in_threadpool(
            _submit,
            session,
            viewer,
            content=_audit_content(scheme, parsed),
            key=form.key or None,
            artisan_id=artisan_id,
            corrects=corrects,
        )
    except ValidationError as exc:
        return await again(_validation_errors(exc, parsed, viewer.lang), 422)
    except Problem as problem:
        if isinstance(problem, NotFound):
            raise
        return await again(_problem_errors(problem, viewer.lang), problem.status)
    return see_other(f"/workspace/audits/{submission.audit.id}?done=saved")


def _field_errors(parsed: _Parsed, lang: WLang) -> FormErrors:
    """The errors found while reading the form, before anything was recorded."""
    errors = form_errors(lang)
    errors.fields.update(parsed.field_errors)
    errors.message = SHARED_WORDS["form_has_errors"](lang)
    return errors


def _validation_errors(exc: ValidationError, parsed: _Parsed, lang: WLang) -> FormErrors:
    """The API's validation errors, each placed on the form field it is about."""
    return form_errors(
        lang,
        validation=exc,
        field_of=lambda loc: _audit_field(loc, parsed.findings),
    )


def _audit_content(scheme: SchemePublic, parsed: _Parsed) -> dict[str, Any]:
    """The audit the form describes, as the API's request body (without its artisan)."""
    form = parsed.form
    content: dict[str, Any] = {
        "scheme": scheme.code,
        "product_line_ids": form.product_line_ids,
        "audit_date": form.audit_date,
        "findings": parsed.findings,
        "evidence": [{"sha256": sha, "filename": name} for sha, name in form.kept],
    }
    if form.general_notes:
        content["notes"] = form.general_notes
    return content


def _submit(
    session: Session,
    viewer: Viewer,
    *,
    content: dict[str, Any],
    key: str | None,
    artisan_id: int,
    corrects: AuditPublic | None,
) -> audits.AuditSubmission:
    """Record a new audit of the artisan, or a correction of ``corrects``."""
    if corrects is not None:
        return audits.submit_correction(
            session=session,
            principal=viewer.principal,
            audit_id=corrects.id,
            request=AuditCorrection.model_validate(content),
            idempotency_key=key,
        )
    return audits.submit_audit(
        session=session,
        principal=viewer.principal,
        request=AuditCreate.model_validate({**content, "artisan_id": artisan_id}),
        idempotency_key=key,
    )
