"""The registry as a verification source: :class:`RegistrySource` answers
:class:`verify.verdict.VerificationSource` from the live database.

One scan costs one indexed statement (:meth:`ReadConnection.label`): the label row by
``(gtin, serial)`` joined with its certificate's status, its key's retirement and
compromise times and the latest checkpoint's size — everything that can change at any
moment is read fresh on every scan. What rarely changes is cached in memory:

* public keys (an ``Ed25519PublicKey`` per kid): a key's bytes never change; its status
  comes with the label row;
* certificate facts (artisan names, region, craft, scheme, standards, criteria met, audit,
  body): reloaded at once when the certificate's status or status time differs from the
  cached one, and otherwise at most :data:`FACTS_TTL` seconds old (an artisan's display
  name edited by an inspector shows within a minute; statuses show at once);
* batches (first log index, label id range): immutable once issued.

The online source is *authoritative*: it knows every key and label the registry issued, so
"never heard of it" is INVALID, not UNKNOWN.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from labeling.verification.repository import LabelRow, ReadConnection, day, utc
from verify.label_codec import LabelToken, format_certificate_code
from verify.verdict import (
    ArtisanFacts,
    CertificateFacts,
    Check,
    Conformity,
    KeyFacts,
    LabelRecord,
    Outcome,
    StandardFacts,
    plain_check,
)

__all__ = ["FACTS_TTL", "PROOF_PATH", "Registry", "RegistrySource"]

#: Seconds the cached public facts of a certificate (names, scheme, audit) may be old.
#: Statuses never come from this cache.
FACTS_TTL: Final = 60.0
#: Bounds of the in-memory caches (entries); past them a cache starts afresh.
FACTS_CACHE_SIZE: Final = 20_000
BATCH_CACHE_SIZE: Final = 100_000
#: Where a verifier fetches the inclusion proof of a label's log leaf.
PROOF_PATH: Final = "/log/proof/inclusion?index={index}&size={size}"

_LIVE: Final = Check("data_freshness", Outcome.PASSED, "live_registry")

# Positions in a label row (repository._LABEL_SQL).
_ID, _BATCH, _CERT_ID, _KID, _ISSUED, _SIG, _STATUS, _REASON = range(8)
_CODE, _C_STATUS, _C_CHANGED, _C_FROM, _C_UNTIL, _K_RETIRED, _K_COMPROMISED, _TREE = range(8, 16)


@dataclass(frozen=True, slots=True)
class _Key:
    public_key: Ed25519PublicKey
    not_before: datetime


@dataclass(frozen=True, slots=True)
class _Facts:
    """A certificate's slow-changing public facts, and the status they were loaded under."""

    version: tuple[Any, ...]
    loaded: float
    facts: CertificateFacts
    assumptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Batch:
    first_log_index: int | None
    completed_at: datetime | None
    first_id: int
    contiguous: bool


