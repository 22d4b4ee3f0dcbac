"""The registry as a verification source: :class:`OnlineSource` answers
:class:`verify.verifier.VerificationSource` for one scan, from the live database.

A scan reads one row (:meth:`ReadConnection.label`): the label by ``(gtin, serial)`` with
its certificate's status, its key's retirement and compromise times and the latest
checkpoint's size — everything that can change at any moment, read fresh on every scan.
What rarely changes (public keys, certificate facts, batches) comes from the database's
:class:`~labeling.verification.fast_path.ScanCache`.

The online source is *authoritative*: it knows every key and label the registry issued, so
"never heard of it" is INVALID, not UNKNOWN.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

from labeling.verification.facts import utc
from labeling.verification.repository import LabelRow
from verify.item import ItemFacts
from verify.label_codec import LabelToken
from verify.verdict import CertificateFacts, Check, Outcome
from verify.verifier import KeyFacts, LabelRecord

if TYPE_CHECKING:
    from labeling.verification.fast_path import ScanCache

__all__ = ["PROOF_PATH", "OnlineSource"]

#: Where a verifier fetches the inclusion proof of a label's log leaf.
PROOF_PATH: Final = "/log/proof/inclusion?index={index}&size={size}"

_LIVE: Final = Check(name="data_freshness", outcome=Outcome.PASSED, reason="live_registry")


class OnlineSource:
    """:class:`verify.verifier.VerificationSource` over the live registry, for one scan of
    the label whose row is ``row`` (None: the registry has no such label)."""

    authoritative = True
    mode = "online"

    def __init__(self, cache: ScanCache, row: LabelRow | None) -> None:
        self._cache = cache
        self._row = row
        #: The certificate's catalogue records that are placeholders (``scheme``, ``body``,
        #: ``craft``, ``standards``), once :meth:`certificate` has been asked.
        self.assumptions: tuple[str, ...] = ()

    @property
    def row(self) -> LabelRow | None:
        """The label's row, as read for this scan."""
        return self._row

    def key(self, kid: str) -> KeyFacts | None:
        row = self._row
        if row is None or row.kid != kid:
            return self._cache.current_key(kid)
        key = self._cache.public_key(kid)
        if key is None:
            return None
        # The label row carries its key's status, read with it.
        return KeyFacts(
            kid=kid,
            public_key=key.public_key,
            not_before=key.not_before,
            retired_at=utc(row.key_retired_at),
            compromised_since=utc(row.key_compromised_since),
        )

    def label(self, token: LabelToken) -> LabelRecord | None:
        row = self._row
        if row is None:
            return None
        log_index, logged_at = self._cache.leaf_index(row.batch_id, row.label_id)
        return LabelRecord(
            status=row.status,
            reason=row.status_reason,
            log_index=log_index,
            logged_at=logged_at,
            signature=bytes(row.signature),
            kid=row.kid,
            issued_at=utc(row.issued_at),
            certificate_code=int(row.certificate_code),
            evidence=self._cache.evidence(row.label_id, row.marks),
        )

    def certificate(self, code: int) -> CertificateFacts | None:
        row = self._row
        if row is not None and int(row.certificate_code) == code:
            found = self._cache.certificate(row.certificate_id, row.certificate_version)
        else:
            found = self._cache.certificate_by_code(code)
        if found is None:
            return None
        self.assumptions = found.assumptions
        return found.facts

    def item(self, gtin: str) -> ItemFacts | None:
        """What the label belongs to: its product line's description (verify.item)."""
        row = self._row
        if row is None or row.product_line_id is None:
            return None
        return self._cache.item(int(row.product_line_id), int(row.item_version or 0))

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check:
        if record is None:
            return Check(name="log_inclusion", outcome=Outcome.NOT_APPLICABLE, reason="not_checked")
        if record.log_index is None:
            # On record but not logged: the registry's own bookkeeping is at fault, not the
            # label; the buyer is told, the label is not condemned for it.
            return Check(name="log_inclusion", outcome=Outcome.WARNING, reason="log_entry_missing")
        size = self._row.tree_size if self._row is not None else self._cache.tree_size()
        index = record.log_index
        if size is not None and index < int(size):
            return Check(
                name="log_inclusion",
                outcome=Outcome.PASSED,
                reason="included_in_checkpoint",
                detail={
                    "leaf_index": index,
                    "tree_size": int(size),
                    "proof": PROOF_PATH.format(index=index, size=int(size)),
                },
            )
        # Logged, but the next signed checkpoint (every minute or so) has not covered it yet.
        return Check(
            name="log_inclusion",
            outcome=Outcome.NOT_APPLICABLE,
            reason="log_checkpoint_pending",
            detail={"leaf_index": index},
        )

    def freshness(self, now: datetime) -> Check:
        return _LIVE

    def data_as_of(self) -> datetime | None:
        return None
