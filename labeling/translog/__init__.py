"""The transparency-log writer: every registry event becomes a leaf of an RFC 9162 tree.

Services call :func:`append_event` inside their own transaction, before they commit, so an
event is logged if and only if the change it records is committed.
"""

from labeling.translog.events import append_event, canonical_payload

__all__ = ["append_event", "canonical_payload"]
