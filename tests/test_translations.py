"""The French catalogue covers every marked string, its .mo matches its .po, and its French
follows French typography. Run `make messages` and translate when these fail."""

import gettext
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FIX = (
    "Run `make messages`, translate the entries it lists in {po}, run it again, "
    "and commit both files."
)
# What `make messages` does not scan (the Makefile's MESSAGES_IGNORE), plus caches.
NOT_SCANNED = {".git", ".venv", "tests", "bench", "demo", "docs", "var", "bin", "locale"}

NBSP, NNBSP = "\u00a0", "\u202f"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self) -> str:
        return repr(self.msgid) + (f" (context {self.msgctxt!r})" if self.msgctxt else "")


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header and obsolete `#~` entries left out)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if target is not None and entry.msgid:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}: a continuation line with nothing to continue"
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + _unquote(line))
        else:
            keyword = line.split(" ", 1)[0]
            if match := re.fullmatch(r"msgstr\[(\d)\]", keyword):
                target = ("msgstr", int(match.group(1)))
                entry.msgstr[target[1]] = _unquote(line)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                entry.msgstr[0] = _unquote(line)
            else:
                target = (keyword, 0)
                setattr(entry, keyword, _unquote(line))
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(PO)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """The strings marked in today's code and templates, extracted from a copy of the tree
    (makemessages writes where it runs, so never into this checkout's locale/)."""
    copy = tmp_path_factory.mktemp("messages") / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda folder, names: {
            name
            for name in names
            if name == "__pycache__"
            or name.endswith("_cache")
            or (Path(folder) == ROOT and name in NOT_SCANNED)
        },
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=fr", "--no-location"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "SECRET_KEY": "extraction-only"},
        check=True,
        capture_output=True,
    )
    return read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")


def test_the_extraction_finds_the_marked_strings(extracted):
    msgids = {entry.msgid for entry in extracted}
    assert {"Log in", "Not found", "Choose English or French."} <= msgids


def test_every_marked_string_has_a_french_translation(extracted, catalogue):
    translated = {entry.key: entry for entry in catalogue}
    missing = [entry for entry in extracted if entry.key not in translated]
    empty = [
        entry
        for entry in extracted
        if entry.key in translated and not all(translated[entry.key].msgstr.values())
    ]
    fuzzy = [entry for entry in catalogue if "fuzzy" in entry.flags]
    problems = [
        *(f"not in the catalogue: {entry}" for entry in missing),
        *(f"not translated: {entry}" for entry in empty),
        *(f"fuzzy (check the translation, then remove the flag): {entry}" for entry in fuzzy),
    ]
    assert not problems, "\n".join([*problems, FIX.format(po=PO.relative_to(ROOT))])


def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", compiled, PO], check=True, capture_output=True)
    with compiled.open("rb") as fresh, MO.open("rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        found = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    stale = sorted(str(key) for key in expected.keys() ^ found.keys()) + sorted(
        str(key) for key in expected.keys() & found.keys() if expected[key] != found[key]
    )
    assert not stale, (
        f"{MO.relative_to(ROOT)} is out of date with the .po for: {stale[:10]}. "
        "Run `make messages` (it compiles too) and commit the .mo."
    )


def test_french_plural_forms(catalogue):
    header = PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header
    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr) == [0, 1], entry


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifgeEx]|%%")


def test_translations_keep_every_placeholder(catalogue):
    wrong = []
    for entry in catalogue:
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for index, text in entry.msgstr.items():
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(sources[index])):
                wrong.append(f"{entry} [{index}]: {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_french_follows_french_typography(catalogue):
    """No-break space before : and inside « »; narrow no-break space before ; ! ? and %;
    the apostrophe ’; no English quotes."""
    rules = [
        (re.compile(r"[^\u00a0]:(?=\s|$)"), "a no-break space (U+00A0) before “:”"),
        (
            re.compile(r"(?<![\u202f\u00a0]);(?=\s|$)"),
            "a narrow no-break space (U+202F) before “;”",
        ),
        (
            re.compile(r"(?<=\S)(?<![\u202f\u00a0])[!?](?=\s|$)"),
            "a narrow no-break space before “!” and “?”",
        ),
        (re.compile(r"«(?!\u00a0)|(?<!\u00a0)»"), "no-break spaces inside « »"),
        (re.compile(r"'"), "the apostrophe ’ (U+2019), not '"),
        (re.compile(r"[“”]"), "« » rather than “ ”"),
        (re.compile(r"(?<![\u202f\u00a0])%%"), "a narrow no-break space before “%”"),
    ]
    wrong = [
        f"{entry}: {text!r} needs {need}"
        for entry in catalogue
        for text in entry.msgstr.values()
        for pattern, need in rules
        if pattern.search(re.sub(r"\[[^\]]*\]|\{[^}]*\}|\"[^\"]*\"|https?://", "", text))
    ]
    assert not wrong, "\n".join(wrong)
