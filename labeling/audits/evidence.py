"""Evidence files (lab reports, photos of the loom, of the kiln): stored by content hash.

The SHA-256 of a file is its identity, so uploading the same report twice stores it once and
an audit can cite it by hash. The type is decided by the file's first bytes, never by the
declared ``Content-Type`` or the file name: a renamed executable stays refused, and a
file is only ever served back with the type its bytes prove.

An upload is read only after its caller was admitted (``POST /api/v1/evidence`` streams its
own body, see :func:`core.request_guard.multipart_upload`), and streamed to a temporary file
as it arrives — hashed on the way, at most ``max_evidence_bytes`` of it written — then
renamed to its content-addressed path (:mod:`labeling.audits.evidence_store`). Memory holds
one network chunk at a time, whatever the file's size.

Every accepted upload is answered alike — 201 and the file's hash, size and type — whether
the bytes are new, were uploaded before by the same body, or are held by another body: the
answer never tells one body what another holds.

Every body that uploads a file *holds* it (``evidence_holder``), whether it was first or
not. Who reads a file: the staff of a body that holds it, and — once the file is attached to
an audit — that audit's body and the audited artisan. Anyone else gets the same 404 as for a
file that does not exist, and an audit may cite only files its body holds (otherwise
``unknown-evidence``, as for a hash stored nowhere), so neither reading nor citing tells a
body whether another holds a hash (docs/adr/0006-evidence-files-on-disk.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi.exceptions import RequestValidationError
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from core.auth import Principal
from core.problems import (
    BadRequest,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    UnprocessableContent,
    UnsupportedMediaType,
)
from labeling.audits import repository
from labeling.audits.evidence_store import EvidenceStore, IncomingFile, read_chunks
from labeling.audits.visibility import reader_scope
from schemas.audits_api import EvidencePublic

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "UPLOAD_FIELD",
    "EvidenceFile",
    "ReceivedEvidence",
    "read_evidence",
    "receive_evidence",
    "sniff_media_type",
    "store_evidence",
]

ALLOWED_MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}

#: The multipart field that carries the file.
UPLOAD_FIELD = "file"

#: :func:`sniff_media_type` needs at most this many leading bytes.
_SNIFF_BYTES = 12


def sniff_media_type(data: bytes) -> str | None:
    """The media type the file's magic bytes prove, if it is one the registry accepts."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    sha256: str
    media_type: str
    size: int
    chunks: Iterator[bytes]

    @property
    def download_name(self) -> str:
        return f"evidence-{self.sha256[:16]}.{ALLOWED_MEDIA_TYPES.get(self.media_type, 'bin')}"


@dataclass(frozen=True, slots=True)
class ReceivedEvidence:
    """An accepted upload, written to a temporary file and not yet stored."""

    file: IncomingFile
    media_type: str


def _malformed(detail: str) -> BadRequest:
    return BadRequest(detail, slug="malformed-multipart", title="Malformed multipart body")


@dataclass(slots=True)
class _Multipart:
    """python-multipart's callbacks: the bytes of the ``file`` part are collected chunk by
    chunk (:meth:`take`), those of any other part are skipped."""

    max_bytes: int
    files: int = 0
    complete: bool = False
    ended: bool = False
    received: int = 0
    head: bytes = b""
    media_type: str | None = None
    refused: bool = False  # too large or not an accepted type: stop keeping the bytes
    _in_file: bool = False
    _field: bytes = b""
    _value: bytes = b""
    _disposition: bytes = b""
    _pieces: list[bytes] = field(default_factory=list)

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._in_file = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]  # bounded by the parser's header size limit

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        if self._field.strip().lower() == b"content-disposition":
            self._disposition = self._value
        self._field = self._value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise _malformed('Each part needs a Content-Disposition with a "name".')
        if options[b"name"] == UPLOAD_FIELD.encode():
            self.files += 1
            self._in_file = self.files == 1

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._in_file:
            return
        self.received += end - start
        if self.received > self.max_bytes:
            self.refused = True
        if self.refused:
            return
        piece = data[start:end]
        if len(self.head) < _SNIFF_BYTES:
            self.head += piece[: _SNIFF_BYTES - len(self.head)]
            if len(self.head) == _SNIFF_BYTES:
                self._judge()
        if not self.refused:
            self._pieces.append(piece)

    def on_part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            self.complete = True
            if self.media_type is None and not self.refused:
                self._judge()

    def on_end(self) -> None:
        self.ended = True

    def _judge(self) -> None:
        self.media_type = sniff_media_type(self.head)
        if self.media_type is None:
            self.refused = True

    def take(self) -> list[bytes]:
        """The file's bytes parsed since the last call (none once the file is refused)."""
        pieces, self._pieces = self._pieces, []
        return [] if self.refused else pieces


