"""Evidence files (lab reports, photos of the loom, of the kiln): stored by content hash.

The SHA-256 of a file is its identity, so uploading the same report twice stores it once and
an audit can cite it by hash. The type is decided by the file's first bytes, never by the
declared ``Content-Type`` or the file name: a renamed executable stays refused, and a
file is only ever served back with the type its bytes prove.

Who reads a file: the body that uploaded it, and — once the file is attached to an audit —
that audit's body and the audited artisan. Anyone else gets the same 404 as for a file
that does not exist, so hashes cannot be probed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.auth import Principal
from core.problems import NotFound, PayloadTooLarge, UnsupportedMediaType
from labeling.audits import repository
from labeling.audits.visibility import reader_scope
from schemas.audits import EvidenceBlob
from schemas.audits_api import EvidencePublic

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "EvidenceFile",
    "StoredEvidence",
    "read_evidence",
    "sniff_media_type",
    "store_evidence",
]

ALLOWED_MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}


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
class StoredEvidence:
    evidence: EvidencePublic
    created: bool


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    sha256: str
    media_type: str
    data: bytes

    @property
    def download_name(self) -> str:
        return f"evidence-{self.sha256[:16]}.{ALLOWED_MEDIA_TYPES.get(self.media_type, 'bin')}"


def store_evidence(
    *, session: Session, principal: Principal, data: bytes, max_bytes: int
) -> StoredEvidence:
    """Store a file once per content; ``created`` is False when it was already stored."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"Evidence files are limited to {max_bytes} bytes.",
            slug="evidence-too-large",
            limit=max_bytes,
        )
    media_type = sniff_media_type(data)
    if media_type is None:
        raise UnsupportedMediaType(
            "Evidence must be a PDF, PNG, JPEG or WebP file (judged by its content).",
            slug="unsupported-evidence-type",
        )
    sha256 = hashlib.sha256(data).hexdigest()
    existing = repository.evidence_meta(session=session, hashes=[sha256]).get(sha256)
    if existing is not None:
        public = EvidencePublic(sha256=sha256, size=existing.size, media_type=existing.media_type)
        return StoredEvidence(evidence=public, created=False)
    public = EvidencePublic(sha256=sha256, size=len(data), media_type=media_type)
    try:
        repository.add_evidence_blob(
            session=session,
            blob=EvidenceBlob(
                sha256=sha256,
                size=len(data),
                media_type=media_type,
                data=data,
                uploaded_by=principal.user_id,
                body_id=principal.body_id,
            ),
        )
        session.commit()
    except IntegrityError:
        # Someone stored the same bytes between our look-up and our insert: same content,
        # same hash, so their row is as good as ours.
        session.rollback()
        return StoredEvidence(evidence=public, created=False)
    return StoredEvidence(evidence=public, created=True)


def read_evidence(*, session: Session, principal: Principal, sha256: str) -> EvidenceFile:
    blob = repository.get_evidence_blob(session=session, sha256=sha256)
    if blob is None or not _may_read(session=session, principal=principal, blob=blob):
        raise NotFound("No such evidence file.", slug="evidence-not-found")
    return EvidenceFile(sha256=blob.sha256, media_type=blob.media_type, data=bytes(blob.data))


def _may_read(*, session: Session, principal: Principal, blob: EvidenceBlob) -> bool:
    if not principal.is_artisan and principal.body_id is not None:
        if blob.body_id == principal.body_id:
            return True
    return repository.evidence_attached_to_visible_audit(
        session=session, sha256=blob.sha256, scope=reader_scope(principal)
    )
