"""Standard Webhooks signatures (checked by the reference library) and the retry schedule."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from labeling.webhooks.schedule import RetrySchedule
from labeling.webhooks.signing import new_message_id, new_secret, signature_headers


@given(body=st.binary(max_size=2000))
@settings(max_examples=50, deadline=None)
def test_the_reference_library_verifies_our_signatures(body: bytes) -> None:
    secret = new_secret()
    message_id = new_message_id()
    now = int(datetime.now(UTC).timestamp())
    headers = signature_headers(secret, message_id, now, body)
    Webhook(secret).verify(body, headers, json_parse=False)  # byte for byte
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers, json_parse=False)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b"x", headers, json_parse=False)


def test_secrets_and_ids_have_the_standard_shape() -> None:
    assert new_secret().startswith("whsec_") and len(new_secret()) == 6 + 44
    ids = {new_message_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(i.startswith("msg_") and len(i) == 30 for i in ids)


def _series(schedule: RetrySchedule, seed: int) -> list[datetime]:
    """The times of every attempt of a delivery whose receiver never answers 2xx."""
    rng = random.Random(seed)
    start = datetime(2026, 12, 7, tzinfo=UTC)
    times = [start]
    while True:
        following = schedule.next_attempt(
            series_started_at=start, failed_attempts=len(times), now=times[-1], rng=rng
        )
        if following is None:
            return times
        assert following > times[-1]
        times.append(following)
        assert len(times) < 1000


def test_the_default_schedule_retries_for_three_days() -> None:
    times = _series(RetrySchedule(jitter=0), 0)
    start = times[0]
    offsets = [t - start for t in times]
    assert offsets[1] == timedelta(seconds=30)
    assert offsets[-1] == timedelta(hours=72)
    assert len(times) == 22
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[:-1] == sorted(gaps[:-1])  # exponential, then capped
    assert max(gaps) == timedelta(hours=6)


@given(
    base=st.floats(min_value=0.5, max_value=600),
    cap_hours=st.floats(min_value=1, max_value=24),
    window_hours=st.floats(min_value=72, max_value=240),
    jitter=st.floats(min_value=0, max_value=0.5),
    seed=st.integers(0, 2**32),
)
@settings(max_examples=200, deadline=None)
def test_any_schedule_spans_its_window_with_growing_bounded_gaps(
    base: float, cap_hours: float, window_hours: float, jitter: float, seed: int
) -> None:
    schedule = RetrySchedule(
        base=timedelta(seconds=base),
        cap=timedelta(hours=cap_hours),
        window=timedelta(hours=window_hours),
        jitter=jitter,
    )
    times = _series(schedule, seed)
    assert times[-1] - times[0] == schedule.window  # at least three days of attempts
    for n, (a, b) in enumerate(zip(times, times[1:], strict=False), start=1):
        seconds = min(schedule.base.total_seconds() * 2.0 ** min(n - 1, 40), 1e9)
        plain = min(timedelta(seconds=seconds), schedule.cap)
        assert b - a <= plain * (1 + jitter) + timedelta(microseconds=1)
        if b != times[-1]:
            assert b - a >= plain * (1 - jitter) - timedelta(microseconds=1)
