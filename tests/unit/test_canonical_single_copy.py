"""One copy of every canonical encoding: ``verify/canonical.py``, and nowhere else.

The bytes Khatem signs and hashes — RFC 8785 JSON, a label's signed message, a key id, a
GTIN check digit — used to be written out in several modules that had to agree by luck.
This test reads the source tree (syntax only, nothing is imported) and fails when a second
copy of one of them appears outside ``verify/canonical.py``:

* JSON canonicalisation: a ``json.dumps``/``JSONEncoder`` with ``sort_keys=True`` and
  explicit ``separators`` (indented, human-readable JSON is fine), the standard library's
  string escaper imported directly, text encoded as UTF-16 big-endian (RFC 8785's member
  order), or ``rfc8785`` used directly;
* a key id: ``sha256(<key>).digest()[:4]`` or ``.hexdigest()[:8]`` (a hash of a
  concatenation, such as the C2SP note key hash of ``verify/checkpoint.py``, is another
  construction and is not flagged);
* a GTIN check digit: one function that both multiplies by 3 and takes a remainder mod 10;
* a label's signed message: the ``b"KHATEM-LABEL"`` prefix written out, or the prefix
  constant used in an expression rather than re-exported.

Tests are not scanned: they recompute these independently on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("core", "labeling", "verify", "schemas", "bench", "main.py")
HOME = Path("verify/canonical.py")
PREFIX_NAMES = frozenset({"DOMAIN_PREFIX", "LABEL_DOMAIN_PREFIX", "_LABEL_HEADER"})
UTF16BE = frozenset({"utf-16-be", "utf-16be", "utf16be", "utf16-be"})


def _sources() -> list[Path]:
    files: list[Path] = []
    for root in ROOTS:
        path = REPO / root
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [path.relative_to(REPO) for path in files]


def _name(node: ast.expr) -> str:
    """``json.dumps`` -> ``dumps``; ``sha256`` -> ``sha256``; anything else -> ``""``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _json_copies(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in {"dumps", "dump", "JSONEncoder"}:
            keywords = {k.arg: k.value for k in node.keywords}
            if _is_true(keywords.get("sort_keys", ast.Constant(False))) and (
                "separators" in keywords
            ):
                found.append((node.lineno, "canonical JSON written with sort_keys+separators"))
        elif isinstance(node, ast.ImportFrom) and node.module in {"json.encoder", "_json"}:
            if any("encode_basestring" in alias.name for alias in node.names):
                found.append((node.lineno, "JSON strings escaped by hand"))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] + [getattr(node, "module", "")]
            if "rfc8785" in modules:
                found.append((node.lineno, "rfc8785 used directly"))
        if isinstance(node, ast.Call) and _name(node.func) == "encode" and node.args:
            codec = _constant(node.args[0])
            if isinstance(codec, str) and codec.lower().replace("_", "-") in UTF16BE:
                found.append((node.lineno, "JSON members sorted by hand"))
    return found


