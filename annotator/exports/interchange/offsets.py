"""Offsets in code points (ours, Python's) and in UTF-16 code units (JavaScript's).

Our offsets count code points, as Python indexes a str. doccano's annotation screen counts
UTF-16 code units (as JavaScript strings do), so a character outside the Basic Multilingual
Plane, such as an emoji, counts twice there:

>>> text = "🙂 Paris"
>>> to_utf16(text, 2), from_utf16(text, 3)
(3, 2)

Texts without such characters have identical offsets in both units.
"""


def _astral(char: str) -> bool:
    return ord(char) > 0xFFFF


def to_utf16(text: str, offset: int) -> int:
    """The UTF-16 offset of code point `offset` in `text`."""
    return offset + sum(1 for char in text[:offset] if _astral(char))


def utf16_table(text: str) -> dict[int, int]:
    """{utf16_offset: code_point_offset} for every character boundary, end included."""
    table: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        table[units] = index
        units += 2 if _astral(char) else 1
    table[units] = len(text)
    return table


def from_utf16(text: str, offset: int, table: dict[int, int] | None = None) -> int | None:
    """The code point offset of UTF-16 `offset`; None inside a surrogate pair or past the end."""
    if table is None:
        table = utf16_table(text)
    return table.get(offset)