async def receive_evidence(
    *, body: AsyncIterator[bytes], content_type: str, store: EvidenceStore, max_bytes: int
) -> ReceivedEvidence:
    """Stream a ``multipart/form-data`` upload (its ``file`` field) to a temporary file.

    Only the first ``max_bytes`` of the file are ever written; past them, or once its first
    bytes prove a type the registry does not take, nothing more is kept and the rest of the
    body is read to its end (the request guard bounds it) so that the answer is about the
    whole body: 400 malformed, 422 no or several files, 413 too large, 415 wrong type. The
    caller stores the result with :func:`store_evidence`.
    """
    parts = _Multipart(max_bytes=max_bytes)
    parser = _multipart_parser(content_type, parts)
    incoming: IncomingFile | None = None
    try:
        async for chunk in body:
            try:
                parser.write(chunk)
            except FormParserError as exc:
                raise _malformed("The multipart body is malformed.") from exc
            pieces = parts.take()
            if parts.refused and incoming is not None:
                await run_in_threadpool(incoming.discard)
                incoming = None
            if pieces:
                if incoming is None:
                    incoming = await run_in_threadpool(store.incoming)
                await run_in_threadpool(incoming.write, pieces)
        media_type = _accepted_media_type(parts, max_bytes)
        if incoming is None:  # an accepted type is never empty; this is for the type checker
            raise UnsupportedMediaType(slug="unsupported-evidence-type")
        await run_in_threadpool(incoming.finish)
    except ClientDisconnect as exc:
        if incoming is not None:
            await run_in_threadpool(incoming.discard)
        raise BadRequest("The upload was interrupted.", slug="upload-interrupted") from exc
    except BaseException:
        if incoming is not None:
            await run_in_threadpool(incoming.discard)
        raise
    return ReceivedEvidence(file=incoming, media_type=media_type)


def _multipart_parser(content_type: str, parts: _Multipart) -> MultipartParser:
    """A parser feeding ``parts``, if ``content_type`` is multipart with a usable boundary."""
    media, options = parse_options_header(content_type)
    if media != b"multipart/form-data":
        raise UnsupportedMediaType("Send the body as multipart/form-data.")
    boundary = options.get(b"boundary")
    if not boundary:
        raise _malformed("The multipart body has no boundary.")
    try:
        return MultipartParser(boundary, parts.callbacks())
    except FormParserError as exc:
        raise _malformed("The multipart boundary is not usable.") from exc


def _accepted_media_type(parts: _Multipart, max_bytes: int) -> str:
    """The type of the body's one file, once the whole body is read; or the error that the
    whole body deserves (400 malformed, 422 no or several files, 413 too large, 415 wrong
    type), in that order."""
    if not parts.ended:
        raise _malformed("The multipart body ends before its closing boundary.")
    if not parts.complete:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body", UPLOAD_FIELD), "msg": "Field required"}]
        )
    if parts.files > 1:
        raise UnprocessableContent("Upload one file per request.", slug="one-file-per-upload")
    if parts.received > max_bytes:
        raise PayloadTooLarge(
            f"Evidence files are limited to {max_bytes} bytes.",
            slug="evidence-too-large",
            limit=max_bytes,
        )
    if parts.media_type is None:
        raise UnsupportedMediaType(
            "Evidence must be a PDF, PNG, JPEG or WebP file (judged by its content).",
            slug="unsupported-evidence-type",
        )
    return parts.media_type


def store_evidence(
    *, session: Session, principal: Principal, received: ReceivedEvidence, store: EvidenceStore
) -> EvidencePublic:
    """Keep a received upload under its hash, record it once per content, and record the
    uploader's body as holding it.

    The answer is the same whether the bytes are new or already stored, by this body or by
    another (see the module doc); either way, this body may read and cite the file from now
    on, exactly as if it had been first. The file is in place before its row is committed,
    so a row never names a file that is not there; a file without a row (a failure in
    between) is harmless, and the next upload of the same bytes records it.
    """
    upload = received.file
    try:
        sha256 = upload.sha256
        public = EvidencePublic(sha256=sha256, size=upload.size, media_type=received.media_type)
        store.keep(upload)
        repository.record_evidence(
            session=session,
            sha256=sha256,
            size=upload.size,
            media_type=received.media_type,
            uploaded_by=principal.user_id,
            body_id=None if principal.is_artisan else principal.body_id,
        )
        session.commit()
        return public
    finally:
        upload.discard()


def read_evidence(
    *, session: Session, principal: Principal, sha256: str, store: EvidenceStore
) -> EvidenceFile:
    blob = repository.get_evidence_blob(session=session, sha256=sha256)
    if blob is None or not _may_read(session=session, principal=principal, sha256=sha256):
        raise NotFound("No such evidence file.", slug="evidence-not-found")
    if blob.data:  # stored before evidence moved to disk
        data = bytes(blob.data)
        return EvidenceFile(blob.sha256, blob.media_type, len(data), iter((data,)))
    file = store.open(blob.sha256)
    if file is None:
        raise ServiceUnavailable(
            "This evidence file is missing from the evidence store.", slug="evidence-unavailable"
        )
    return EvidenceFile(blob.sha256, blob.media_type, blob.size, read_chunks(file))


def _may_read(*, session: Session, principal: Principal, sha256: str) -> bool:
    """A body's staff read the files their body holds; anyone reads the files attached to
    an audit they may read. Never: whoever uploaded the bytes first."""
    if not principal.is_artisan and sha256 in repository.evidence_held_by(
        session=session, body_id=principal.body_id, hashes=[sha256]
    ):
        return True
    return repository.evidence_attached_to_visible_audit(
        session=session, sha256=sha256, scope=reader_scope(principal)
    )
