"""The CSV's value columns: one typed column per attribute of the exported labels, then the
values as JSON (issue 16)."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from psycopg import sql

from annotator.annotations.models import Attribute
from annotator.exports import spans_csv
from annotator.exports.dialects import BOM, EXCEL_FR, STANDARD
from annotator.exports.selection import SpanFilter, raw_connection
from tests.exports.test_spans_csv import DOCUMENTED_COLUMNS
from tests.factories import seeded_labels

pytestmark = pytest.mark.django_db

FIELDS = [
    "claim.checkworthy",
    "claim.claimant",
    "claim.verified",  # the `valued` fixture's yes-or-no attribute
    "quote.kind",
    "quote.speaker",
    "quote.cue",
    "casualty_figure.kind",
    "casualty_figure.min",
    "casualty_figure.max",
    "casualty_figure.precision",
    "policy_stance.target",
    "policy_stance.polarity",
    "policy_stance.holder",
]


def export(spans=None, dialect=STANDARD, *, exact=False):
    return b"".join(spans_csv.csv_chunks(spans or SpanFilter(), dialect, exact=exact))


def raw_rows(data, delimiter=","):
    """Cells as written: the formula escape not undone."""
    reader = csv.DictReader(io.StringIO(data.decode(), newline=""), delimiter=delimiter)
    return {int(row["span_id"]): row for row in reader}


def row_of(rows, valued, name):
    return rows[valued["spans"][name].pk]


def test_the_header_names_every_field_then_the_json(valued):
    header = export().split(b"\n", 1)[0].decode()
    assert header == ",".join([DOCUMENTED_COLUMNS, *FIELDS, "attributes", "source"])


def test_values_of_each_type_land_in_their_columns(valued):
    rows = raw_rows(export())
    toll = row_of(rows, valued, "toll")
    assert [toll[f"casualty_figure.{key}"] for key in ("kind", "min", "max", "precision")] == [
        "killed",  # a choice: its key
        "213",  # a whole number: plain digits
        "",  # marked unknown
        "exact",
    ]
    quote = row_of(rows, valued, "quote")
    # Words of the article: their text, with or without offsets.
    assert [quote["quote.kind"], quote["quote.speaker"], quote["quote.cue"]] == [
        "direct",
        "la ministre",
        "a déclaré",
    ]
    formula = row_of(rows, valued, "formula")
    assert (formula["claim.checkworthy"], formula["claim.claimant"]) == ("yes", "l’ONU")
    assert formula["claim.verified"] == "true"
    assert row_of(rows, valued, "phone")["claim.verified"] == "false"


def test_other_labels_columns_stay_empty(valued):
    rows = raw_rows(export())
    assert len(rows) == 7
    for row in rows.values():
        own = seeded_labels()[row["label"]].name.lower().replace(" ", "_") + "."
        assert {row[field] for field in FIELDS if not field.startswith(own)} == {""}, row
    # A span without values has every typed cell empty and "{}" in the JSON.
    stance = row_of(rows, valued, "stance")
    assert {stance[field] for field in FIELDS} == {""}
    assert stance["attributes"] == "{}"


def test_unknown_is_an_empty_cell_and_null_in_the_json(valued):
    phone = row_of(raw_rows(export()), valued, "phone")
    assert phone["claim.checkworthy"] == ""
    assert phone["attributes"] == '{"checkworthy":null,"verified":false}'


def test_the_json_column_is_compact_sorted_and_not_ascii_escaped(valued):
    rows = raw_rows(export())
    for name, values in valued["values"].items():
        cell = row_of(rows, valued, name)["attributes"]
        assert cell == json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert json.loads(cell) == values
    # Offsets of a text reference are there, in code points (an emoji precedes them).
    speaker = json.loads(row_of(rows, valued, "quote")["attributes"])["speaker"]
    text = valued["articles"][0].text
    assert text[speaker["start"] : speaker["end"]] == "la ministre"
    assert '"l’ONU"' in row_of(rows, valued, "formula")["attributes"]


def test_formula_escape_applies_to_text_and_text_references(valued):
    handle = row_of(raw_rows(export()), valued, "handle")
    assert handle["policy_stance.target"] == "'=SOMME(A1:A9) réforme"
    assert handle["policy_stance.holder"] == "'+33 6 12 34 56 78"
    # The JSON cell starts with "{" and stays exact, for pipelines.
    assert json.loads(handle["attributes"])["target"] == "=SOMME(A1:A9) réforme"
    exact = row_of(raw_rows(export(exact=True)), valued, "handle")
    assert exact["policy_stance.target"] == "=SOMME(A1:A9) réforme"
    assert exact["policy_stance.holder"] == "+33 6 12 34 56 78"


def test_excel_french_dialect_applies_to_the_value_columns(valued):
    data = export(dialect=EXCEL_FR)
    assert data.startswith(BOM + b"span_id;article_id;")
    header = data[len(BOM) :].split(b"\n", 1)[0].decode()
    assert header.endswith(";".join(["", *FIELDS, "attributes", "source"]))
    rows = raw_rows(data[len(BOM) :], delimiter=";")
    assert row_of(rows, valued, "toll")["casualty_figure.min"] == "213"
    assert row_of(rows, valued, "handle")["policy_stance.target"] == "'=SOMME(A1:A9) réforme"
    assert row_of(rows, valued, "phone")["attributes"] == '{"checkworthy":null,"verified":false}'


def test_a_filter_on_one_label_gives_only_its_columns(valued):
    quote = seeded_labels()["Quote"]
    data = export(SpanFilter(label_ids=(quote.pk,)))
    header = data.split(b"\n", 1)[0].decode()
    assert header == f"{DOCUMENTED_COLUMNS},quote.kind,quote.speaker,quote.cue,attributes,source"
    assert {row["label"] for row in raw_rows(data).values()} == {"Quote"}


def test_switched_off_attributes_keep_their_column(valued):
    Attribute.objects.filter(label__name="Quote", key="cue").update(is_active=False)
    quote = row_of(raw_rows(export()), valued, "quote")
    assert quote["quote.cue"] == "a déclaré"


def old_columns_copy(spans):
    """COPY of the fixed columns alone (the CSV before values existed), each row ended by a
    marker, from the export's own SELECT."""
    query, params = spans_csv.select_query(spans, exact=False)
    statement = sql.SQL(
        "COPY (SELECT {columns}, '§EOR§' FROM ({query}) q ORDER BY q.span_id) "
        "TO STDOUT WITH (FORMAT csv, DELIMITER ',')"
    ).format(
        columns=sql.SQL(", ").join(map(sql.Identifier, spans_csv.COLUMNS)),
        query=query,
    )
    text = statement.as_string(raw_connection())
    with raw_connection().cursor() as cursor, cursor.copy(text, params) as copy:
        return b"".join(bytes(block) for block in copy)


