"""Markdown, stripped to the words a reader sees, in time linear in its length.

A pattern such as "**(.+?)**" rescans the rest of the line from every unclosed marker:
48 KB of ``**a `` took seconds, a 1 MB line would have held a worker for an hour. The
patterns here cannot rescan (see INLINE), so each pass over a line is linear in it. We
use no Markdown library: one would give HTML, which we would then have to read back.

The passes keep what the regexes did: images go, links and autolinks give their text,
code spans and emphasis lose their markers, backslash escapes their backslash. Unordered
list bullets go (the item text stays on its line); ordered list numbers stay, as they are
part of the content.
"""

import re

# Whole lines dropped: rules, setext underlines, fences, link references. Anchored at the
# line's start and matched once, so each is linear in the line.
_DROPPED_LINE = re.compile(r" {0,3}(([-*_] *){3,}|={3,}|```.*|~~~.*|\[[^\]]+\]: *\S+.*)")
_PREFIX = re.compile(r" {0,3}(?:> ?)*(?:(?P<heading>#{1,6})(?= |$) *|[-*+] +)?")

# The inline syntax, in the order it is stripped. Inside a repeat, each pattern excludes
# the character its own matches start with ("[", "<", "`") or that could start one ("*"
# or "_" not inside a word): a failed attempt then stops where the next attempt begins,
# and no character is scanned more than twice. That is what makes these linear where
# "\*\*(.+?)\*\*" rescanned the rest of the line from every "**". Each starts with its
# marker, looking behind only once it is found (so the engine can skip ahead to it), and
# comes with the character it needs: a line without it is not scanned at all.
INLINE = (
    (re.compile(r"!\[[^\[\]]*\]\([^)\[]*\)"), "", "!"),  # images
    # Links give their text; a "[" inside the text starts the link instead.
    (re.compile(r"\[([^\[\]]+)\](?:\([^)\[]*\)|\[[^\[\]]*\])"), r"\1", "["),
    (re.compile(r"<(https?://[^<>\s]+)>"), r"\1", "<"),  # autolinks
    (re.compile(r"`([^`]+)`"), r"\1", "`"),
    # Emphasis hugs its words ("2 * 3" is no emphasis); "_" only around whole words, so
    # rapport_final_v2 stays; an escaped "\*" neither opens nor closes. Between the markers,
    # "**" allows single stars, and "*" or "_" only inside a word (where none opens).
    (re.compile(r"\*\*(?<!\\\*\*)(?=\S)((?:[^*]|(?<!\*)\*(?!\*))+?)(?<=[^\s\\])\*\*"), r"\1", "*"),
    (
        re.compile(r"__(?<![\w\\]__)(?=\S)((?:[^_]|(?<=\w)_(?=\w))+?)(?<=[^\s\\])__(?!\w)"),
        r"\1",
        "_",
    ),
    (
        re.compile(r"\*(?<![\w*\\]\*)(?=\S)((?:[^*]|(?<=\w)\*(?=\w))+?)(?<=[^\s\\])\*(?![\w*])"),
        r"\1",
        "*",
    ),
    (re.compile(r"_(?<![\w\\]_)(?=\S)((?:[^_]|(?<=\w)_(?=\w))+?)(?<=[^\s\\])_(?!\w)"), r"\1", "_"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1", "\\"),  # backslash escapes
)


def read(markdown: str) -> tuple[str, str]:
    """(text, title): the text a reader sees, and the first heading ("" if none).

    >>> read("# Un **ours** ##\\n\\nVu *hier* à [Sarlat](https://x.example/).")
    ('Un ours\\n\\nVu hier à Sarlat.', 'Un ours')
    """
    lines, title = [], ""
    for line in markdown.splitlines():
        if _DROPPED_LINE.fullmatch(line):
            continue
        prefix = _PREFIX.match(line)
        assert prefix is not None  # every part of it is optional: it matches any line
        line = line[prefix.end() :]
        if prefix["heading"]:
            line = _without_closing_hashes(line)
        line = inline(line)
        if prefix["heading"] and not title:
            title = line.strip()
        lines.append(line)
    return "\n".join(lines), title


def _without_closing_hashes(line: str) -> str:
    """ "Titre ##" -> "Titre": hashes closing a heading, after a space."""
    end = line.rstrip(" ")
    bare = end.rstrip("#")
    return bare.rstrip(" ") if bare != end and bare.endswith(" ") else line


def inline(line: str) -> str:
    """One line's inline syntax stripped, pass by pass, as a reader would see it."""
    for pattern, replacement, marker in INLINE:
        if marker in line:
            line = pattern.sub(replacement, line)
    return line
