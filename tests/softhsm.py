"""Throwaway SoftHSM2 tokens for tests.

:func:`create_token` writes a softhsm2.conf whose token directory lives in a temp
directory, points ``SOFTHSM2_CONF`` at it and initialises a fresh token with
random PINs, so every test gets its own token and nothing touches a real HSM or
the system-wide SoftHSM2 configuration.

Availability policy (:func:`require_softhsm`): when ``softhsm2-util`` or
``libsofthsm2.so`` is missing the tests *fail* if the ``CI`` environment variable
is set (CI must install the ``softhsm2`` Debian package, and silently skipping the
HSM tests there would hide that), and are *skipped* otherwise, so a developer
without SoftHSM2 can still run the rest of the suite.

``SOFTHSM2_MODULE`` may name the library explicitly; otherwise the usual Debian,
Fedora, Homebrew and /usr/local locations are searched.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ci import in_ci

__all__ = ["SoftHSMToken", "create_token", "find_softhsm_module", "require_softhsm"]

_MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/*-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so",
    "/usr/lib/pkcs11/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/opt/homebrew/lib/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class SoftHSMToken:
    """A freshly initialised SoftHSM2 token."""

    module: str
    label: str
    pin: str
    so_pin: str
    conf: Path
    token_dir: Path

    def delete(self) -> None:
        """Delete the token, as if the HSM holding it had been unplugged."""
        _run_util("--delete-token", "--token", self.label, conf=self.conf)


def find_softhsm_module() -> str | None:
    """Path of libsofthsm2.so, or None when SoftHSM2 is not installed."""
    explicit = os.environ.get("SOFTHSM2_MODULE")
    if explicit:
        return explicit if os.path.isfile(explicit) else None
    for pattern in _MODULE_CANDIDATES:
        for match in sorted(glob.glob(pattern)):
            if os.path.isfile(match):
                return match
    return None


def require_softhsm() -> str:
    """Return the module path, or fail (under CI) / skip (locally) if SoftHSM2 is absent."""
    util = shutil.which("softhsm2-util")
    module = find_softhsm_module()
    if util is not None and module is not None:
        return module
    missing = "softhsm2-util" if util is None else "libsofthsm2.so"
    message = f"SoftHSM2 is not installed ({missing} not found); apt-get install softhsm2"
    if in_ci():
        pytest.fail(f"CI is set but {message}", pytrace=False)
    pytest.skip(message)


def _run_util(*args: str, conf: Path) -> str:
    env = dict(os.environ, SOFTHSM2_CONF=str(conf))
    done = subprocess.run(
        ["softhsm2-util", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        # PINs are passed on the command line, so the command itself is not echoed.
        raise RuntimeError(f"softhsm2-util {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def create_token(base_dir: Path, label: str = "khatem-test") -> SoftHSMToken:
    """Create a token under ``base_dir`` and set ``SOFTHSM2_CONF`` for this process.

    The caller is responsible for restoring ``SOFTHSM2_CONF`` (pytest's
    ``monkeypatch.setenv`` before calling this does it).  A PKCS#11 library already
    initialised in this process keeps its old configuration until it is
    re-initialised, which the pkcs11 test fixture does.
    """
    module = require_softhsm()
    token_dir = base_dir / "tokens"
    token_dir.mkdir(parents=True, mode=0o700)
    conf = base_dir / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {token_dir}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n"
    )
    pin = secrets.token_hex(8)
    so_pin = secrets.token_hex(8)
    _run_util(
        "--init-token",
        "--free",
        "--label",
        label,
        "--so-pin",
        so_pin,
        "--pin",
        pin,
        conf=conf,
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return SoftHSMToken(
        module=module, label=label, pin=pin, so_pin=so_pin, conf=conf, token_dir=token_dir
    )
