"""The CSV itself: columns, round trip, dialects, the formula escape, what is never exported."""

import csv
import io

import pytest

from annotator.annotations.models import Span
from annotator.articles.models import Sentence
from annotator.exports import spans_csv
from annotator.exports.dialects import (
    BOM,
    EXCEL_FR,
    FORMULA_TRIGGERS,
    STANDARD,
    escape_cell,
    unescape_cell,
)
from annotator.exports.selection import SpanFilter, count, raw_connection
from annotator.review import decisions, queue
from tests.factories import (
    EXPORTABLE_APPROVED,
    live_spans,
    make_submission,
    parse_csv,
    seeded_labels,
)

DOCUMENTED_COLUMNS = (
    "span_id,article_id,article_title,article_source,article_url,article_published_at,label,"
    "start,end,text,sentence_index,sentence_text,annotator,status,reviewer,reviewed_at,created_at,"
    "review_reason,original_label"
)
# The seeded labels' fields, by label order then attribute order (value_fields), then the
# values as JSON.
VALUE_COLUMNS = (
    "claim.checkworthy,claim.claimant,quote.kind,quote.speaker,quote.cue,"
    "casualty_figure.kind,casualty_figure.min,casualty_figure.max,casualty_figure.precision,"
    "policy_stance.target,policy_stance.polarity,policy_stance.holder,attributes,source"
)
HEADER = f"{DOCUMENTED_COLUMNS},{VALUE_COLUMNS}"

pytestmark = pytest.mark.django_db


def export(spans=None, dialect=STANDARD, *, exact=False, counter=None):
    chunks = spans_csv.csv_chunks(spans or SpanFilter(), dialect, exact=exact, counter=counter)
    return b"".join(chunks)


def test_header_is_the_documented_columns_in_order(corpus):
    first_line = export().split(b"\n", 1)[0].decode()
    assert first_line == HEADER
    assert DOCUMENTED_COLUMNS.split(",") == spans_csv.COLUMNS


def test_csv_parsed_back_is_exactly_the_spans_in_the_database(corpus):
    rows = parse_csv(export())
    expected = Span.objects.filter(
        pk__in=[corpus["spans"][name].pk for name in EXPORTABLE_APPROVED]
    ).select_related("article", "label", "annotator", "reviewed_by")
    assert [int(row["span_id"]) for row in rows] == sorted(span.pk for span in expected)
    for row, span in zip(rows, expected.order_by("pk"), strict=True):
        article = span.article
        sentence = Sentence.objects.get(article=article, start__lte=span.start, end__gt=span.start)
        assert row == {
            "span_id": str(span.pk),
            "article_id": str(article.pk),
            "article_title": article.title,
            "article_source": article.source,
            "article_url": article.url,
            "article_published_at": article.published_at.isoformat(),
            "label": span.label.name,
            "start": str(span.start),
            "end": str(span.end),
            "text": article.text[span.start : span.end],
            "sentence_index": str(sentence.index),
            "sentence_text": article.text[sentence.start : sentence.end],
            "annotator": span.annotator.username,
            "status": "approved",
            "reviewer": span.reviewed_by.username,
            "reviewed_at": span.reviewed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "created_at": span.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "review_reason": "",
            "original_label": "",
            **dict.fromkeys(VALUE_COLUMNS.split(",")[:-1], ""),
            "attributes": "{}",
            "source": "analysts",
        }


def test_offsets_count_code_points_after_an_emoji(corpus):
    (row,) = [r for r in parse_csv(export()) if r["label"] == "Quote" and "agir" in r["text"]]
    text = corpus["articles"][0].text
    assert "🌊" in text[: int(row["start"])]
    assert text[int(row["start"]) : int(row["end"])] == "« Il faut agir »"
    assert row["sentence_text"] == "« Il faut agir », a déclaré la ministre."


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ("formula", '\'=HYPERLINK("http://evil.example")'),
        ("phone", "'+33 6 12 34 56 78"),
        ("toll", "'-213 morts"),
        ("handle", "'@user"),
        ("apostrophe", "''Urgence'"),
        ("quote", "« Il faut agir »"),
    ],
)
def test_formula_cells_get_a_leading_apostrophe(corpus, name, cell):
    raw = list(csv.DictReader(io.StringIO(export().decode(), newline="")))
    (row,) = [r for r in raw if r["span_id"] == str(corpus["spans"][name].pk)]
    assert row["text"] == cell


