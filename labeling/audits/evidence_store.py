"""Evidence files on disk, one file per content: ``<evidence_dir>/<sha[:2]>/<sha256>``.

An upload is written as it arrives to a temporary file in ``<evidence_dir>/incoming/`` (the
same file system, so the final rename is atomic), hashed as it is written, and renamed to its
content-addressed path only once it is complete and accepted. A reader therefore never sees
a partial file, and an upload that is refused or interrupted leaves nothing behind but its
temporary file, which is removed at once (or, after a crash, is safe to delete).

The database keeps each file's metadata (``evidence_blob``: hash, size, type, who uploaded
it) and decides who may read it; ``evidence_dir`` must be shared by every server of a
registry and backed up with its database. Rows written before evidence moved to disk still
hold their bytes in ``evidence_blob.data``; new rows leave it empty.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["CHUNK_BYTES", "EvidenceStore", "IncomingFile", "read_chunks"]

#: Read size when serving a file.
CHUNK_BYTES = 64 * 1024


class IncomingFile:
    """An upload being written: its size and SHA-256, kept up to date as it is written."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self._file: BinaryIO | None = os.fdopen(descriptor, "wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, pieces: Iterable[bytes]) -> None:
        """Append ``pieces`` (blocking: call it from a worker thread)."""
        assert self._file is not None, "the file is finished or discarded"
        for piece in pieces:
            self._hash.update(piece)
            self._file.write(piece)
            self.size += len(piece)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def finish(self) -> None:
        """Flush the file to disk: after this it may be kept."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def keep(self, destination: Path) -> None:
        """Move the finished file to ``destination`` (atomic). If a file is already there it
        holds the same bytes (same hash), so it is left alone and this one is dropped."""
        self.finish()
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.exists():
            self.discard()
        else:
            os.replace(self.path, destination)

    def discard(self) -> None:
        """Close and remove the temporary file (idempotent; after :meth:`keep`, a no-op)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)


class EvidenceStore:
    """The directory of evidence files (``Settings.resolved_evidence_dir``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a lower-case SHA-256")
        return self.directory / sha256[:2] / sha256

    def incoming(self) -> IncomingFile:
        """A new temporary file for an upload (blocking: call it from a worker thread)."""
        return IncomingFile(self.directory / "incoming")

    def keep(self, upload: IncomingFile) -> None:
        upload.keep(self.path_of(upload.sha256))

    def open(self, sha256: str) -> BinaryIO | None:
        """The stored file, open for reading, or ``None`` if it is not on disk."""
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            return None


def read_chunks(file: BinaryIO) -> Iterator[bytes]:
    """The file in :data:`CHUNK_BYTES` pieces, closed at the end (or when abandoned)."""
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
