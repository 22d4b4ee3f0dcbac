"""The one answer to "are we running under CI?" (``CI`` set to anything but empty, ``0``,
``false`` or ``no``; ``.ci/run`` sets ``CI=true``).

Under CI a missing tool or server is a failure, never a skip: CI must not go green on a
suite that did not run. Read at call time, so a test can set ``CI`` with ``monkeypatch``.
"""

from __future__ import annotations

import os

__all__ = ["in_ci"]


def in_ci() -> bool:
    """True under CI."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