def test_every_free_text_column_is_escaped(corpus):
    raw = list(csv.DictReader(io.StringIO(export().decode(), newline="")))
    row = next(r for r in raw if r["article_id"] == str(corpus["articles"][0].pk))
    assert row["article_title"] == "'=1+1 : la crue en chiffres"
    assert row["article_source"] == "'@Le Progrès"


def test_exact_writes_cells_untouched(corpus):
    raw = list(csv.DictReader(io.StringIO(export(exact=True).decode(), newline="")))
    texts = {row["text"] for row in raw}
    assert '=HYPERLINK("http://evil.example")' in texts
    assert "'Urgence'" in texts
    assert all(not row["article_title"].startswith("'") for row in raw)


def test_standard_dialect_is_utf8_comma_without_bom(corpus):
    data = export(dialect=STANDARD)
    assert not data.startswith(BOM)
    assert data.startswith(b"span_id,article_id,")
    assert "Progrès".encode() in data
    # RFC 4180 quoting: a field with a quote is quoted and the quote doubled.
    assert b'"\'=HYPERLINK(""http://evil.example"")"' in data


def test_excel_french_dialect_has_bom_and_semicolons(corpus):
    data = export(dialect=EXCEL_FR)
    assert data.startswith(b"\xef\xbb\xbfspan_id;article_id;article_title;")
    rows = parse_csv(data[len(BOM) :], delimiter=";")
    assert [r["span_id"] for r in rows] == [r["span_id"] for r in parse_csv(export())]
    # The cell holding ";" is quoted, not split.
    assert any(";" in row["sentence_text"] for row in rows)


def test_drafts_and_deleted_spans_are_never_exported(corpus):
    everything = SpanFilter(statuses=("pending", "approved", "rejected"))
    ids = {int(row["span_id"]) for row in parse_csv(export(everything))}
    spans = corpus["spans"]
    assert spans["pending"].pk in ids  # submitted work, pending asked for explicitly
    assert spans["rejected"].pk in ids
    for name in ("draft", "returned", "deleted"):
        assert spans[name].pk not in ids, name


def test_default_is_approved_only(corpus):
    statuses = {row["status"] for row in parse_csv(export())}
    assert statuses == {"approved"}


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        (lambda c: SpanFilter(label_ids=(seeded_labels()["Quote"].pk,)), ["quote", "apostrophe"]),
        (lambda c: SpanFilter(source="le monde"), ["stance"]),
        (
            lambda c: SpanFilter(published_from=c["articles"][0].published_at),
            EXPORTABLE_APPROVED[:6],
        ),
        (lambda c: SpanFilter(published_to=c["articles"][1].published_at), ["stance"]),
        (lambda c: SpanFilter(article_ids=(c["articles"][1].pk,)), ["stance"]),
        (
            lambda c: SpanFilter(
                statuses=("pending",), analyst_ids=(c["spans"]["pending"].annotator_id,)
            ),
            ["pending"],
        ),
        (lambda c: SpanFilter(analyst_ids=(c["spans"]["draft"].annotator_id,)), []),
    ],
)
def test_filters(corpus, spans, expected):
    chosen = spans(corpus)
    ids = [int(row["span_id"]) for row in parse_csv(export(chosen))]
    assert ids == sorted(corpus["spans"][name].pk for name in expected)
    assert count(chosen)[0] == len(expected)


def test_counter_receives_the_rows_written(corpus):
    counter = {}
    export(counter=counter)
    assert counter == {"rows": len(EXPORTABLE_APPROVED)}


