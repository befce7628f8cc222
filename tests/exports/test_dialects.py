"""The pure parts: dialects, the escape rule, offset units (their docstrings are examples)."""

import doctest
import re

import pytest
from django.conf import settings

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
    assert set(dialects.FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r", "\n", "'"}


def readme_triggers():
    """The characters the README's "Formulas in spreadsheets" section promises to escape."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    section = readme.split("### Formulas in spreadsheets (CSV injection)")[1].split("###")[0]
    sentence = section.split("begins with", 1)[1].split("gets one", 1)[0]
    named = {"a tab": "\t", "a carriage return": "\r", "a line feed": "\n"}
    found = set(re.findall(r"`(.)`", sentence))
    return found | {char for words, char in named.items() if words in sentence}


def test_the_readme_and_the_code_list_the_same_triggers():
    assert readme_triggers() == set(dialects.FORMULA_TRIGGERS)


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n", "'"])
def test_every_trigger_gets_the_apostrophe_in_python(trigger):
    assert dialects.escape_cell(trigger + "1+1") == "'" + trigger + "1+1"
    assert dialects.unescape_cell(dialects.escape_cell(trigger + "1")) == trigger + "1"


@pytest.mark.parametrize("first", [" ", "\u00a0", "«", "A", "1", "\ufeff"])
def test_other_first_characters_are_left_alone(first):
    assert dialects.escape_cell(first + "=1") == first + "=1"
