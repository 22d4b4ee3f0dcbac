"""Copied labels in one check: a GTIN and serial carried by two or more of its labels.

One physical item has one label, so a serial seen twice in a shipment means at least one
copy (or the same item scanned twice). The bulk page and its CSV flag each such row, and the
bulk API says which labels share a serial.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from verify.verdict import Verdict

__all__ = ["RepeatedSerial", "repeated_serials", "sharing_rows"]


@dataclass(frozen=True, slots=True)
class RepeatedSerial:
    """A GTIN and serial that more than one label of one check carries, and where:
    ``indexes`` are the 0-based positions of those labels among the ones checked."""

    gtin: str
    serial: str
    indexes: tuple[int, ...]


def repeated_serials(verdicts: Sequence[Verdict]) -> list[RepeatedSerial]:
    """Every GTIN and serial carried by two or more of ``verdicts``' labels, in order of
    first appearance. Only labels that parse have a serial; their signature need not hold
    (a copy with a damaged signature still repeats the serial)."""
    where: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for index, verdict in enumerate(verdicts):
        if verdict.label is not None:
            where[(verdict.label.gtin, verdict.label.serial)].append(index)
    return [
        RepeatedSerial(gtin, serial, tuple(indexes))
        for (gtin, serial), indexes in where.items()
        if len(indexes) > 1
    ]


def sharing_rows(verdicts: Sequence[Verdict]) -> list[tuple[int, ...]]:
    """For each verdict, the positions of all labels sharing its serial (or ``()``)."""
    sharing: list[tuple[int, ...]] = [()] * len(verdicts)
    for repeated in repeated_serials(verdicts):
        for index in repeated.indexes:
            sharing[index] = repeated.indexes
    return sharing
