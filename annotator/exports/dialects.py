"""CSV dialects and the spreadsheet-formula escape (OWASP "CSV Injection").

A cell that starts with one of FORMULA_TRIGGERS gets a leading apostrophe in every web
download. The apostrophe itself is a trigger, so the rule can be undone without doubt:
remove one leading apostrophe from every cell that has one.

>>> escape_cell("=HYPERLINK(1)"), escape_cell("'quoted"), escape_cell("plain")
("'=HYPERLINK(1)", "''quoted", 'plain')
>>> unescape_cell(escape_cell("'quoted"))
"'quoted"
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# = + - @ start formulas in Excel, LibreOffice and Google Sheets; tab, carriage return and
# line feed can hide them (a cell "\n=1" shows as "=1" on its second line); the apostrophe
# keeps the rule reversible. The README's "Formulas in spreadsheets" lists the same.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
ESCAPE = "'"


def escape_cell(value: str) -> str:
    if value and value[0] in FORMULA_TRIGGERS:
        return ESCAPE + value
    return value


def unescape_cell(value: str) -> str:
    """The reverse of escape_cell, for one cell of a web download."""
    return value[1:] if value.startswith(ESCAPE) else value


@dataclass(frozen=True)
class Dialect:
    name: str
    label: "StrOrPromise"  # shown in the export form
    delimiter: str
    bom: bool


STANDARD = Dialect("standard", _("Standard CSV (UTF-8, comma)"), ",", bom=False)
# French-locale Excel splits on ";" and reads UTF-8 only when the file starts with a BOM.
EXCEL_FR = Dialect("excel-fr", _("Excel, French (UTF-8 with BOM, semicolon)"), ";", bom=True)
DIALECTS = {dialect.name: dialect for dialect in (STANDARD, EXCEL_FR)}
BOM = "\ufeff".encode()
