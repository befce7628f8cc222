"""Hypothesis strategies for hostile form data, sent as raw `x-www-form-urlencoded` bytes.

A value is a str (sent UTF-8 encoded) or bytes (sent as they are): the Django test client
cannot encode a lone surrogate or invalid UTF-8, so the body is built here instead.
"""

from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "9" * 400,
    "-1",
    "-" + "9" * 400,
    "0",
    "2147483648",  # one past PostgreSQL's integer
    "9223372036854775808",  # one past bigint
    "1e3",
    "1.5",
    "NaN",
    "١٢٣",  # Arabic-Indic digits: int() reads them
    "５",  # fullwidth
    "Ⅻ",  # a Roman numeral: a "numeric" character
    "𝟘",
    "\u202e",  # right-to-left override
    "\ufeff",
    "é" * 50_000,  # 100 KB of UTF-8
    "x" * 100_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "javascript:alert(1)",
    "/\r\nSet-Cookie: x=1",  # a header split, for `next`
    "/\\evil.example",
    "true",
    "on",
]

HOSTILE_BYTES = [
    b"\xed\xa0\x80",  # a UTF-8-encoded lone surrogate (U+D800)
    b"a\xed\xb3\xbfb",  # U+DCFF
    b"\xc0\x80",  # an overlong NUL
    b"\xff\xfe",
    b"\x80",
]

Value = str | bytes

# Mostly the right one; then what browsers do not send, or charsets nobody expects.
FORM = "application/x-www-form-urlencoded"
CONTENT_TYPES = st.just(FORM) | st.sampled_from(
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=no-such-charset",
        "multipart/form-data",  # no boundary
        "application/json",
    ]
)
# Appended unquoted: broken percent escapes and empty pairs.
BROKEN_TAILS = st.sampled_from(["", "&%", "&%zz=%e", "&&=&", "&a", ";b=c"])


def values(plausible: list[str]) -> st.SearchStrategy[Value]:
    """One value of a field: often a plausible one (so valid forms reach the service code),
    else hostile or random."""
    options: list[st.SearchStrategy[Value]] = [
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(HOSTILE_BYTES),
        st.text(max_size=20),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    ]
    if plausible:  # as likely as all the rest: a form must be valid now and then
        options = [st.sampled_from(plausible), st.one_of(options)]
    return st.one_of(options)


def form_data(
    fields: dict[str, list[str]],
) -> st.SearchStrategy[list[tuple[str, Value]]]:
    """Pairs for a body or query string: each field missing, once, or repeated (a list where
    one value is expected), and now and then a key nobody expects."""
    per_field = [
        st.lists(values(plausible), min_size=0, max_size=3).map(
            lambda chosen, name=name: [(name, value) for value in chosen]
        )
        for name, plausible in fields.items()
    ]
    odd_keys = st.sampled_from(["", "\x00", "x" * 300, "é"])
    extra = st.lists(st.tuples(odd_keys, values([])), max_size=1)
    return st.tuples(*per_field, extra).map(lambda groups: [pair for g in groups for pair in g])


def encode(pairs: list[tuple[str, Value]]) -> str:
    """`application/x-www-form-urlencoded` (ASCII, so it is a query string too)."""

    def quoted(value: Value) -> str:
        return quote_from_bytes(value if isinstance(value, bytes) else value.encode("utf-8"))

    return "&".join(f"{quoted(key)}={quoted(value)}" for key, value in pairs)
