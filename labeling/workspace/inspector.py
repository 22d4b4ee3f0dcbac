"""The inspector's pages (phone and tablet first): home, find and register artisans, product
lines, record and correct audits, certify.

Every page calls the services the API calls (``labeling.registry.artisans``,
``labeling.audits.service``, ``labeling.certificates.service``, ``labeling.registry.catalog``)
with the inspector's principal: they decide what the inspector may see (its body's records;
anything else is a 404 page) and do. The handlers only turn form fields into the API's own
input models and the answers into pages.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from babel.numbers import format_decimal
from fastapi import Form, Path, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from core import calendar
from core.auth import SessionDep, SettingsDep
from core.keyset import Keyset
from core.problems import NotFound, Problem, UnprocessableContent
from core.settings import Settings
from labeling.audits import evidence
from labeling.audits import service as audits
from labeling.audits.evidence_store import EvidenceStore
from labeling.audits.repository import AuditFilters
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.registry import artisans, search
from labeling.registry import catalog as catalogue
from labeling.registry import repository as registry_repository
from labeling.registry import service as registry
from labeling.registry.repository import ArtisanFilters
from labeling.workspace.i18n import WLang
from labeling.workspace.inspector_words import ARTISAN_KINDS, COMPARISONS, WORDS
from labeling.workspace.messages import FIELD_ERRORS
from labeling.workspace.messages import WORDS as SHARED_WORDS
from labeling.workspace.render import script_file
from labeling.workspace.routing import (
    CSRF,
    FormErrors,
    InspectorViewer,
    Viewer,
    form_errors,
    page,
    problem_text,
    see_other,
    workspace_router,
)
from schemas.audits_api import (
    MAX_ROW_ID,
    AuditCorrection,
    AuditCreate,
    AuditPublic,
)
from schemas.certificates import CertificateStatus
from schemas.certificates_api import CertificateCreate, CertificatePublic
from schemas.registry_api import (
    ArtisanCreate,
    CriterionPublic,
    ProductLineCreate,
    SchemePublic,
)
from schemas.text import WITHOUT_BIDI_CONTROLS

__all__ = ["home_page", "router"]

router = workspace_router()

AUDIT_SCRIPT: Final = script_file("audit.js")
ArtisanId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
AuditId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
FormText = Annotated[str | None, Form(max_length=4000)]
_LIST_SIZE: Final = 20
_HOME_SIZE: Final = 5
_EXPIRING_DAYS: Final = 60


def _page(viewer: Viewer, template: str, **values: Any) -> Response:
    return page(viewer, template, words=WORDS, **values)


# --- Home -------------------------------------------------------------------------------


def home_page(*, viewer: Viewer, session: Session) -> Response:
    """Artisans of my body (the latest registered), audits I recorded, certificates of my
    body expiring within 60 days or suspended."""
    principal = viewer.principal
    _, total = artisans.list_artisans(
        session=session, actor=principal, filters=ArtisanFilters(), limit=1, offset=0
    )
    latest, _ = artisans.list_artisans(
        session=session,
        actor=principal,
        filters=ArtisanFilters(),
        limit=_HOME_SIZE,
        offset=max(total - _HOME_SIZE, 0),
    )
    my_audits = audits.list_audits(
        session=session,
        principal=principal,
        filters=AuditFilters(inspector_id=principal.user_id),
        limit=_HOME_SIZE,
        offset=0,
    )
    expiring = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(expiring_within_days=_EXPIRING_DAYS),
        limit=_LIST_SIZE,
        offset=0,
    )
    suspended = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(status=CertificateStatus.SUSPENDED),
        limit=_LIST_SIZE,
        offset=0,
    )
    return _page(
        viewer,
        "inspector/home.html",
        artisans=list(reversed(latest)),
        audits=my_audits.items,
        expiring=expiring.items,
        suspended=suspended.items,
    )


# --- Artisans ---------------------------------------------------------------------------


@router.get("/workspace/artisans")
def find_artisans(
    viewer: InspectorViewer,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The artisans of my body that match ``q`` (name in either script, NIA, registry id,
    city, craft), in registration order, a keyset page at a time (the search service)."""
    query = (q or "").translate(WITHOUT_BIDI_CONTROLS).strip() or None
    error: str | None = None
    try:
        found = search.search_artisans(
            session=session,
            principal=viewer.principal,
            query=query,
            limit=_LIST_SIZE,
            cursor=cursor or None,
        )
        items, following = found.items, found.next_cursor
    except UnprocessableContent as problem:
        items, following, error = [], None, problem_text(problem, viewer.lang)
    return _page(
        viewer,
        "inspector/artisans.html",
        q=query or "",
        items=items,
        next_cursor=following,
        first_page=cursor is not None,
        error=error,
    )


