"""Secret files: key, passphrase and PIN files, written never to be read by others nor to
replace an existing file, and read the same way everywhere.

Writing files
-------------
Key and passphrase files are written to a 0600 temporary file in the target
directory, fsynced, then published with ``os.link``, which (unlike ``os.replace``)
fails if the target exists.  That makes publication both atomic and race-free
no-clobber.  On file systems without hard links the name is first reserved with
``O_CREAT | O_EXCL`` and the temporary file is then renamed over that placeholder.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from labeling.keycustody.errors import KeyFileError

__all__ = ["publish_private_file", "read_secret_file"]


def read_secret_file(path: str | os.PathLike[str]) -> str:
    """Read a passphrase or PIN file: UTF-8 text, trailing newlines removed.

    The application uses this for the development passphrase file and for PIN
    files, so every secret file is read the same way.  Errors name the path only.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read secret file {os.fspath(path)}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        raise KeyFileError(f"secret file {os.fspath(path)} is not UTF-8 text")
    text = text.rstrip("\r\n")
    if not text:
        raise KeyFileError(f"secret file {os.fspath(path)} is empty")
    return text


_NO_HARDLINK_ERRNOS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}
)


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish_private_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, atomically, never overwriting."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise KeyFileError(f"directory {directory} does not exist")
    # mkstemp creates the file 0600 whatever the umask, so the secret is never
    # readable by others, not even for an instant.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    exists = False
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), stat.S_IRUSR | stat.S_IWUSR)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            exists = True
        except OSError as exc:
            if exc.errno not in _NO_HARDLINK_ERRNOS:
                raise KeyFileError(f"cannot write {path}: {exc.strerror}") from None
            exists = not _publish_without_hardlink(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    if exists:
        raise KeyFileError(f"refusing to overwrite existing file {path}")
    _fsync_dir(directory)


def _publish_without_hardlink(tmp: str, path: str) -> bool:
    # Reserve the name exclusively, then rename our file over our own placeholder.
    # Returns False if the name was already taken.
    try:
        placeholder = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(placeholder)
    os.replace(tmp, path)
    return True
