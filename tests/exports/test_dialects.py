"""The pure parts: dialects, the escape rule, offset units (their docstrings are examples)."""

import doctest

import pytest

from annotator.exports import dialects
from annotator.exports.interchange import offsets


@pytest.mark.parametrize("module", [dialects, offsets])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


def test_dialects():
    assert (dialects.STANDARD.delimiter, dialects.STANDARD.bom) == (",", False)
    assert (dialects.EXCEL_FR.delimiter, dialects.EXCEL_FR.bom) == (";", True)
    assert dialects.BOM == b"\xef\xbb\xbf"


def test_the_escape_rule_is_the_issues():
    assert set(dialects.FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r", "'"}
