"""Property tests of the GTIN rule product lines apply (:func:`client_gtin`)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from core.problems import Problem
from labeling.registry.artisans import client_gtin
from labeling.registry.errors import GtinInvalid, GtinReserved
from verify.gtin import REGISTRY_SEQUENCE_MAX, gtin_check_digit, registry_gtin

digits = st.text(alphabet="0123456789", min_size=1, max_size=13)
bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda size: st.text(alphabet="0123456789", min_size=size, max_size=size)
)


def _with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


@given(bodies.filter(lambda body: not body.rjust(13, "0").startswith("0049")))
def test_a_valid_gtin_is_stored_as_its_gtin_14(body: str) -> None:
    gtin = _with_check_digit(body)
    stored = client_gtin(gtin)
    assert len(stored) == 14
    assert stored.lstrip("0") == gtin.lstrip("0")


@given(bodies, st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_refused(body: str, shift: int) -> None:
    gtin = _with_check_digit(body)
    wrong = gtin[:-1] + str((int(gtin[-1]) + shift) % 10)
    try:
        client_gtin(wrong)
    except GtinInvalid:
        return
    raise AssertionError(f"{wrong} was accepted")


@given(st.integers(min_value=0, max_value=REGISTRY_SEQUENCE_MAX))
def test_registry_gtins_are_reserved(sequence: int) -> None:
    try:
        client_gtin(registry_gtin(sequence))
    except GtinReserved:
        return
    raise AssertionError("a registry GTIN was accepted from a client")


@given(st.text(max_size=40))
@example("6111000020012 ")
@example("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668")
def test_any_text_is_a_gtin_or_a_problem(text: str) -> None:
    """No input makes the rule raise anything but its documented problems."""
    try:
        stored = client_gtin(text)
    except (GtinInvalid, GtinReserved) as problem:
        assert isinstance(problem, Problem) and problem.status == 422
        return
    assert len(stored) == 14 and stored.isascii() and stored.isdigit()


@given(digits)
def test_digit_strings_of_other_lengths_are_refused(text: str) -> None:
    if len(text) in (8, 12, 13):
        return
    try:
        client_gtin(text)
    except GtinInvalid:
        return
    raise AssertionError(f"{text!r} was accepted")