def test_old_columns_are_byte_identical_for_spans_without_values(corpus):
    everything = SpanFilter(statuses=("pending", "approved", "rejected"))
    old = old_columns_copy(everything)
    assert old.count("§EOR§".encode()) == 9
    # Each row: the old bytes, then one empty cell per field, then "{}" and the source.
    empty_values = b"," * len(FIELDS[:2] + FIELDS[3:]) + b",{},analysts\n"
    rows = old.replace(",§EOR§\n".encode(), empty_values)
    header = ",".join([DOCUMENTED_COLUMNS, *FIELDS[:2], *FIELDS[3:], "attributes", "source"])
    assert export(everything) == header.encode() + b"\n" + rows


def web_bytes(client, user, query):
    client.force_login(user)
    response = client.get(reverse("exports:download"), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ({}, []),
        ({"dialect": "excel-fr", "label": "Claim"}, ["--dialect", "excel-fr", "--label", "Claim"]),
    ],
)
def test_the_command_and_the_web_give_the_same_value_columns(
    client, valued, reviewer, tmp_path, query, args
):
    target = tmp_path / "out.csv"
    call_command("export_spans", *args, "-o", str(target), stderr=StringIO())
    data = target.read_bytes()
    assert data == web_bytes(client, reviewer, query)
    assert b'"{""checkworthy"":null,""verified"":false}"' in data