_ARTISAN_FIELDS: Final = (
    "nia",
    "kind",
    "display_name_latin",
    "display_name_arabic",
    "region_code",
    "filiere_code",
    "metier",
    "city",
    "national_id",
    "phone",
    "address",
)


def _artisan_form(
    viewer: Viewer,
    session: Session,
    *,
    values: dict[str, str],
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    names = catalogue_names()
    regions = [
        (r.code, names.name("region", r.code, r.name, viewer.lang).text)
        for r in catalogue.list_regions(session=session)
    ]
    filieres = [(f.code, f.name) for f in catalogue.list_filieres(session=session)]
    kinds = [(code, text(viewer.lang)) for code, text in ARTISAN_KINDS.items()]
    return page(
        viewer,
        "inspector/artisan_new.html",
        status_code=status_code,
        words=WORDS,
        values=values,
        errors=errors or FormErrors(),
        regions=regions,
        filieres=filieres,
        kinds=kinds,
    )


def _body_region(session: Session, viewer: Viewer) -> str:
    body = registry_repository.get_body(session=session, body_id=viewer.principal.body_id or 0)
    return (body.region_code or "") if body is not None else ""


@router.get("/workspace/artisans/new")
def new_artisan(viewer: InspectorViewer, session: SessionDep) -> Response:
    return _artisan_form(viewer, session, values={"region_code": _body_region(session, viewer)})


@router.post("/workspace/artisans/new", dependencies=CSRF)
def register_artisan(
    viewer: InspectorViewer,
    session: SessionDep,
    nia: FormText = None,
    kind: FormText = None,
    display_name_latin: FormText = None,
    display_name_arabic: FormText = None,
    region_code: FormText = None,
    filiere_code: FormText = None,
    metier: FormText = None,
    city: FormText = None,
    national_id: FormText = None,
    phone: FormText = None,
    address: FormText = None,
) -> Response:
    sent = {
        "nia": nia,
        "kind": kind,
        "display_name_latin": display_name_latin,
        "display_name_arabic": display_name_arabic,
        "region_code": region_code,
        "filiere_code": filiere_code,
        "metier": metier,
        "city": city,
        "national_id": national_id,
        "phone": phone,
        "address": address,
    }
    values = {name: (value or "").strip() for name, value in sent.items()}
    optional = {"national_id", "phone", "address"}
    data = {k: v for k, v in values.items() if v or k not in optional}
    try:
        artisan = artisans.register_artisan(
            session=session, actor=viewer.principal, data=ArtisanCreate.model_validate(data)
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _artisan_form(viewer, session, values=values, errors=errors, status_code=422)
    except Problem as problem:
        errors = form_errors(viewer.lang, problem=problem, problem_field=_artisan_field(problem))
        return _artisan_form(
            viewer, session, values=values, errors=errors, status_code=problem.status
        )
    return see_other(f"/workspace/artisans/{artisan.id}?done=registered")


def _artisan_field(problem: Problem) -> str | None:
    return {
        "nia-taken": "nia",
        "unknown-region": "region_code",
        "region-outside-body": "region_code",
        "unknown-filiere": "filiere_code",
    }.get(problem.instance_slug)


@dataclass(frozen=True, slots=True)
class _SchemeChoice:
    code: str
    name: str


def _authorised_schemes(session: Session, viewer: Viewer) -> list[_SchemeChoice]:
    names = catalogue_names()
    granted = registry.list_authorisations(
        session=session,
        actor=viewer.principal,
        inspector_id=viewer.principal.user_id,
        include_revoked=False,
    )
    return [
        _SchemeChoice(
            a.scheme_code, names.name("scheme", a.scheme_code, a.scheme_name, viewer.lang).text
        )
        for a in granted
    ]


def _artisan_page(
    viewer: Viewer,
    session: Session,
    artisan_id: int,
    *,
    line_values: dict[str, str] | None = None,
    line_errors: FormErrors | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    principal = viewer.principal
    artisan = artisans.get_artisan(session=session, actor=principal, artisan_id=artisan_id)
    lines, _ = artisans.list_product_lines(
        session=session, actor=principal, artisan_id=artisan_id, limit=100, offset=0
    )
    recorded = audits.audit_keyset_page(
        session=session,
        principal=principal,
        filters=AuditFilters(artisan_id=artisan_id),
        keyset=Keyset(_LIST_SIZE),
    )
    held = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(artisan_id=artisan_id),
        limit=_LIST_SIZE,
        offset=0,
    )
    names = catalogue_names()
    return page(
        viewer,
        "inspector/artisan.html",
        status_code=status_code,
        words=WORDS,
        artisan=artisans.artisan_view(principal, artisan),
        kind_name=ARTISAN_KINDS[artisan.kind](viewer.lang),
        region_name=names.name("region", artisan.region_code, artisan.region_code, viewer.lang),
        lines=lines,
        audits=recorded.items,
        more_audits=recorded.next_cursor is not None,
        certificates=held.items,
        schemes=_authorised_schemes(session, viewer),
        line_values=line_values or {},
        line_errors=line_errors or FormErrors(),
        done=done,
    )


@router.get("/workspace/artisans/{artisan_id}")
def artisan_page(
    viewer: InspectorViewer,
    session: SessionDep,
    artisan_id: ArtisanId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _artisan_page(viewer, session, artisan_id, done=done)


@router.post("/workspace/artisans/{artisan_id}/product-lines", dependencies=CSRF)
def add_product_line(
    viewer: InspectorViewer,
    session: SessionDep,
    artisan_id: ArtisanId,
    family: FormText = None,
    name: FormText = None,
    materials: FormText = None,
    gtin: FormText = None,
) -> Response:
    values = {
        "family": (family or "").strip(),
        "name": (name or "").strip(),
        "materials": (materials or "").strip(),
        "gtin": (gtin or "").strip(),
    }
    data: dict[str, Any] = {
        "family": values["family"],
        "name": values["name"],
        "materials": [m.strip() for m in values["materials"].split(",") if m.strip()],
    }
    if values["gtin"]:
        data["gtin"] = values["gtin"]
    try:
        artisans.register_product_line(
            session=session,
            actor=viewer.principal,
            artisan_id=artisan_id,
            data=ProductLineCreate.model_validate(data),
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _artisan_page(
            viewer, session, artisan_id, line_values=values, line_errors=errors, status_code=422
        )
    except NotFound:
        raise
    except Problem as problem:
        field_name = "gtin" if problem.instance_slug.startswith("gtin") else None
        errors = form_errors(viewer.lang, problem=problem, problem_field=field_name)
        return _artisan_page(
            viewer,
            session,
            artisan_id,
            line_values=values,
            line_errors=errors,
            status_code=problem.status,
        )
    return see_other(f"/workspace/artisans/{artisan_id}?done=line#product-lines")


# --- The audit form ---------------------------------------------------------------------


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


def _number(value: float, lang: WLang) -> str:
    return format_decimal(value, locale=lang)


def _criterion_rows(
    criteria: Sequence[CriterionPublic], standards: dict[str, str], lang: WLang
) -> list[_CriterionRow]:
    rows = []
    for criterion in criteria:
        limit = None
        if criterion.comparison and criterion.threshold is not None:
            sign = COMPARISONS.get(criterion.comparison, criterion.comparison)
            limit = f"{sign} {_number(criterion.threshold, lang)} {criterion.unit or ''}".strip()
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
class _AuditForm:
    """What the audit form shows and keeps between attempts."""

    audit_date: str
    product_line_ids: list[int]
    findings: dict[str, str] = field(default_factory=dict)  # field -> value as typed
    notes: dict[str, str] = field(default_factory=dict)  # field -> note
    general_notes: str = ""
    kept: list[tuple[str, str]] = field(default_factory=list)  # (sha256, filename)
    key: str = ""


def _scheme_for(session: Session, code: str) -> SchemePublic:
    try:
        return catalogue.get_scheme(session=session, code=code)
    except Problem as exc:
        raise NotFound("No such label scheme.", slug="not-found") from exc


def _render_audit_form(
    viewer: Viewer,
    session: Session,
    *,
    artisan_id: int,
    scheme: SchemePublic,
    form: _AuditForm,
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
    authorised = {s.code for s in _authorised_schemes(session, viewer)}
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


@router.get("/workspace/artisans/{artisan_id}/audits/new")
def new_audit(
    viewer: InspectorViewer,
    session: SessionDep,
    artisan_id: ArtisanId,
    scheme: Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")],
) -> Response:
    """The audit form of ``scheme``, one field per criterion (a fresh idempotency key)."""
    lines, _ = artisans.list_product_lines(
        session=session, actor=viewer.principal, artisan_id=artisan_id, limit=100, offset=0
    )
    form = _AuditForm(
        audit_date=calendar.registry_today().isoformat(),
        product_line_ids=[line.id for line in lines if line.id is not None],
        key=str(uuid.uuid4()),
    )
    return _render_audit_form(
        viewer, session, artisan_id=artisan_id, scheme=_scheme_for(session, scheme), form=form
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
    form: _AuditForm
    findings: list[dict[str, Any]]
    field_errors: dict[str, str]
    uploads: list[UploadFile]


def _text(data: FormData, name: str, limit: int = 4000) -> str:
    value = data.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _parse_audit_form(data: FormData, scheme: SchemePublic, lang: WLang) -> _Parsed:
    form = _AuditForm(
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


async def _submit_audit_form(
    request: Request,
    viewer: Viewer,
    session: Session,
    settings: Settings,
    *,
    artisan_id: int,
    scheme_code: str,
    corrects: AuditPublic | None,
) -> Response:
    data = await request.form()
    scheme = await run_in_threadpool(_scheme_for, session, scheme_code)
    parsed = _parse_audit_form(data, scheme, viewer.lang)
    form = parsed.form

    async def again(errors: FormErrors, status_code: int) -> Response:
        return await run_in_threadpool(
            _render_audit_form,
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
        errors = form_errors(viewer.lang)
        errors.fields.update(parsed.field_errors)
        errors.message = SHARED_WORDS["form_has_errors"](viewer.lang)
        return await again(errors, 422)
    content: dict[str, Any] = {
        "scheme": scheme.code,
        "product_line_ids": form.product_line_ids,
        "audit_date": form.audit_date,
        "findings": parsed.findings,
        "evidence": [{"sha256": sha, "filename": name} for sha, name in form.kept],
    }
    if form.general_notes:
        content["notes"] = form.general_notes
    key = form.key or None

    def submit() -> audits.AuditSubmission:
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

    try:
        submission = await run_in_threadpool(submit)
    except ValidationError as exc:
        errors = form_errors(
            viewer.lang,
            validation=exc,
            field_of=lambda loc: _audit_field(loc, parsed.findings),
        )
        return await again(errors, 422)
    except Problem as problem:
        if isinstance(problem, NotFound):
            raise
        return await again(_problem_errors(problem, viewer.lang), problem.status)
    return see_other(f"/workspace/audits/{submission.audit.id}?done=saved")


@router.post("/workspace/artisans/{artisan_id}/audits", dependencies=CSRF)
async def record_audit(
    request: Request,
    viewer: InspectorViewer,
    session: SessionDep,
    settings: SettingsDep,
    artisan_id: ArtisanId,
    scheme: Annotated[str, Form(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")],
) -> Response:
    """Record the audit the form describes (evidence first, through the evidence service);
    a second submission of the same form (its idempotency key) records nothing more."""
    return await _submit_audit_form(
        request, viewer, session, settings, artisan_id=artisan_id, scheme_code=scheme, corrects=None
    )


# --- An audit, its correction, certification ---------------------------------------------


def _certificate_of(
    session: Session, viewer: Viewer, audit: AuditPublic
) -> CertificatePublic | None:
    held = certificates.list_certificates(
        session=session,
        principal=viewer.principal,
        filters=CertificateFilters(artisan_id=audit.artisan_id),
        limit=100,
        offset=0,
    )
    return next((c for c in held.items if c.audit_id == audit.id), None)


def _audit_page(
    viewer: Viewer,
    session: Session,
    audit_id: int,
    *,
    errors: FormErrors | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    audit = audits.get_audit(session=session, principal=viewer.principal, audit_id=audit_id)
    artisan = artisans.get_artisan(
        session=session, actor=viewer.principal, artisan_id=audit.artisan_id
    )
    names = catalogue_names()
    return page(
        viewer,
        "inspector/audit.html",
        status_code=status_code,
        words=WORDS,
        audit=audit,
        artisan=artisan,
        scheme_name=names.name("scheme", audit.scheme_code, audit.scheme_name, viewer.lang),
        certificate=_certificate_of(session, viewer, audit),
        errors=errors or FormErrors(),
        done=done,
        number=lambda value: _number(value, viewer.lang),
        comparisons=COMPARISONS,
    )


@router.get("/workspace/audits/{audit_id}")
def audit_page(
    viewer: InspectorViewer,
    session: SessionDep,
    audit_id: AuditId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _audit_page(viewer, session, audit_id, done=done)


@router.post("/workspace/audits/{audit_id}/certify", dependencies=CSRF)
def certify(viewer: InspectorViewer, session: SessionDep, audit_id: AuditId) -> Response:
    """Certify from a passing audit (the certificates service decides whether it may)."""
    try:
        certificates.certify(
            session=session,
            principal=viewer.principal,
            request=CertificateCreate(audit_id=audit_id),
        )
    except NotFound:
        raise
    except Problem as problem:
        session.rollback()
        errors = form_errors(viewer.lang, problem=problem)
        return _audit_page(viewer, session, audit_id, errors=errors, status_code=problem.status)
    return see_other(f"/workspace/audits/{audit_id}?done=certified")


def _form_of(audit: AuditPublic) -> _AuditForm:
    """A correction starts from what the audit recorded."""
    form = _AuditForm(
        audit_date=audit.audit_date.isoformat(),
        product_line_ids=list(audit.product_line_ids),
        general_notes=audit.notes or "",
        kept=[(e.sha256, e.filename) for e in audit.evidence],
        key=str(uuid.uuid4()),
    )
    for finding in audit.findings:
        name = f"c-{finding.criterion_code}"
        if finding.measured_value is not None:
            form.findings[name] = repr(finding.measured_value).removesuffix(".0")
        elif finding.observed is not None:
            form.findings[name] = "yes" if finding.observed else "no"
        form.notes[name] = finding.notes or ""
    return form


@router.get("/workspace/audits/{audit_id}/correction")
def correction_form(viewer: InspectorViewer, session: SessionDep, audit_id: AuditId) -> Response:
    audit = audits.get_audit(session=session, principal=viewer.principal, audit_id=audit_id)
    return _render_audit_form(
        viewer,
        session,
        artisan_id=audit.artisan_id,
        scheme=_scheme_for(session, audit.scheme_code),
        form=_form_of(audit),
        corrects=audit,
    )


@router.post("/workspace/audits/{audit_id}/correction", dependencies=CSRF)
async def record_correction(
    request: Request,
    viewer: InspectorViewer,
    session: SessionDep,
    settings: SettingsDep,
    audit_id: AuditId,
) -> Response:
    """Record a correction: a new audit that amends this one (append-only)."""
    audit = await run_in_threadpool(
        audits.get_audit, session=session, principal=viewer.principal, audit_id=audit_id
    )
    return await _submit_audit_form(
        request,
        viewer,
        session,
        settings,
        artisan_id=audit.artisan_id,
        scheme_code=audit.scheme_code,
        corrects=audit,
    )
