"""The sign-in form tells a locked-out inspector how long to wait in words of their language
(CLDR plural forms through babel), never "1 minute(s)" or "بعد 1 دقيقة"."""

from __future__ import annotations

import pytest

from verify.pages.i18n import Lang
from verify.pages.render import render_login_page


@pytest.mark.parametrize(
    ("lang", "seconds", "said", "not_said"),
    [
        ("fr", 60, "Réessayez dans 1 minute.", "minute(s)"),
        ("fr", 900, "Réessayez dans 15 minutes.", "minute(s)"),
        ("en", 61, "Try again in 2 minutes.", "minute(s)"),
        ("es", 60, "Vuelva a intentarlo en 1 minuto.", "minuto(s)"),
        ("ar", 60, "أعد المحاولة بعد دقيقة.", "1 دقيقة"),
        ("ar", 120, "أعد المحاولة بعد دقيقت", "2 دقيقة"),  # the dual, whatever its case
    ],
)
def test_a_locked_account_is_told_the_wait_in_words(
    lang: Lang, seconds: int, said: str, not_said: str
) -> None:
    page = render_login_page(lang=lang, problem="login-locked", retry_after=seconds)
    assert said in page
    assert not_said not in page