def test_rows_are_gathered_into_chunks(corpus, monkeypatch):
    monkeypatch.setattr(spans_csv, "CHUNK_BYTES", 300)
    chunks = list(spans_csv.csv_chunks(SpanFilter(), STANDARD, exact=False))
    # The header comes alone and first, so the response starts before PostgreSQL sorts.
    assert chunks[0] == HEADER.encode() + b"\n"
    assert len(chunks) > 3
    assert all(len(chunk) >= 300 for chunk in chunks[1:-1])
    assert b"".join(chunks) == export()


@pytest.mark.parametrize("dialect", [STANDARD, EXCEL_FR])
def test_our_header_is_the_one_copy_would_write(corpus, dialect):
    statement, params = spans_csv.copy_statement(SpanFilter(), dialect, exact=False)
    with raw_connection().cursor() as cursor, cursor.copy(statement, params) as copy:
        written = b"".join(bytes(block) for block in copy)
    assert written == export(dialect=dialect).removeprefix(BOM)


# The README's list ("Formulas in spreadsheets"), then first characters left alone.
README_TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n", "'"]


@pytest.mark.parametrize("first", [*README_TRIGGERS, "«", " ", "\u00a0", "A"])
def test_sql_escape_follows_the_documented_rule(corpus, first):
    article = corpus["articles"][1]
    article.title = first + "Réforme"
    article.save(update_fields=["title"])
    raw = list(csv.DictReader(io.StringIO(export().decode(), newline="")))
    cell = next(r["article_title"] for r in raw if r["article_id"] == str(article.pk))
    assert cell == escape_cell(article.title)
    assert unescape_cell(cell) == article.title
    # The SQL (COPY) and the Python escape agree, and both follow the README.
    assert cell.startswith("'") == (first in FORMULA_TRIGGERS) == (first in README_TRIGGERS)


def test_python_escape_round_trips():
    for value in ["", "'", "''", "=1", "-", "texte", "'=1", "\t", "@"]:
        assert unescape_cell(escape_cell(value)) == value


# --- The reviewer's reason and the analyst's label (the last two columns) -----------------

EVERY_STATUS = SpanFilter(statuses=("pending", "approved", "rejected"))


@pytest.fixture
def reviewed(analyst, reviewer, labels):
    """ana's submission under review by rita: one span relabelled, one rejected."""
    submission = make_submission(analyst, "Crue de la Lironde")
    queue.claim_next(reviewer)
    claim, quote, *_ = live_spans(submission)
    relabel, reject = decisions.Decision.RELABEL, decisions.Decision.REJECT
    policy = labels["Policy stance"]
    decisions.decide(submission.pk, reviewer, claim.pk, relabel, label=policy, reason="Un avis")
    decisions.decide(submission.pk, reviewer, quote.pk, reject, reason="=pas une citation")
    return {"relabelled": claim, "rejected": quote}


def rows_by_id(spans=EVERY_STATUS, *, exact=False):
    raw = csv.DictReader(io.StringIO(export(spans, exact=exact).decode(), newline=""))
    return {int(row["span_id"]): row for row in raw}


def test_relabelled_span_keeps_the_analysts_label_and_the_reason(reviewed):
    row = rows_by_id()[reviewed["relabelled"].pk]
    assert (row["label"], row["original_label"], row["review_reason"]) == (
        "Policy stance",
        reviewed["relabelled"].label.name,
        "Un avis",
    )


def test_reject_reason_is_exported_and_formula_escaped(reviewed):
    row = rows_by_id()[reviewed["rejected"].pk]
    assert (row["status"], row["review_reason"], row["original_label"]) == (
        "rejected",
        "'=pas une citation",
        "",
    )
    exact = rows_by_id(exact=True)[reviewed["rejected"].pk]
    assert exact["review_reason"] == "=pas une citation"


def test_undecided_and_plainly_approved_spans_leave_both_columns_empty(reviewed):
    others = [r for pk, r in rows_by_id().items() if pk not in {s.pk for s in reviewed.values()}]
    assert others
    assert {(r["review_reason"], r["original_label"]) for r in others} == {("", "")}
