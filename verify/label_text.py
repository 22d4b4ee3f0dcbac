"""Label text as a scanner or a person hands it over: the white space around it is not part.

A keyboard-wedge scanner types the QR code's text followed by Enter (``\\n`` or ``\\r\\n``),
some by Tab or a space; a pasted address drags a line end along; a spreadsheet cell starts
with a space. None of that is the label: :func:`scanned_label` removes the ASCII white space
(space, tab, line feed, carriage return, form feed, vertical tab) before and after the
text, and nothing else. White space *inside* the text stays, so such a text is still
refused by the label parser (``uri_malformed``): a label never contains any.

Every place that reads a label's text from outside (the verification API, the command line,
a photo's QR codes) passes it through this one function.
"""

from __future__ import annotations

from typing import Final

__all__ = ["SURROUNDING_WHITESPACE", "scanned_label"]

#: What is removed around a label's text: ASCII white space only (a label is ASCII).
SURROUNDING_WHITESPACE: Final = " \t\n\r\f\v"


def scanned_label(text: str) -> str:
    """``text`` without the ASCII white space before and after it (inner text unchanged)."""
    return text.strip(SURROUNDING_WHITESPACE)
