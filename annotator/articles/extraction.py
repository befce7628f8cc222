"""Read one uploaded file into article texts, refusing files that are not what they claim.

The extension picks the reader (.txt .md .html .htm .docx .jsonl), but the bytes are checked
all the same: a photo renamed .txt is refused, not stored as mojibake. Texts come out raw;
the caller runs cleaning.clean_text() on them. No Django here, so the module is usable (and
tested) without settings.
"""

import codecs
import datetime
import posixpath
import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from charset_normalizer import from_bytes
from lxml import etree
from trafilatura.xml import xmltotxt

from . import jsondata, word
from .markdown import read as read_markdown


def _(message: str) -> str:
    """Marks a message for translation (makemessages finds `_()`); the web layer translates."""
    return message


class Marked(str):
    """A value for a message's placeholder that is a marked message itself ("a PNG image"):
    translated along with the message."""


class Rejected(Exception):
    """A file (or one .jsonl line) we refuse, with a reason an analyst understands.

    `message` is the marked English text and `params` its values, kept apart so that the web
    layer can translate the message before filling it in (ingest.reason_of); str(exc) is the
    English reason, filled in.
    """

    def __init__(
        self, message: str, line: int | None = None, params: dict[str, object] | None = None
    ) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if self.params else message)
        self.line = line  # .jsonl line number (1-based), None for a whole file


@dataclass
class Extracted:
    text: str  # raw extracted text, not yet cleaned (caller runs clean_text)
    title: str = ""
    source: str = ""
    url: str = ""
    published_at: datetime.date | None = None
    language: str = "fr"
    line: int | None = None  # jsonl line number (1-based) when relevant


ACCEPTED = (".txt", ".md", ".html", ".htm", ".docx", ".jsonl")
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
# word/document.xml unpacked; ingest passes UPLOAD_MAX_FILE_BYTES.
DOCX_MAX_TEXT_XML = 10 * 1024 * 1024
# Articles in one .jsonl file; ingest passes UPLOAD_MAX_ARCHIVE_MEMBERS, the files a .zip may
# hold: each is stored (and shown in the upload's report) like a file.
JSONL_MAX_LINES = 1000
# Past this many bad lines the file is not a .jsonl of articles: refused as a whole, rather
# than listing a refusal for each of its (up to millions of) lines.
JSONL_MAX_BAD_LINES = 100
# The Article columns' lengths.
TITLE_MAX, SOURCE_MAX, URL_MAX, LANGUAGE_MAX = 300, 200, 2000, 10

EMPTY = _("The file is empty.")
UNDECODABLE = _("We could not work out the text encoding; please save the file as UTF-8.")
BAD_URL = _("The url must start with http:// or https://.")
NO_PAGE_TEXT = _("No article text was found in this page.")


def extract(
    filename: str,
    data: bytes,
    *,
    max_docx_xml: int = DOCX_MAX_TEXT_XML,
    max_jsonl_lines: int = JSONL_MAX_LINES,
) -> list[Extracted | Rejected]:
    """The articles in one file. Raises Rejected for the whole file; a .jsonl file gives one
    Rejected (with .line) per bad line, so its good lines are still stored."""
    extension = posixpath.splitext(filename.lower())[1]
    if extension not in ACCEPTED:
        reason = _("“%(name)s” is not a type of file we accept. Accepted types: %(accepted)s.")
        raise Rejected(reason, params={"name": filename, "accepted": ", ".join(ACCEPTED)})
    if not data.strip():
        raise Rejected(EMPTY)
    if extension == ".docx":
        return [from_docx(data, max_text_xml=max_docx_xml)]
    if extension == ".jsonl":
        _read_text(data)  # refuses binaries by name; the lines are read as JSON (UTF-8) below
        return _from_jsonl(data, max_jsonl_lines)
    if extension in (".html", ".htm"):
        return [_from_html(_read_text(data))]
    text = _read_text(data)
    if extension == ".md":
        return [_from_markdown(text)]
    return [Extracted(text=text, title=_short(_first_line(text), TITLE_MAX))]