def _key_id_copies(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
            continue
        call, upper = node.value, node.slice.upper
        if not (isinstance(call, ast.Call) and isinstance(upper, ast.Constant)):
            continue
        method, hashed = _name(call.func), getattr(call.func, "value", None)
        if not (isinstance(hashed, ast.Call) and "sha256" in _name(hashed.func)):
            continue
        plain = len(hashed.args) == 1 and not isinstance(hashed.args[0], ast.BinOp)
        if plain and (method, upper.value) in {("digest", 4), ("hexdigest", 8)}:
            found.append((node.lineno, "a key id computed by hand"))
    return found


def _check_digit_copies(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        mod10 = times3 = False
        for node in ast.walk(function):
            if isinstance(node, ast.BinOp):
                operands = (node.left, node.right)
                constants = {o.value for o in operands if isinstance(o, ast.Constant)}
                mod10 |= isinstance(node.op, ast.Mod) and _constant(node.right) == 10
                times3 |= isinstance(node.op, ast.Mult) and 3 in constants
        if mod10 and times3:
            found.append((function.lineno, "a GTIN check digit computed by hand"))
    return found


def _constant(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _label_message_copies(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    aliases = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
    }
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, bytes) and value.startswith(b"KHATEM-LABEL"):
            if not value.startswith(b"KHATEM-LABEL-ID"):  # the snapshot's label hash
                found.append((node.lineno, "the label message prefix written out"))
        elif isinstance(node, ast.Name | ast.Attribute) and _name(node) in PREFIX_NAMES:
            if isinstance(node.ctx, ast.Load) and id(node) not in aliases:
                found.append((node.lineno, "the label message built by hand"))
    return found


DETECTORS = (_json_copies, _key_id_copies, _check_digit_copies, _label_message_copies)


def copies(source: str) -> list[tuple[int, str]]:
    """Every second copy of a canonical encoding in ``source``, as (line, what)."""
    tree = ast.parse(source)
    return sorted(finding for detect in DETECTORS for finding in detect(tree))


def test_no_canonical_encoding_is_written_twice() -> None:
    found = [
        f"{path}:{line}: {what}"
        for path in _sources()
        if path != HOME
        for line, what in copies((REPO / path).read_text(encoding="utf-8"))
    ]
    # Use verify.canonical: canonical_json (floats=True where numbers may be fractions),
    # json_string, label_message(s), key_id, gtin_check_digit.
    assert found == [], "a second copy of a canonical encoding; call verify.canonical"


def test_the_home_module_holds_each_encoding() -> None:
    """The scan would be vacuous if it could not see the real thing: it sees it at home."""
    kinds = {what for _, what in copies((REPO / HOME).read_text(encoding="utf-8"))}
    assert kinds == {
        "canonical JSON written with sort_keys+separators",
        "JSON strings escaped by hand",
        "JSON members sorted by hand",
        "rfc8785 used directly",
        "a key id computed by hand",
        "a GTIN check digit computed by hand",
        "the label message prefix written out",
        "the label message built by hand",
    }


@pytest.mark.parametrize(
    "snippet",
    [
        'json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)',
        'json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode(d)',
        "from json.encoder import encode_basestring",
        "members = sorted(value, key=lambda k: k.encode('utf-16-be', 'surrogatepass'))",
        "import rfc8785",
        "from rfc8785 import dumps",
        "kid = hashlib.sha256(public_key).digest()[:4].hex()",
        "kid = sha256(bytes(raw)).hexdigest()[:8]",
        "def check(body):\n    return (10 - sum(int(c) * 3 for c in body) % 10) % 10",
        "head = b'KHATEM-LABEL\\x01\\x01' + gtin.encode()",
        "message = b''.join((DOMAIN_PREFIX, bytes((1, 1)), gtin))",
        "message = label_codec.DOMAIN_PREFIX + rest",
    ],
)
def test_each_kind_of_copy_is_found(snippet: str) -> None:
    assert copies(snippet) != []


@pytest.mark.parametrize(
    "snippet",
    [
        "json.dumps(evidence, indent=2, sort_keys=True)",  # human-readable output
        "json.dumps([REVISION, *parts], sort_keys=True, ensure_ascii=False)",  # an ETag
        "canonical_json(document)",
        "hashlib.sha256(name.encode() + b'\\n' + b'\\x01' + raw).digest()[:4]",  # C2SP
        "hashlib.sha256(body).hexdigest()[:32]",  # an ETag
        "sha256(f'KHATEM-LABEL-ID-V1\\n{gtin}/{serial}'.encode()).digest()[:8]",
        "x = b'KHATEM-LABEL-ID-V1'",
        "DOMAIN_PREFIX: Final[bytes] = LABEL_DOMAIN_PREFIX",  # a re-export
        "from verify.canonical import LABEL_DOMAIN_PREFIX",
        "def width(n):\n    return n * 3",
        "def parity(n):\n    return n % 10",
    ],
)
def test_legitimate_code_is_not_flagged(snippet: str) -> None:
    assert copies(snippet) == []