class Registry:
    """The caches shared by every scan of one database (thread-safe: dict operations are
    atomic, and a racing reload only does the same work twice)."""

    def __init__(self, connection: ReadConnection) -> None:
        self.db = connection
        self._keys: dict[str, _Key | None] = {}
        self._key_facts: dict[str, KeyFacts] = {}
        self._facts: dict[int, _Facts] = {}
        self._batches: dict[int, _Batch] = {}
        self._standards: dict[str, tuple[str, bool]] | None = None
        self._lock = threading.Lock()

    def source(self) -> RegistrySource:
        """A source for one verification (cheap: it only remembers the label row)."""
        return RegistrySource(self)

    # ------------------------------------------------------------------ keys

    def public_key(self, kid: str) -> tuple[_Key, datetime | None, datetime | None] | None:
        """The key and its *current* retirement and compromise times (read fresh)."""
        row = self.db.key(kid)
        if row is None:
            return None
        key = self._key_from(row)
        return key, utc(row[3]), utc(row[4])

    def cached_key(self, kid: str) -> _Key | None:
        key = self._keys.get(kid)
        if key is None:
            row = self.db.key(kid)
            if row is None:
                return None  # unknown kids are not cached: junk must not grow the cache
            key = self._key_from(row)
        return key

    def key_facts(
        self, kid: str, key: _Key, retired: datetime | None, compromised: datetime | None
    ) -> KeyFacts:
        """The same :class:`KeyFacts` object while the key's status is unchanged (the
        verdict module keys its per-key caches on that identity)."""
        facts = self._key_facts.get(kid)
        if (
            facts is None
            or facts.public_key is not key.public_key
            or facts.retired_at != retired
            or facts.compromised_since != compromised
        ):
            facts = KeyFacts(kid, key.public_key, key.not_before, retired, compromised)
            self._key_facts[kid] = facts
        return facts

    def _key_from(self, row: tuple[Any, ...]) -> _Key:
        kid = row[0]
        key = self._keys.get(kid)
        if key is None:
            key = _Key(Ed25519PublicKey.from_public_bytes(bytes(row[1])), utc(row[2]))  # type: ignore[arg-type]
            self._keys[kid] = key
        return key

    # ------------------------------------------------------------------ certificates

    def certificate_facts(
        self, certificate_id: int, version: tuple[Any, ...]
    ) -> CertificateFacts | None:
        """The certificate's public facts under ``version`` = (status, status_changed_at,
        valid_from, valid_until) as just read from the database."""
        found = self.cached_facts(certificate_id, version)
        return found.facts if found is not None else None

    def cached_facts(self, certificate_id: int, version: tuple[Any, ...]) -> _Facts | None:
        cached = self._facts.get(certificate_id)
        now = time.monotonic()
        if cached is not None and cached.version == version and now - cached.loaded < FACTS_TTL:
            return cached
        loaded = self._load_facts(certificate_id, version, now)
        if loaded is not None:
            if len(self._facts) >= FACTS_CACHE_SIZE:
                self._facts.clear()
            self._facts[certificate_id] = loaded
        return loaded

    def _load_facts(
        self, certificate_id: int, version: tuple[Any, ...], now: float
    ) -> _Facts | None:
        row = self.db.certificate_facts(certificate_id)
        if row is None:
            return None
        scheme_assumed, body_assumed, filiere_assumed, metier_assumed = row[16:20]
        (code, latin, arabic, region_code, region_name, craft, scheme_code, scheme_name) = row[:8]
        level, level_name, standards_json, audit_id, audit_date, outcome = row[8:14]
        body_code, body_name = row[14:16]
        status = str(version[0])
        reason = self.db.status_reason(certificate_id) if status != "active" else None
        standards, standards_assumed = self._standard_facts(standards_json)
        assumed = (
            ("scheme", scheme_assumed),
            ("body", body_assumed),
            ("craft", filiere_assumed or metier_assumed),
            ("standards", standards_assumed),
        )
        facts = CertificateFacts(
            code=format_certificate_code(int(code)),
            status=status,
            status_reason=reason,
            valid_from=day(version[2]),
            valid_until=day(version[3]),
            conformity=Conformity(
                scheme_code=scheme_code,
                scheme_name=scheme_name,
                level=level,
                level_name=level_name,
                standards=standards,
                criteria_met=tuple(self.db.criteria_met(int(audit_id))),
                audit_date=day(audit_date),
                audit_outcome=str(outcome),
                body_code=body_code,
                body_name=body_name,
            ),
            artisan=ArtisanFacts(
                display_name_latin=latin,
                display_name_arabic=arabic,
                region_code=region_code,
                region_name=region_name,
                craft=craft,
            ),
        )
        return _Facts(version, now, facts, tuple(name for name, flag in assumed if flag))

    def _standard_facts(self, standards_json: Any) -> tuple[tuple[StandardFacts, ...], bool]:
        codes = json.loads(standards_json) if isinstance(standards_json, str) else standards_json
        codes = codes or []
        known = self._standards
        if known is None or any(code not in known for code in codes):
            known = self._standards = self.db.standard_titles()
        facts = tuple(StandardFacts(code, known.get(code, (code, False))[0]) for code in codes)
        return facts, any(known.get(code, (code, False))[1] for code in codes)

    # ------------------------------------------------------------------ log

    def leaf_index(self, batch_id: int, label_id: int) -> tuple[int | None, datetime | None]:
        """The label's ``label.issued`` leaf: its batch's first leaf plus its rank in the
        batch (labels and leaves are written in the same order, in one transaction)."""
        batch = self._batches.get(batch_id)
        if batch is None:
            row = self.db.batch(batch_id)
            if row is None:
                return None, None
            first_index, completed_at, first_id, last_id, count = row
            batch = _Batch(
                None if first_index is None else int(first_index),
                utc(completed_at),
                int(first_id),
                int(last_id) - int(first_id) + 1 == int(count),
            )
            if first_index is not None:
                if len(self._batches) >= BATCH_CACHE_SIZE:
                    self._batches.clear()
                self._batches[batch_id] = batch
        if batch.first_log_index is None:
            return None, batch.completed_at
        if batch.contiguous:
            rank = label_id - batch.first_id
        else:  # ids interleaved with a concurrent batch (PostgreSQL): count, once per scan
            rank = self.db.rank_in_batch(batch_id, label_id)
        return batch.first_log_index + rank, batch.completed_at