# Formats that are never text, by their first bytes: named in the reason, so the analyst knows
# what they uploaded. Other binaries are caught by their NUL bytes.
_MAGIC = (
    (b"\x89PNG", Marked(_("a PNG image"))),
    (b"\xff\xd8\xff", Marked(_("a JPEG image"))),
    (b"GIF8", Marked(_("a GIF image"))),
    (b"%PDF", Marked(_("a PDF document"))),
    (b"PK\x03\x04", Marked(_("a ZIP archive or an Office document"))),
    (b"\xd0\xcf\x11\xe0", Marked(_("an old Word or Excel document"))),
    (b"{\\rtf", Marked(_("an RTF document"))),
    (b"\x7fELF", Marked(_("a program"))),
    (b"MZ\x90\x00", Marked(_("a Windows program"))),
    (b"\x1f\x8b", Marked(_("a gzip archive"))),
    (b"7z\xbc\xaf", Marked(_("a 7-Zip archive"))),
    (b"Rar!", Marked(_("a RAR archive"))),
)


def _read_text(data: bytes) -> str:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            reason = _("This file is not text: it looks like %(kind)s.")
            raise Rejected(reason, params={"kind": kind})
    # UTF-16 is the one text encoding full of NUL bytes; we read it only with its BOM.
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Rejected(_("This file is not text: it contains binary data."))
    text = decode_text(data)
    controls = sum(map(text.count, _CONTROLS))  # one C-speed count each, not a Python loop
    if controls * 20 > len(text):  # binary that happened to decode
        raise Rejected(_("This file is not text: it contains binary data."))
    if not text.strip():
        raise Rejected(EMPTY)
    return text


_CONTROLS = [chr(code) for code in range(32) if chr(code) not in "\t\n\r\f\v"]
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# ISO-8859-15 put € Œ œ Ÿ at A4 BC BD BE, where cp1252 and ISO-8859-1 have ¤ ¼ ½ ¾. "¤" is
# never written, and ¼ ½ ¾ stand next to digits, never inside a word ("c\xbdur" is cœur).
_ISO_8859_15_HINT = re.compile(
    rb"\xa4|(?<=[A-Za-z\xc0-\xff])[\xbc-\xbe]|[\xbc-\xbe](?=[A-Za-z\xc0-\xff])"
)


def decode_text(data: bytes) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with a BOM, else Western European first.

    Detectors misread short French texts (charset-normalizer calls "Été à Nîmes." in cp1252
    Urdu), so a text that reads as Latin script in cp1252 (or ISO-8859-15) is taken as such
    and the detector is asked only about the rest (Cyrillic, Greek, Asian encodings...).
    ISO-8859-1 needs no rule of its own: every letter decodes the same in cp1252.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise Rejected(UNDECODABLE) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _decode_western(data)
    if western is not None and _mostly_ascii_letters(western):
        return western
    best = from_bytes(data).best()
    if best is None:
        raise Rejected(UNDECODABLE)
    return str(best)


def _decode_western(data: bytes) -> str | None:
    # cp1252 puts € œ ’ … at 80-9F, which are control codes in ISO-8859-15: they settle it.
    if _ISO_8859_15_HINT.search(data) and not re.search(rb"[\x80-\x9f]", data):
        return data.decode("iso-8859-15")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # 81 8D 8F 90 9D are undefined in cp1252
        return None


def _mostly_ascii_letters(text: str) -> bool:
    # French has a few accented letters per word at most; Cyrillic or Greek read as cp1252
    # turns almost every letter into an accented one ("Ïðèâåò").
    letters = [ch for ch in text if ch.isalpha()]
    return 2 * sum(1 for ch in letters if not ch.isascii()) <= len(letters)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _short(value: str, limit: int) -> str:
    # Split, not a regex around the line breaks: "\s*" before them rescans a long run of
    # spaces from each of its spaces.
    return " ".join(part.strip() for part in _LINE_ENDS.split(value)).strip()[:limit]


_LINE_ENDS = re.compile(r"[\r\n]+")


def _from_markdown(markdown: str) -> Extracted:
    text, title = read_markdown(markdown)
    return Extracted(text=text, title=_short(title or _first_line(text), TITLE_MAX))


# trafilatura turns every space into a plain one; these printable stand-ins carry the
# no-break spaces of French typography ("1 200", "oui !") through it.
_PROTECT = str.maketrans({"\u00a0": "\u2420", "\u202f": "\u2422"})
_RESTORE = str.maketrans({"\u2420": "\u00a0", "\u2422": "\u202f"})


