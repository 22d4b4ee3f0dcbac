"""QR matrices for label URIs, built without segno's automatic mask evaluation.

Why this module exists: issuing artwork for a batch means one QR symbol per item, and
segno's default path spends most of its ≈12 ms per symbol scoring the eight masks in
pure Python. A label URI always has the same shape (three segments, version 6–9, level
M or Q; ``docs/label-format.md`` section 8), so everything that does not depend on the
URI — function patterns, format and version information, the zigzag placement order,
the mask bits — is computed once per (version, level, mask) and cached. Per label only
the bit stream, the Reed–Solomon codewords and one gather of the modules remain.

The mask is fixed per level (:data:`DEFAULT_MASK`) instead of scored per symbol. The
mask changes only how the symbol looks to a scanner, never what it decodes to; the
fixed masks were chosen over a sample of realistic labels by the ISO/IEC 18004 penalty
score (``docs/printing.md``), and the tests check that every symbol decodes with
zxing-cpp and is module-for-module the symbol segno builds with the same mask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import Final, Literal

from verify.label_codec import QR_MAX_VERSION, LabelFormatError, QrMode, qr_segments

__all__ = [
    "DEFAULT_MASK",
    "QUIET_ZONE_MODULES",
    "ErrorLevel",
    "LabelQr",
    "encode_label_qr",
]

ErrorLevel = Literal["m", "q"]

#: White border every printed symbol keeps around it, in modules (ISO/IEC 18004: 4).
QUIET_ZONE_MODULES: Final[int] = 4

#: The mask used for each level unless the caller picks one. Over 300 realistic labels
#: mask 0 had the lowest worst-case ISO/IEC 18004 penalty at M and the lowest mean at Q,
#: about 6 % above the per-symbol optimum on average (``docs/printing.md``).
DEFAULT_MASK: Final[dict[str, int]] = {"m": 0, "q": 0}

_DarkRun = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class LabelQr:
    """One label's QR symbol: the module matrix and its dark runs, ready to draw.

    ``rows`` holds one string per module row, ``"1"`` for a dark module, without the
    quiet zone. ``runs`` lists every horizontal run of dark modules as
    ``(row, column, length)``: every renderer (SVG path, PNG rectangles, PDF ``re``
    operators) draws these, so a symbol costs a few hundred rectangles instead of a
    couple of thousand single modules.
    """

    uri: str
    version: int
    error: ErrorLevel
    mask: int
    rows: tuple[str, ...]
    runs: tuple[_DarkRun, ...]

    @property
    def size(self) -> int:
        """Modules per side, without the quiet zone (17 + 4 × version)."""
        return len(self.rows)

    @property
    def size_with_quiet_zone(self) -> int:
        """Modules per side including the 4-module quiet zone on each side."""
        return len(self.rows) + 2 * QUIET_ZONE_MODULES

    @property
    def designator(self) -> str:
        """Version and level as the label spec writes them, e.g. ``7-M``."""
        return f"{self.version}-{self.error.upper()}"


def encode_label_qr(uri: str, *, error: ErrorLevel = "m", mask: int | None = None) -> LabelQr:
    """Encode a canonical label URI as a QR symbol with a fixed mask.

    Same segments, version and level rules as :func:`labeling.artwork.segno_qr.make_label_qr`
    (smallest version that fits, never above 7-M / 9-Q, no error-level boost). Raises
    :class:`~verify.label_codec.LabelFormatError` for a non-canonical URI
    (``uri_not_canonical``) or one that does not fit (``label_too_large``).
    """
    if error not in QR_MAX_VERSION:
        raise ValueError("error correction level must be 'm' or 'q'")
    chosen_mask = DEFAULT_MASK[error] if mask is None else mask
    if not 0 <= chosen_mask <= 7:
        raise ValueError("a QR mask is 0 to 7")
    bits, bit_count = _segment_bits(qr_segments(uri))
    version = _smallest_version(bit_count, error)
    plan = _symbol_plan(version, error, chosen_mask)
    capacity = plan.data_codewords * 8
    # Terminator (up to 4 zero bits), zero bits up to a byte boundary, then the pad
    # codewords 0xEC 0x11 alternately up to the capacity (ISO/IEC 18004 7.4.9–7.4.10).
    terminated = bit_count + min(4, capacity - bit_count)
    padded_length = (terminated + 7) // 8
    data = (bits << (padded_length * 8 - bit_count)).to_bytes(padded_length, "big")
    data += _PAD_CODEWORDS[: plan.data_codewords - padded_length]
    message = _interleave_with_error_correction(data, plan)
    modules = format(
        (int.from_bytes(message, "big") << plan.remainder_bits) ^ plan.mask_bits,
        plan.placement_format,
    )
    flat = "".join(plan.gather(modules + plan.function_modules))
    size = plan.size
    rows = tuple(flat[start : start + size] for start in range(0, size * size, size))
    return LabelQr(
        uri=uri,
        version=version,
        error=error,
        mask=chosen_mask,
        rows=rows,
        runs=_dark_runs(rows),
    )


# ---------------------------------------------------------------------- bit stream

_ALPHANUMERIC: Final[str] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALPHANUMERIC_VALUE: Final[dict[str, int]] = {c: i for i, c in enumerate(_ALPHANUMERIC)}
# Character-count indicator widths, the same for every version from 1 to 9.
_COUNT_BITS: Final[dict[int, int]] = {
    int(QrMode.NUMERIC): 10,
    int(QrMode.ALPHANUMERIC): 9,
    int(QrMode.BYTE): 8,
}
_NUMERIC_GROUP_BITS: Final[tuple[int, ...]] = (0, 4, 7, 10)
_PAD_CODEWORDS: Final[bytes] = b"\xec\x11" * 80


def _segment_bits(segments: list[tuple[str, int]]) -> tuple[int, int]:
    """The segments' bit stream as one integer and its length in bits."""
    value = 0
    length = 0
    for text, mode in segments:
        count_bits = _COUNT_BITS[mode]
        value = (value << (4 + count_bits)) | (mode << count_bits) | len(text)
        length += 4 + count_bits
        if mode == QrMode.ALPHANUMERIC:
            codes = [_ALPHANUMERIC_VALUE[c] for c in text]
            for index in range(0, len(codes) - 1, 2):
                value = (value << 11) | (codes[index] * 45 + codes[index + 1])
            length += 11 * (len(codes) // 2)
            if len(codes) % 2:
                value = (value << 6) | codes[-1]
                length += 6
        elif mode == QrMode.NUMERIC:
            for index in range(0, len(text), 3):
                group = text[index : index + 3]
                width = _NUMERIC_GROUP_BITS[len(group)]
                value = (value << width) | int(group)
                length += width
        else:
            raw = text.encode("iso-8859-1")
            value = (value << (8 * len(raw))) | int.from_bytes(raw, "big")
            length += 8 * len(raw)
    return value, length


def _smallest_version(bit_count: int, error: ErrorLevel) -> int:
    for version in range(1, QR_MAX_VERSION[error] + 1):
        if bit_count <= 8 * _data_codeword_count(version, error):
            return version
    raise LabelFormatError(
        "label_too_large",
        f"the label needs more than QR version {QR_MAX_VERSION[error]}-{error.upper()}",
    )


# ------------------------------------------------------------------ error correction

# ISO/IEC 18004 table 9 for versions 1–9: EC codewords per block and the blocks
# as (count, data codewords). Labels use 6–9; the rest keeps the search total.
_BLOCKS: Final[dict[tuple[int, str], tuple[int, tuple[tuple[int, int], ...]]]] = {
    (1, "m"): (10, ((1, 16),)),
    (1, "q"): (13, ((1, 13),)),
    (2, "m"): (16, ((1, 28),)),
    (2, "q"): (22, ((1, 22),)),
    (3, "m"): (26, ((1, 44),)),
    (3, "q"): (18, ((2, 17),)),
    (4, "m"): (18, ((2, 32),)),
    (4, "q"): (26, ((2, 24),)),
    (5, "m"): (24, ((2, 43),)),
    (5, "q"): (18, ((2, 15), (2, 16))),
    (6, "m"): (16, ((4, 27),)),
    (6, "q"): (24, ((4, 19),)),
    (7, "m"): (18, ((4, 31),)),
    (7, "q"): (18, ((2, 14), (4, 15))),
    (8, "m"): (22, ((2, 38), (2, 39))),
    (8, "q"): (22, ((4, 18), (2, 19))),
    (9, "m"): (22, ((3, 36), (2, 37))),
    (9, "q"): (20, ((4, 16), (4, 17))),
}


def _data_codeword_count(version: int, error: str) -> int:
    _, groups = _BLOCKS[version, error]
    return sum(count * length for count, length in groups)


def _gf_tables() -> tuple[list[int], list[int]]:
    exp = [0] * 512
    log = [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_GF_EXP, _GF_LOG = _gf_tables()


def _gf_multiply(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _GF_EXP[_GF_LOG[a] + _GF_LOG[b]]


@cache
def _remainder_table(degree: int) -> tuple[int, ...]:
    """For each factor byte, factor × generator (without its leading 1) as one integer.

    With it the Reed–Solomon division is a shift and an XOR per data codeword.
    """
    generator = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for index in range(degree):
            generator[index] = _gf_multiply(generator[index], root)
            if index + 1 < degree:
                generator[index] ^= generator[index + 1]
        root = _gf_multiply(root, 2)
    return tuple(
        int.from_bytes(bytes(_gf_multiply(factor, g) for g in generator), "big")
        for factor in range(256)
    )


def _error_correction(block: bytes, degree: int) -> bytes:
    table = _remainder_table(degree)
    shift = 8 * (degree - 1)
    keep = (1 << (8 * degree)) - 1
    remainder = 0
    for codeword in block:
        remainder = ((remainder << 8) & keep) ^ table[codeword ^ (remainder >> shift)]
    return remainder.to_bytes(degree, "big")


def _interleave_with_error_correction(data: bytes, plan: _SymbolPlan) -> bytes:
    blocks: list[bytes] = []
    start = 0
    for length in plan.block_lengths:
        blocks.append(data[start : start + length])
        start += length
    corrections = [_error_correction(block, plan.ec_codewords) for block in blocks]
    # Codeword i of every block, then codeword i + 1, ...; blocks differ in length by at
    # most one codeword, which the longer blocks append at the end.
    shortest = min(plan.block_lengths)
    out = bytearray(chain.from_iterable(zip(*blocks, strict=False)))
    out.extend(block[shortest] for block in blocks if len(block) > shortest)
    out.extend(chain.from_iterable(zip(*corrections, strict=True)))
    return bytes(out)


# ------------------------------------------------------------------ symbol layout

_ALIGNMENT_CENTRES: Final[dict[int, tuple[int, ...]]] = {
    1: (),
    2: (6, 18),
    3: (6, 22),
    4: (6, 26),
    5: (6, 30),
    6: (6, 34),
    7: (6, 22, 38),
    8: (6, 24, 42),
    9: (6, 26, 46),
}
_FORMAT_LEVEL_BITS: Final[dict[str, int]] = {"m": 0b00, "q": 0b11}
_MASK_FUNCTIONS: Final[tuple[Callable[[int, int], bool], ...]] = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


@dataclass(frozen=True, slots=True)
class _SymbolPlan:
    """Everything about a (version, level, mask) symbol that no label URI changes."""

    size: int
    data_codewords: int
    ec_codewords: int
    block_lengths: tuple[int, ...]
    remainder_bits: int
    placement_format: str  # format spec writing the data modules as a "0"/"1" string
    mask_bits: int  # mask value of each data module, in placement order
    function_modules: str  # values of the function modules, in flat-index order
    gather: Callable[[str], tuple[str, ...]]  # flat index <- data modules + function modules


class _Canvas:
    """Function patterns of one version, drawn once to derive the symbol plans."""

    def __init__(self, version: int) -> None:
        self.size = 17 + 4 * version
        self.is_function = [False] * (self.size * self.size)
        self.dark = [False] * (self.size * self.size)

    def set(self, row: int, column: int, dark: bool) -> None:
        index = row * self.size + column
        self.is_function[index] = True
        self.dark[index] = dark


@cache
def _function_patterns(version: int) -> _Canvas:
    canvas = _Canvas(version)
    size = canvas.size
    for index in range(size):
        canvas.set(6, index, index % 2 == 0)
        canvas.set(index, 6, index % 2 == 0)
    for centre_row, centre_column in ((3, 3), (3, size - 4), (size - 4, 3)):
        for dr in range(-4, 5):
            for dc in range(-4, 5):
                row, column = centre_row + dr, centre_column + dc
                if 0 <= row < size and 0 <= column < size:
                    canvas.set(row, column, max(abs(dr), abs(dc)) not in (2, 4))
    centres = _ALIGNMENT_CENTRES[version]
    last = len(centres) - 1
    for i, row in enumerate(centres):
        for j, column in enumerate(centres):
            if (i, j) in ((0, 0), (0, last), (last, 0)):
                continue  # those corners hold the finder patterns
            for dr in range(-2, 3):
                for dc in range(-2, 3):
                    canvas.set(row + dr, column + dc, max(abs(dr), abs(dc)) != 1)
    # Reserve the format information areas (values depend on level and mask) and draw
    # the dark module.
    for row, column in _format_positions(size):
        canvas.set(row, column, False)
    canvas.set(size - 8, 8, True)
    if version >= 7:
        remainder = version
        for _ in range(12):
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
        bits = version << 12 | remainder
        for index in range(18):
            dark = (bits >> index) & 1 == 1
            a, b = size - 11 + index % 3, index // 3
            canvas.set(b, a, dark)
            canvas.set(a, b, dark)
    return canvas


def _format_positions(size: int) -> list[tuple[int, int]]:
    """(row, column) of format bits 0..14, first copy then second copy."""
    first = [(row, 8) for row in range(6)] + [(7, 8), (8, 8), (8, 7)]
    first += [(8, 14 - index) for index in range(9, 15)]
    second = [(8, size - 1 - index) for index in range(8)]
    second += [(size - 15 + index, 8) for index in range(8, 15)]
    return first + second


def _format_bits(error: str, mask: int) -> int:
    data = _FORMAT_LEVEL_BITS[error] << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return (data << 10 | remainder) ^ 0x5412


@cache
def _placement_order(version: int) -> tuple[int, ...]:
    """Flat indices of the data modules in the zigzag order of ISO/IEC 18004 7.7.3."""
    canvas = _function_patterns(version)
    size = canvas.size
    order: list[int] = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5  # the vertical timing pattern takes column 6
        upward = (right + 1) & 2 == 0
        for vertical in range(size):
            row = size - 1 - vertical if upward else vertical
            for column in (right, right - 1):
                index = row * size + column
                if not canvas.is_function[index]:
                    order.append(index)
        right -= 2
    return tuple(order)


@cache
def _symbol_plan(version: int, error: str, mask: int) -> _SymbolPlan:
    canvas = _function_patterns(version)
    size = canvas.size
    dark = list(canvas.dark)
    format_bits = _format_bits(error, mask)
    positions = _format_positions(size)
    for bit, (row, column) in enumerate(positions):
        dark[row * size + column] = (format_bits >> (bit % 15)) & 1 == 1
    order = _placement_order(version)
    ec_codewords, groups = _BLOCKS[version, error]
    block_lengths = tuple(length for count, length in groups for _ in range(count))
    total_codewords = sum(block_lengths) + ec_codewords * len(block_lengths)
    mask_function = _MASK_FUNCTIONS[mask]
    mask_string = "".join("1" if mask_function(*divmod(i, size)) else "0" for i in order)
    function_indices = [i for i in range(size * size) if canvas.is_function[i]]
    source_of: list[int] = [0] * (size * size)
    for position, index in enumerate(order):
        source_of[index] = position
    for position, index in enumerate(function_indices):
        source_of[index] = len(order) + position
    return _SymbolPlan(
        size=size,
        data_codewords=sum(block_lengths),
        ec_codewords=ec_codewords,
        block_lengths=block_lengths,
        remainder_bits=len(order) - 8 * total_codewords,
        placement_format=f"0{len(order)}b",
        mask_bits=int(mask_string, 2),
        function_modules="".join("1" if dark[i] else "0" for i in function_indices),
        gather=itemgetter(*source_of),
    )


def _dark_runs(rows: tuple[str, ...]) -> tuple[_DarkRun, ...]:
    # Splitting on light modules yields the dark runs (and empty strings between
    # adjacent light modules): the fastest way in pure Python to walk a row by runs.
    runs: list[_DarkRun] = []
    for row, text in enumerate(rows):
        column = 0
        for run in text.split("0"):
            if run:
                runs.append((row, column, len(run)))
                column += len(run) + 1
            else:
                column += 1
    return tuple(runs)