class RegistrySource:
    """:class:`verify.verdict.VerificationSource` over the live registry, for one scan.

    :meth:`label` reads the label row (with its certificate's and key's current status);
    :meth:`key`, :meth:`certificate` and :meth:`log_inclusion` then answer from it. Used on
    its own (without :meth:`prefetch`), each method queries what it needs.
    """

    __slots__ = ("_registry", "_row", "_token", "assumptions")

    authoritative = True
    mode = "online"

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._row: LabelRow | None = None
        self._token: LabelToken | None = None
        #: The certificate's catalogue records that are placeholders (``scheme``, ``body``,
        #: ``craft``, ``standards``), once :meth:`certificate` has been asked.
        self.assumptions: tuple[str, ...] = ()

    def prefetch(self, token: LabelToken) -> None:
        """Read the label's row once, before the checks ask for its parts."""
        self._token = token
        self._row = self._registry.db.label(token.gtin, token.serial)

    def _row_for(self, token: LabelToken) -> LabelRow | None:
        if self._token is not token:
            self.prefetch(token)
        return self._row

    def key(self, kid: str) -> KeyFacts | None:
        row = self._row
        if row is not None and row[_KID] == kid:
            key = self._registry.cached_key(kid)
            if key is None:
                return None
            retired, compromised = utc(row[_K_RETIRED]), utc(row[_K_COMPROMISED])
        else:
            found = self._registry.public_key(kid)
            if found is None:
                return None
            key, retired, compromised = found
        return self._registry.key_facts(kid, key, retired, compromised)

    def label(self, token: LabelToken) -> LabelRecord | None:
        row = self._row_for(token)
        if row is None:
            return None
        log_index, logged_at = self._registry.leaf_index(row[_BATCH], row[_ID])
        return LabelRecord(
            status=row[_STATUS],
            reason=row[_REASON],
            log_index=log_index,
            logged_at=logged_at,
            signature=bytes(row[_SIG]),
            kid=row[_KID],
            issued_at=utc(row[_ISSUED]),
            certificate_code=int(row[_CODE]),
        )

    def certificate(self, code: int) -> CertificateFacts | None:
        row = self._row
        if row is not None and int(row[_CODE]) == code:
            version = (row[_C_STATUS], row[_C_CHANGED], row[_C_FROM], row[_C_UNTIL])
            found = self._registry.cached_facts(row[_CERT_ID], version)
        else:
            status = self._registry.db.certificate_status(code)
            if status is None:
                return None
            found = self._registry.cached_facts(status[0], tuple(status[1:]))
        if found is None:
            return None
        self.assumptions = found.assumptions
        return found.facts

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check:
        if record is None:
            return plain_check("log_inclusion", Outcome.NOT_APPLICABLE, "not_checked")
        if record.log_index is None:
            # On record but not logged: the registry's own bookkeeping is at fault, not the
            # label; the buyer is told, the label is not condemned for it.
            return plain_check("log_inclusion", Outcome.WARNING, "log_entry_missing")
        row = self._row if self._token is token else None
        size = row[_TREE] if row is not None else self._registry.db.latest_tree_size()
        index = record.log_index
        if size is not None and index < int(size):
            return Check(
                "log_inclusion",
                Outcome.PASSED,
                "included_in_checkpoint",
                {
                    "leaf_index": index,
                    "tree_size": int(size),
                    "proof": PROOF_PATH.format(index=index, size=int(size)),
                },
            )
        # Logged, but the next signed checkpoint (every minute or so) has not covered it yet.
        return Check(
            "log_inclusion", Outcome.NOT_APPLICABLE, "log_checkpoint_pending", {"leaf_index": index}
        )

    def freshness(self, now: datetime) -> Check:
        return _LIVE

    def data_as_of(self) -> datetime | None:
        return None