def _from_html(html: str) -> Extracted:
    html = html.replace(_LINE_MARK, "").replace(_BLOCK_MARK, "")
    root = _parse_html(html)
    if _content_elements(root) > html_element_budget(len(html)):
        title = _short(root.findtext(".//title") or "", TITLE_MAX)
        text = _visible_text(root)
        if not text.strip():
            raise Rejected(NO_PAGE_TEXT)
        return Extracted(text=text, title=title)
    tree = trafilatura.load_html(html)
    # Not on the odd page that already holds a stand-in: it would come back as a space.
    protect = tree is not None and not any(s in html for s in ("\u2420", "\u2422"))
    for element in tree.iter() if tree is not None and protect else ():
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            # translate() is slow on non-ASCII tables: only where there is a space to keep.
            if value and ("\u00a0" in value or "\u202f" in value):
                setattr(element, attribute, value.translate(_PROTECT))
    restore = _RESTORE if protect else {}
    text = ""
    if tree is not None:
        found = trafilatura.bare_extraction(
            tree, include_comments=False, include_tables=False, favor_precision=True, fast=True
        )
        assert not isinstance(found, dict)  # a Document: dicts come only with as_dict=True
        # One paragraph per block trafilatura kept (heading, paragraph, list, quote).
        blocks = found.body if found is not None else ()
        text = "\n\n".join(xmltotxt(block, False) for block in blocks).translate(restore)
    if not text.strip():
        text = _visible_text(root)
    if not text.strip():
        raise Rejected(NO_PAGE_TEXT)
    if tree is None:
        return Extracted(text=text)
    # Dates from the page's metadata only: a date mentioned in the text is not its date.
    meta = trafilatura.extract_metadata(tree, date_config={"extensive_search": False})
    url = (meta.url or "").strip()
    return Extracted(
        text=text,
        title=_short((meta.title or "").translate(restore), TITLE_MAX),
        source=_short((meta.sitename or "").translate(restore), SOURCE_MAX),
        url=url if re.match(r"https?://", url) and len(url) <= URL_MAX else "",
        published_at=datetime.date.fromisoformat(meta.date) if meta.date else None,
        language=(tree.get("lang") or "fr").split("-")[0].strip().lower()[:LANGUAGE_MAX] or "fr",
    )


# Past this many elements per MB of page (a page under 1 MB counting as 1 MB) it goes to
# the visible-text reader: trafilatura spends 0.1 to 0.15 ms per element, so a page of
# 20,000 one-line paragraphs held a worker for seconds. Scripts, styles and drawings are
# not counted (trafilatura drops them at once, in C); a news page keeps a thousand or two.
HTML_ELEMENTS_PER_MB = 3_000
_INERT = ("script", "style", "noscript", "template", "svg", "iframe", "object")


def html_element_budget(characters: int) -> int:
    """The most content elements trafilatura is given in a page of this many characters."""
    return int(HTML_ELEMENTS_PER_MB * max(1.0, characters / (1024 * 1024)))


def _content_elements(root: "lxml.html.HtmlElement") -> int:
    inert = " | ".join(f"//{tag}//* | //{tag}" for tag in _INERT)
    return int(root.xpath("count(//*)")) - int(root.xpath(f"count({inert})"))


# libxml2 stops building past this depth (and drops what lies deeper); no real page nests
# anywhere near it.
HTML_MAX_DEPTH = 256
# Invisible, so no page needs them: they mark line and block breaks through lxml's text.
_LINE_MARK, _BLOCK_MARK = "\ue000", "\ue001"
_SKIP = (
    "title script style noscript template svg nav header footer aside form button select"
    " iframe".split()
)
_BLOCKS = (
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article main table tr"
    " td th figcaption pre".split()
)


