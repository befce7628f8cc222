"""Every JSON the app reads goes through here: bytes in, Python values out, or BadJSON.

One path for the article upload (.jsonl) and the span import (doccano JSONL, Label Studio
JSON), so that each refuses the same things the same way:

- text that is not UTF-8 (RFC 8259 requires it; a BOM is tolerated);
- a file larger than the caller's limit;
- nesting deeper than MAX_DEPTH, found by scanning the brackets before json.loads, whose
  recursion would otherwise end in a RecursionError (or worse) on "[[[[…";
- NaN and Infinity, which are not JSON;
- strings holding a NUL or half of a surrogate pair ("\\u0000", "\\ud800"): PostgreSQL
  refuses the first and UTF-8 cannot encode the second, so either would fail much later.

Messages are marked, not translated (no Django here, as in extraction.py); the caller
translates `message` and then fills in `params`.
"""

import json
import re
from collections.abc import Iterator
from typing import Any


def _(message: str) -> str:
    """Marks a message for translation (makemessages finds `_()`); the caller translates."""
    return message


# Our formats nest a handful of levels (a Label Studio task: about 7); metadata may add some.
MAX_DEPTH = 100

NOT_UTF8 = _("The file is not UTF-8 text; JSON files must be saved as UTF-8.")
TOO_LARGE = _("The file is larger than %(mb)d MB.")
TOO_DEEP = _("The JSON is nested more than %(max)d levels deep.")
INVALID_FILE = _("The file is not valid JSON (line %(line)d, column %(column)d).")
INVALID_LINE = _("This line is not valid JSON.")
NOT_A_LIST = _("The file must hold a JSON list of records, like [{…}, {…}].")
BAD_CHARACTERS = _(
    "%(where)s contains characters that are not valid text (a NUL byte or an unpaired surrogate)."
)


class BadJSON(ValueError):
    """JSON we refuse: `message` is marked English, `params` its values."""

    def __init__(self, message: str, params: dict[str, object] | None = None) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if self.params else message)


def decode(data: bytes, *, max_bytes: int | None = None) -> Any:
    """One JSON document (a Label Studio export) as Python values; raises BadJSON.

    >>> decode(b'{"text": "\\\\u00e9t\\\\u00e9"}')
    {'text': 'été'}
    """
    return _parse(_text(data, max_bytes), INVALID_FILE)


def decode_records(
    data: bytes, *, max_bytes: int | None = None
) -> Iterator[tuple[int, Any, BadJSON | None]]:
    """(number, item, its problem or None) for each item of a JSON list (a Label Studio
    export), from 1; a lone object counts as a list of one. The item comes even with its
    problem, so that the caller can name it (by its id).

    Strings are checked item by item, so a bad character refuses its own item only; a problem
    with the whole file (not UTF-8, too large or too deep, not JSON, not a list) raises.
    """
    text = _text(data, max_bytes)
    value = _parse(text, INVALID_FILE, check_strings=False)
    suspect = bool(_MAYBE_BAD_ESCAPE.search(text))
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise BadJSON(NOT_A_LIST)
    for number, item in enumerate(value, start=1):
        where = _bad_string(item) if suspect else None
        yield number, item, None if where is None else BadJSON(BAD_CHARACTERS, {"where": where})


def decode_lines(data: bytes, *, max_bytes: int | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, value or BadJSON) for each non-blank line of a JSONL file, from 1.

    A problem with the whole file (not UTF-8, too large) raises BadJSON instead.
    """
    text = _text(data, max_bytes)
    # Only "\n" ends a JSONL line: str.splitlines() would also split on U+2028, which JSON
    # strings may hold unescaped. A "\r" before it is JSON whitespace.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                yield number, _parse(line, INVALID_LINE)
            except BadJSON as error:
                yield number, error


def _text(data: bytes, max_bytes: int | None) -> str:
    if max_bytes is not None and len(data) > max_bytes:
        raise BadJSON(TOO_LARGE, {"mb": max(1, max_bytes // (1024 * 1024))})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadJSON(NOT_UTF8) from None


def _refuse_constant(name: str) -> None:
    raise ValueError(name)  # NaN, Infinity, -Infinity: Python's extensions to JSON


def _parse(text: str, invalid: str, *, check_strings: bool = True) -> Any:
    _check_depth(text)
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise BadJSON(invalid, {"line": error.lineno, "column": error.colno}) from None
    except ValueError:  # a refused constant, or an integer of more than 4,300 digits
        raise BadJSON(invalid, {"line": 1, "column": 1}) from None
    if check_strings and _MAYBE_BAD_ESCAPE.search(text):
        where = _bad_string(value)
        if where is not None:
            raise BadJSON(BAD_CHARACTERS, {"where": where})
    return value


# Strings (skipped whole, escapes included) and brackets: a C-speed scan of the text. A quote
# that opens no complete string ends the scan: json.loads then says where the JSON breaks.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]|[\]}]|"', re.DOTALL)


def _check_depth(text: str) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        if match.group() == '"':
            return
        first = match.group()[0]
        if first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadJSON(TOO_DEEP, {"max": MAX_DEPTH})
        elif first in "]}":
            depth -= 1


# Decoded text holds no surrogates and valid JSON no raw NUL: they can only come as escapes.
# This also matches an escaped backslash before "u0000", hence the exact check after it.
_MAYBE_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def _bad_string(value: Any) -> str | None:
    """Where the first string (or key) holding a NUL or a lone surrogate is, else None:
    "“data.title”", "“annotations[0].result[1].value.labels[0]”"."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if _BAD_CHARACTER.search(item):
                return f"“{path or '$'}”"
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{n}]") for n, child in enumerate(item))
        elif isinstance(item, dict):
            for key, child in item.items():
                name = _BAD_CHARACTER.sub("\N{REPLACEMENT CHARACTER}", key)[:40]
                child_path = f"{path}.{name}" if path else name
                if _BAD_CHARACTER.search(key):
                    return f"“{child_path}”"
                stack.append((child, child_path))
    return None
