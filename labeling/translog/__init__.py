"""The transparency-log writer: every registry event becomes a leaf of an RFC 9162 tree.

Services call :func:`append_event` (or :func:`append_events` for a batch) inside their own
transaction, before they commit, so an event is logged if and only if the change it records
is committed. Checkpoints, proofs and the public API live in the sibling modules
(``checkpoints``, ``checkpointer``, ``proofs``, ``router``).
"""

from labeling.translog.events import (
    LogEvent,
    LogEventError,
    append_event,
    append_events,
    canonical_payload,
)

__all__ = ["LogEvent", "LogEventError", "append_event", "append_events", "canonical_payload"]
