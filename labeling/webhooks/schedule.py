"""When a failed delivery is tried again: exponential backoff over the retry window.

After the ``n``-th failed attempt of a series (``n`` ≥ 1) the next comes
``min(base · 2^(n-1), cap)`` later, give or take ``jitter`` (so that the deliveries of one
burst of changes do not all come back at the same second). A series lasts the retry
window (72 hours by default): the attempt that would fall after it is made at its end
instead, and after that one the delivery is ``failed`` — a replay starts a new series.

With the defaults (30 s, 6 h, 72 h) the attempts come at about 0, 30 s, 1.5 min, 3.5 min,
7.5 min, 15.5 min, 31.5 min, 1 h, 2.1 h, 4.3 h, 8.5 h, 14.5 h, 20.5 h, … every 6 h … 72 h:
22 attempts (docs/webhooks.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["RetrySchedule"]


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=6)
    window: timedelta = timedelta(hours=72)
    jitter: float = 0.1

    def delay(self, failed_attempts: int, rng: random.Random | None = None) -> timedelta:
        """The wait after the ``failed_attempts``-th failure of a series (≥ 1)."""
        if failed_attempts < 1:
            raise ValueError("the first attempt is made at once")
        exponent = min(failed_attempts - 1, 40)  # 2^40 · base is far beyond any cap
        seconds = self.base.total_seconds() * 2.0**exponent
        plain = min(timedelta(seconds=min(seconds, 1e9)), self.cap)
        if not self.jitter:
            return plain
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        return plain * (1 + spread)

    def next_attempt(
        self,
        *,
        series_started_at: datetime,
        failed_attempts: int,
        now: datetime,
        rng: random.Random | None = None,
    ) -> datetime | None:
        """When to try again after a failure at ``now``; ``None``: give up (window over)."""
        end = series_started_at + self.window
        if now >= end:
            return None
        return min(now + self.delay(failed_attempts, rng), end)