def _parse_html(html: str) -> "lxml.html.HtmlElement":
    """The page as lxml reads it; refused if it nests past what lxml builds (the rest
    would silently vanish)."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):  # nothing but whitespace or comments
        root = lxml.html.document_fromstring("<html></html>")
    if any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in parser.error_log):
        reason = _("This page nests its elements more than %(max)d levels deep; it is refused.")
        raise Rejected(reason, params={"max": HTML_MAX_DEPTH})
    return root


def _visible_text(root: "lxml.html.HtmlElement") -> str:
    """Visible text, a blank line between blocks: what a browser shows, less menus and forms.

    The work is lxml's (in C); Python touches only the line and block elements.
    """
    etree.strip_elements(root, *_SKIP, with_tail=False)
    for element in root.iter("br"):
        element.tail = _LINE_MARK + (element.tail or "")
    for element in root.iter(*_BLOCKS):
        element.text = _BLOCK_MARK + (element.text or "")
        element.tail = _BLOCK_MARK + (element.tail or "")
    text = etree.tostring(root, method="text", encoding="unicode")
    # Source line wrapping is not a line break; no-break spaces stay.
    text = re.sub(r"[ \t\r\n\f]+", " ", text)
    text = text.replace(_LINE_MARK, "\n").replace(_BLOCK_MARK, "\n\n")
    # Spaces come one at a time now, so this is linear; no-break spaces stay.
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def from_docx(
    data: bytes,
    max_uncompressed: int = DOCX_MAX_UNCOMPRESSED,
    max_text_xml: int = DOCX_MAX_TEXT_XML,
) -> Extracted:
    """A Word document's paragraphs, one per line (tables and text boxes are not read)."""
    try:
        paragraphs, title = word.read(data, max_uncompressed, max_text_xml)
    except word.Invalid:
        raise Rejected(_("This is not a valid Word document (.docx).")) from None
    except word.TooLarge as error:
        if error.package:
            reason = _("This Word document would expand to more than %(mb)d MB; it is refused.")
            raise Rejected(reason, params={"mb": error.limit // word.MB}) from None
        reason = _(
            "The text of this Word document would unpack to more than %(mb)g MB; it is refused."
        )
        raise Rejected(reason, params={"mb": round(error.limit / word.MB, 1)}) from None
    text = "\n".join(paragraphs)
    if not text.strip():
        raise Rejected(_("The document contains no text."))
    return Extracted(text=text, title=_short(title or _first_line(text), TITLE_MAX))


def _from_jsonl(data: bytes, max_lines: int) -> list[Extracted | Rejected]:
    records: list[Extracted | Rejected] = []
    bad = 0
    try:
        for number, record in jsondata.decode_lines(data):
            if len(records) == max_lines:
                reason = _(
                    "This file holds more than %(max)d articles; at most %(max)d are "
                    "accepted in one file. Please split it."
                )
                raise Rejected(reason, params={"max": max_lines})
            try:
                records.append(_jsonl_record(record, number))
            except Rejected as rejected:
                records.append(rejected)
                bad += 1
                if bad > JSONL_MAX_BAD_LINES:
                    reason = _(
                        "More than %(max)d lines of this file are not valid articles; it is "
                        'refused. Each line must be a JSON object, like {"text": "…"}.'
                    )
                    raise Rejected(reason, params={"max": JSONL_MAX_BAD_LINES}) from None
    except jsondata.BadJSON as error:
        raise Rejected(error.message, params=error.params) from None
    return records


def _jsonl_record(record: object, number: int) -> Extracted:
    if isinstance(record, jsondata.BadJSON):
        raise Rejected(record.message, number, record.params)
    if not isinstance(record, dict):
        raise Rejected(_('Each line must be a JSON object, like {"text": "…"}.'), number)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Rejected(_("The “text” field is missing or empty."), number)
    fields = {}
    for name in ("title", "source", "url", "published_at", "language"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            reason = _("The “%(field)s” field must be a string.")
            raise Rejected(reason, number, {"field": name})
        fields[name] = (value or "").strip()
    url = fields["url"]
    if url and not re.match(r"https?://[^\s/?#]", url, re.IGNORECASE):
        raise Rejected(BAD_URL, number)
    if len(url) > URL_MAX:
        raise Rejected(_("The url is longer than %(max)d characters."), number, {"max": URL_MAX})
    if len(fields["language"]) > LANGUAGE_MAX:
        raise Rejected(_("The language must be a short code such as “fr”."), number)
    try:
        published_at = fields["published_at"] and datetime.datetime.fromisoformat(
            fields["published_at"]
        )
    except ValueError:
        reason = _("The “published_at” field must be a date such as 2024-03-14.")
        raise Rejected(reason, number) from None
    return Extracted(
        text=text,
        title=_short(fields["title"], TITLE_MAX),
        source=_short(fields["source"], SOURCE_MAX),
        # The scheme lowercased: the database only accepts urls starting "http".
        url=url[:5].lower() + url[5:],
        published_at=published_at.date() if published_at else None,
        language=fields["language"].lower() or "fr",
        line=number,
    )
