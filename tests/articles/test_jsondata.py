"""The one JSON decoder: what it refuses, in words, before json.loads can fail badly."""

import json

import pytest

from annotator.articles import jsondata
from annotator.articles.extraction import Rejected, extract
from annotator.articles.jsondata import BadJSON, decode, decode_lines, decode_records


def refusal(call, *args, **kwargs):
    with pytest.raises(BadJSON) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_valid_json_decodes_with_a_bom_and_surrogate_pairs():
    data = b"\xef\xbb\xbf" + rb'{"text": "\u00e9t\u00e9 \ud83c\udf0a", "n": [1, {"a": null}]}'
    assert decode(data) == {"text": "été 🌊", "n": [1, {"a": None}]}


def test_deep_nesting_is_refused_by_scanning_not_by_recursion():
    assert "nested more than 100 levels" in refusal(decode, b"[" * 100_000)
    assert "nested more than 100 levels" in refusal(decode, b"[" * 101 + b"]" * 101)
    assert decode(b"[" * 100 + b"]" * 100) is not None
    # An unterminated string is invalid JSON, whatever brackets it holds.
    assert "not valid JSON" in refusal(decode, b'{"text": "' + b"[" * 500)
    # Brackets inside strings are text, not nesting.
    assert decode(json.dumps({"text": "[" * 500 + '\\"{'}).encode())["text"].startswith("[[")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (rb'{"text": "Un \ud800 seul"}', "“text”"),
        (rb'{"text": "ok", "label": [[0, 2, "\udfff"]]}', "“label[0][2]”"),
        (rb'{"data": {"title": "x\u0000y"}}', "“data.title”"),
        (rb'{"k\ud800": 1}', "“k\ufffd”"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_and_located(data, where):
    reason = refusal(decode, data)
    assert reason.startswith(where) and "not valid text" in reason


def test_an_escaped_backslash_before_u0000_is_plain_text():
    assert decode(rb'{"text": "C:\\u0000"}') == {"text": "C:\\u0000"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Été".encode("cp1252"), "not UTF-8"),
        (b'{"n": NaN}', "not valid JSON (line 1, column 1)"),
        (b'{"n": -Infinity}', "not valid JSON"),
        (b'{\n  "text": "x",\n  oops}', "not valid JSON (line 3, column 3)"),
        (b'{"n": ' + b"9" * 5000 + b"}", "not valid JSON"),
    ],
)
def test_other_refusals(data, message):
    assert message in refusal(decode, data)


def test_size_limit():
    assert "larger than 1 MB" in refusal(
        decode, b"[" + b" " * 2_000_000 + b"]", max_bytes=1_048_576
    )
    assert decode(b"[1]", max_bytes=3) == [1]


def test_lines_are_decoded_one_by_one():
    data = b'{"a": 1}\r\n\n[' + b"[" * 200 + b'\n{"b": "\\ud800"}\n{"c": 2}'
    found = list(decode_lines(data))
    assert [number for number, _ in found] == [1, 3, 4, 5]
    assert found[0][1] == {"a": 1} and found[3][1] == {"c": 2}
    assert "nested more than" in str(found[1][1])
    assert "“b”" in str(found[2][1])
    assert "not UTF-8" in refusal(lambda: list(decode_lines(b"\xff\n{}")))


def test_records_are_checked_one_by_one():
    data = rb'[{"data": {"text": "ok"}}, {"data": {"text": "\ud800"}}, 5]'
    (one, good, fine), (two, bad, problem), (three, number, _) = decode_records(data)
    assert (one, two, three) == (1, 2, 3)
    assert good == {"data": {"text": "ok"}} and fine is None and number == 5
    assert bad == {"data": {"text": "\ud800"}}
    assert isinstance(problem, BadJSON) and str(problem).startswith("“data.text”")
    assert list(decode_records(b'{"data": {}}')) == [(1, {"data": {}}, None)]
    assert "list of records" in refusal(lambda: list(decode_records(b'"text"')))


def test_the_article_upload_reads_jsonl_through_it():
    lines = [
        json.dumps({"text": "Un article."}),
        "[" * 100_000,
        r'{"text": "Un article \ud800."}',
    ]
    good, deep, surrogate = extract("lot.jsonl", "\n".join(lines).encode())
    assert good.text == "Un article."
    assert isinstance(deep, Rejected) and deep.line == 2
    assert str(deep) == "The JSON is nested more than 100 levels deep."
    assert isinstance(surrogate, Rejected) and surrogate.line == 3
    assert str(surrogate).startswith("“text” contains characters that are not valid text")
    assert deep.message == jsondata.TOO_DEEP  # marked English, translated by the web layer


def test_the_article_upload_wants_jsonl_in_utf8():
    with pytest.raises(Rejected, match="not UTF-8"):
        extract("lot.jsonl", json.dumps({"text": "Été"}, ensure_ascii=False).encode("cp1252"))
