"""The text of a Word document (.docx), read as a stream: memory for its text only.

A .docx is a zip; its paragraphs are in `word/document.xml`, which python-docx builds into
a tree: 72 KB of zip can unpack to 25 MB of empty paragraphs, which as a tree took a
worker 44 s and 1.4 GB. Here expat reads that XML in chunks straight from the zip, past
a cap on its unpacked bytes, and keeps only the current depth and the texts. The text is
what python-docx's `paragraph.text` gives for the body's paragraphs.
"""

import io
import xml.parsers.expat
import zipfile
import zlib

from .zipcount import declared_members


class Invalid(Exception):
    """Not a .docx we can read."""


class TooLarge(Exception):
    def __init__(self, limit: int, *, package: bool) -> None:
        super().__init__(limit)
        self.limit = limit
        self.package = package  # the whole package, or else word/document.xml


def read(data: bytes, max_uncompressed: int, max_text_xml: int) -> tuple[list[str], str]:
    """(paragraph texts, title from the document's properties or "")."""
    declared = declared_members(data)
    if declared is not None and declared > _MAX_PARTS:
        raise Invalid  # Word writes a few dozen parts; zipfile would build one object each
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise Invalid from None
    with package:
        members = {member.filename: member for member in package.infolist()}
        document = members.get("word/document.xml")
        if document is None:
            raise Invalid
        # Checked before anything is unzipped; zipfile never inflates a member past its
        # declared size, and _read_xml counts the bytes all the same.
        if sum(member.file_size for member in members.values()) > max_uncompressed:
            raise TooLarge(max_uncompressed, package=True)
        if document.file_size > max_text_xml:
            raise TooLarge(max_text_xml, package=False)
        paragraphs, title = _Paragraphs(), _Title()
        try:
            _read_xml(package, document, paragraphs.parser(), max_text_xml)
            core = members.get("docProps/core.xml")
            if core is not None and core.file_size <= _CORE_MAX:
                _read_xml(package, core, title.parser(), _CORE_MAX)
        except (xml.parsers.expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise Invalid from None
        except NotImplementedError:  # a compression method zipfile cannot read
            raise Invalid from None
    return paragraphs.texts, title.text()


MB = 1024 * 1024
_MAX_PARTS = 10_000
_CORE_MAX = MB  # docProps/core.xml: a few hundred bytes of metadata in practice
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "  # expat: "uri name"
_BODY, _P, _R, _HYPERLINK, _T = (_W + tag for tag in ("body", "p", "r", "hyperlink", "t"))
# What python-docx's paragraph.text makes of a run's other elements.
_RUN_SYMBOLS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_BR, _BR_TYPE = _W + "br", _W + "type"


def _new_parser() -> "xml.parsers.expat.XMLParserType":
    """Expat with no DTD: Word never writes one, and its entities could expand."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse(*args: object) -> None:
        raise xml.parsers.expat.ExpatError("document type declarations are not accepted")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _read_xml(
    package: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    parser: "xml.parsers.expat.XMLParserType",
    limit: int,
) -> None:
    size = 0
    with package.open(member) as stream:
        while chunk := stream.read(_XML_CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge(limit, package=False)
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


_XML_CHUNK = 64 * 1024


class _Paragraphs:
    """The text of the body's paragraphs, as python-docx's `paragraph.text` gives it: runs,
    hyperlinks' runs; memory for the texts and the current depth only."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.parts: list[str] = []
        self.depth = 0
        self.body = self.paragraph = self.hyperlink = self.run = 0  # depths; 0 outside
        self.in_text = False

    def parser(self) -> "xml.parsers.expat.XMLParserType":
        parser = _new_parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.buffer_text = True  # one call per text run, not per line of it
        return parser

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        depth = self.depth
        if not self.body:
            if tag == _BODY:
                self.body = depth
        elif not self.paragraph:
            if tag == _P and depth == self.body + 1:
                self.paragraph, self.parts = depth, []
        elif not self.run:
            inner = depth == self.paragraph + 1 or (self.hyperlink and depth == self.hyperlink + 1)
            if tag == _R and inner:
                self.run = depth
            elif tag == _HYPERLINK and depth == self.paragraph + 1:
                self.hyperlink = depth
        elif depth == self.run + 1:
            if tag == _T:
                self.in_text = True
            elif symbol := _RUN_SYMBOLS.get(tag):
                self.parts.append(symbol)
            elif tag == _BR and attributes.get(_BR_TYPE, "textWrapping") == "textWrapping":
                self.parts.append("\n")

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth -= 1
        if depth == self.run + 1:
            self.in_text = False
        elif depth == self.run:
            self.run = 0
        elif depth == self.hyperlink:
            self.hyperlink = 0
        elif depth == self.paragraph:
            self.texts.append("".join(self.parts))
            self.paragraph = 0
        elif depth == self.body:
            self.body = 0

    def data(self, text: str) -> None:
        if self.in_text:
            self.parts.append(text)


class _Title:
    """dc:title in docProps/core.xml, where python-docx's core_properties.title is."""

    TITLE = "http://purl.org/dc/elements/1.1/ title"

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.inside = False

    def parser(self) -> "xml.parsers.expat.XMLParserType":
        parser = _new_parser()
        parser.StartElementHandler = lambda tag, attributes: self.toggle(tag, True)
        parser.EndElementHandler = lambda tag: self.toggle(tag, False)
        parser.CharacterDataHandler = self.data
        return parser

    def toggle(self, tag: str, inside: bool) -> None:
        if tag == self.TITLE:
            self.inside = inside

    def data(self, text: str) -> None:
        if self.inside:
            self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts).strip()
