"""The registry's "today": the calendar day in Morocco.

Audit dates, validity windows and expiry are calendar dates as an inspector in Ouarzazate
reads them. Using the UTC day instead would refuse, between midnight and one in the
morning local time, an audit recorded on the day it took place.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["REGISTRY_TIMEZONE", "add_months", "registry_today"]

REGISTRY_TIMEZONE = ZoneInfo("Africa/Casablanca")


def registry_today() -> date:
    """Today's date in Morocco; tests freeze it by patching this function."""
    return datetime.now(REGISTRY_TIMEZONE).date()


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has at least 28 days")
