"""A Label Studio task's predictions become suggestions for its article, never spans; bad
ones refuse their task in words, and nothing at all is written for it."""

import json
import unicodedata
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from annotator.annotations.models import Assignment, Span, Suggestion
from annotator.articles.models import Article
from annotator.articles.outcomes import Status
from annotator.exports.interchange.labelstudio import MAX_PREDICTED_REGIONS, MAX_PREDICTIONS
from tests.exports.test_import import NEWS, label_studio_task, run, span_in, utf16
from tests.factories import digest

pytestmark = pytest.mark.django_db

MODEL = "camembert-ner 2024-05"
QUOTE = "« Il faut agir »"


def everything():
    """digest(), and the suggestions too (factories.TABLES has no suggestion table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            "FROM annotations_suggestion t"
        )
        return [*digest(), cursor.fetchone()[0]]


def region(text, snippet, label, *, id, score=None, utf16_units=False):
    """A prediction's labels result over `snippet`, in code points or in UTF-16 units."""
    start, end = span_in(text, snippet)
    if utf16_units:
        start, end = utf16(text, start), utf16(text, end)
    item = {
        "id": id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": snippet, "labels": [label]},
    }
    if score is not None:
        item["score"] = score
    return item


def value(id, from_name, kind, content, meta=None):
    """A per-region result for the region `id`."""
    item = {"id": id, "from_name": from_name, "to_name": "text", "type": kind, "value": content}
    if meta is not None:
        item["meta"] = meta
    return item


def prediction(*result, id=1, model_version=MODEL, score=0.8):
    """A prediction as Label Studio exports it (an ML backend's, or imported with tasks)."""
    found = {"id": id, "result": list(result), "created_ago": "2 hours", "task": 1}
    if model_version is not None:
        found["model_version"] = model_version
    if score is not None:
        found["score"] = score
    return found


def task(text, *predictions, id=1, annotated=()):
    """A task with `predictions`, and with one annotation if `annotated` (its spans)."""
    built = label_studio_task(text, *annotated, annotations=1 if annotated else 0)
    built["id"] = id
    built["predictions"] = list(predictions)
    return built


def two_regions(text=NEWS, **options):
    return prediction(
        region(text, "-213 morts", "Casualty figure", id="p0", score=0.93),
        region(text, QUOTE, "Quote", id="p1"),
        **options,
    )


def imported(*tasks, analyst, by):
    outcomes = run("labelstudio", json.dumps(list(tasks)).encode(), analyst, by)
    for outcome in outcomes:
        assert outcome.status == Status.IMPORTED, outcome.reason
    return outcomes


def rows():
    """The stored suggestions as (label, start, end, text, score, source, version)."""
    return [
        (s.label.name, s.start, s.end, s.text, s.score, s.source, s.model_version)
        for s in Suggestion.objects.select_related("label").order_by("start", "source")
    ]


# --- What is stored -------------------------------------------------------------------------


def test_a_task_with_predictions_only_imports_its_article_and_its_suggestions(analyst, admin_user):
    (outcome,) = imported(task(NEWS, two_regions()), analyst=analyst, by=admin_user)
    article = Article.objects.get(text=NEWS)
    assert outcome.article == article
    assert rows() == [
        ("Casualty figure", *span_in(NEWS, "-213 morts"), "-213 morts", 0.93, MODEL, MODEL),
        ("Quote", *span_in(NEWS, QUOTE), QUOTE, 0.8, MODEL, MODEL),  # the prediction's score
    ]
    assert {(s.article_id, s.reason) for s in Suggestion.objects.all()} == {(article.pk, "")}
    # Never spans, and no analyst's work made for an article nobody annotated.
    assert not Span.objects.exists()
    assert not Assignment.objects.exists()
    assert (outcome.suggestions_created, outcome.suggestions_present) == (2, 0)
    assert outcome.notes == "2 new suggestions"


def test_annotations_become_spans_and_predictions_suggestions(analyst, admin_user):
    both = task(NEWS, two_regions(), annotated=[("Lyon", "Claim")])
    (outcome,) = imported(both, analyst=analyst, by=admin_user)
    assert [(s.label.name, s.text) for s in Span.objects.all()] == [("Claim", "Lyon")]
    assert Assignment.objects.get().analyst == analyst
    assert [(label, text) for label, _s, _e, text, *_ in rows()] == [
        ("Casualty figure", "-213 morts"),
        ("Quote", QUOTE),
    ]
    assert (outcome.spans_created, outcome.suggestions_created) == (1, 2)


def test_without_a_model_version_the_source_is_label_studio(analyst, admin_user):
    unnamed = prediction(region(NEWS, "Lyon", "Claim", id="a"), model_version=None, score=None)
    blank = prediction(region(NEWS, "ONU", "Claim", id="b"), id=2, model_version="  ")
    imported(task(NEWS, unnamed, blank), analyst=analyst, by=admin_user)
    assert [(text, score, source, version) for *_, text, score, source, version in rows()] == [
        ("ONU", 0.8, "Label Studio", ""),
        ("Lyon", None, "Label Studio", ""),  # no score anywhere: none stored
    ]


def test_each_model_version_keeps_its_own_suggestions(analyst, admin_user):
    lyon = region(NEWS, "Lyon", "Claim", id="a")
    old, new = prediction(lyon, model_version="v1"), prediction(lyon, id=2, model_version="v2")
    again = prediction(region(NEWS, "Lyon", "Claim", id="b", score=0.1), id=3)
    (outcome,) = imported(
        task(NEWS, old, new, prediction(lyon, id=4), again), analyst=analyst, by=admin_user
    )
    assert [(source, score) for *_, score, source, _v in rows()] == [
        (MODEL, 0.8),  # twice in the task: once, with the first one's score
        ("v1", 0.8),
        ("v2", 0.8),
    ]
    assert outcome.suggestions_created == 3


def test_importing_the_same_file_twice_stores_nothing_twice(analyst, admin_user):
    data = [task(NEWS, two_regions(), annotated=[("Lyon", "Claim")])]
    imported(*data, analyst=analyst, by=admin_user)
    before = everything()
    data[0]["predictions"][0]["score"] = 0.1  # a suggestion already there keeps its score
    (outcome,) = imported(*data, analyst=analyst, by=admin_user)
    assert everything() == before
    assert (outcome.suggestions_created, outcome.suggestions_present) == (0, 2)
    assert outcome.notes == "0 new suggestions, 2 already there"
    assert Suggestion.objects.get(label__name="Quote").score == 0.8


def test_region_values_become_the_suggestions_values(analyst, admin_user):
    speaker = span_in(NEWS, "La ministre")
    predicted = two_regions()
    predicted["result"] += [
        value("p0", "casualty_figure.kind", "choices", {"choices": ["killed"]}),
        value("p0", "casualty_figure.min", "number", {"number": 213}),
        value(
            "p1",
            "quote.speaker",
            "textarea",
            {"text": ["La ministre"]},
            dict(zip(("start", "end"), speaker, strict=True)),
        ),
    ]
    imported(task(NEWS, predicted), analyst=analyst, by=admin_user)
    figure = Suggestion.objects.get(label__name="Casualty figure")
    assert figure.attributes == {"kind": "killed", "min": 213}
    quote = Suggestion.objects.get(label__name="Quote")
    assert quote.attributes == {
        "speaker": {"text": "La ministre", "start": speaker[0], "end": speaker[1]}
    }


# --- Offsets and normalised texts -----------------------------------------------------------


def test_utf16_offsets_after_an_emoji_are_read_as_label_studio_counts(analyst, admin_user):
    assert NEWS.startswith("🌊")  # two UTF-16 units, one code point
    predicted = prediction(
        region(NEWS, "-213 morts", "Casualty figure", id="a", utf16_units=True),
        region(NEWS, "Lyon", "Claim", id="b"),  # code points, as Label Studio now counts
    )
    imported(task(NEWS, predicted), analyst=analyst, by=admin_user)
    assert [(start, end, text) for _l, start, end, text, *_ in rows()] == [
        (*span_in(NEWS, "-213 morts"), "-213 morts"),
        (*span_in(NEWS, "Lyon"), "Lyon"),
    ]


def test_an_nfd_text_is_stored_in_nfc_and_the_suggestions_move_with_it(analyst, admin_user):
    nfc = "Le préfet a déclaré : « Ça suffit ».\nLa maire répond."
    nfd = unicodedata.normalize("NFD", nfc)
    assert len(nfd) > len(nfc)
    predicted = prediction(
        region(nfd, unicodedata.normalize("NFD", "répond"), "Claim", id="a"),
        region(nfd, unicodedata.normalize("NFD", "« Ça suffit »"), "Quote", id="b"),
    )
    (outcome,) = imported(task(nfd, predicted), analyst=analyst, by=admin_user)
    assert Article.objects.get().text == nfc
    assert outcome.notes == "2 new suggestions; text normalised: Unicode NFC"
    assert [(start, end, text) for _l, start, end, text, *_ in rows()] == [
        (*span_in(nfc, "« Ça suffit »"), "« Ça suffit »"),
        (*span_in(nfc, "répond"), "répond"),
    ]


def test_windows_line_endings_become_newlines_and_suggestions_follow(analyst, admin_user):
    crlf = "Crue à Lyon\r\n\r\nLe préfet a parlé.\r\nLa maire répond : « Ça suffit »."
    text = crlf.replace("\r\n", "\n")
    maire = span_in(crlf, "La maire")
    predicted = prediction(
        region(crlf, "parlé.\r\nLa maire", "Claim", id="a"),
        region(crlf, "« Ça suffit »", "Quote", id="b"),
        value(
            "b",
            "quote.speaker",
            "textarea",
            {"text": ["La maire"]},
            dict(zip(("start", "end"), maire, strict=True)),
        ),
    )
    (outcome,) = imported(task(crlf, predicted), analyst=analyst, by=admin_user)
    assert Article.objects.get().text == text
    assert outcome.notes == "2 new suggestions; text normalised: 3 line endings"
    assert [(start, end, t) for _l, start, end, t, *_ in rows()] == [
        (*span_in(text, "parlé.\nLa maire"), "parlé.\nLa maire"),
        (*span_in(text, "« Ça suffit »"), "« Ça suffit »"),
    ]
    moved = Suggestion.objects.get(label__name="Quote").attributes["speaker"]
    start, end = span_in(text, "La maire")
    assert moved == {"text": "La maire", "start": start, "end": end}


def test_a_suggestion_cutting_a_windows_line_ending_is_refused(analyst, admin_user):
    crlf = "Crue à Lyon\r\nLe préfet a parlé."
    cut = crlf.index("\n")
    predicted = prediction(
        {
            "id": "a",
            "type": "labels",
            "from_name": "label",
            "to_name": "text",
            "value": {"start": cut, "end": cut + 3, "labels": ["Claim"]},
        }
    )
    before = everything()
    (outcome,) = run(
        "labelstudio", json.dumps([task(crlf, predicted)]).encode(), analyst, admin_user
    )
    assert outcome.status == Status.REJECTED
    assert "cut(s) a character that normalising the text rewrites" in outcome.reason
    assert everything() == before


# --- Bad input: the task is refused in words, nothing is written for it -------------------


def good_prediction():
    return prediction(region(NEWS, "Lyon", "Claim", id="g"), id=99)


def with_result(*items, **options):
    return task(
        NEWS, good_prediction(), prediction(*items, **options), annotated=[("ONU", "Claim")]
    )


def lyon(**changes):
    item = region(NEWS, "Lyon", "Claim", id="x")
    item["value"].update(changes)
    return item


BAD = [
    pytest.param(
        with_result(lyon(start=200, end=205, text=None)),
        "Prediction 2: [200, 205] is outside the text (75 characters) or empty.",
        id="offsets outside the text",
    ),
    pytest.param(
        with_result(lyon(text="Paris")),
        "Prediction 2: [28, 32] covers «\u00a0Lyon\u00a0», but the file says «\u00a0Paris\u00a0».",
        id="region text elsewhere",
    ),
    pytest.param(
        with_result(lyon(labels=["Rumeur"])),
        "Unknown label(s): Rumeur. Add them (or rename them) first.",
        id="unknown label",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x", score=1.5)),
        "Prediction 2: Result 1: the score 1.5 is not between 0 and 1.",
        id="region score above 1",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x"), score=-0.1),
        "Prediction 2: the score -0.1 is not between 0 and 1.",
        id="prediction score below 0",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x"), score="0.9"),
        "Prediction 2: a score must be a number from 0 to 1.",
        id="score a string",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x", score=True)),
        "Prediction 2: Result 1: a score must be a number from 0 to 1.",
        id="score true",
    ),
    pytest.param(
        task(NEWS, good_prediction(), prediction(region(NEWS, "ONU", "Claim", id="y"), id=99)),
        "Prediction 2 has the id “99” of another prediction of this task.",
        id="duplicate prediction id",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x"), region(NEWS, "ONU", "Claim", id="x")),
        "Prediction 2: Result 2: the region id “x” is already used by another region of "
        "this prediction.",
        id="duplicate region id",
    ),
    pytest.param(
        task(NEWS, *(prediction(id=n) for n in range(MAX_PREDICTIONS + 1))),
        "This task has 101 predictions; at most 100 are imported per task.",
        id="too many predictions",
    ),
    pytest.param(
        with_result(*(region(NEWS, "Lyon", "Claim", id=n) for n in range(MAX_PREDICTED_REGIONS))),
        "The predictions of this task propose 1001 regions; at most 1000 are imported per task.",
        id="too many regions",
    ),
    pytest.param(
        with_result(
            region(NEWS, "-213 morts", "Casualty figure", id="x"),
            value("x", "casualty_figure.kind", "choices", {"choices": ["dead"]}),
        ),
        "Prediction 2: [15, 25] Casualty figure: “dead” is not one of the answers to “Kind”.",
        id="value not an answer",
    ),
    pytest.param(
        with_result(
            region(NEWS, "-213 morts", "Casualty figure", id="x"),
            value("x", "casualty_figure.min", "number", {"number": -3}),
        ),
        "“Min” cannot be less than 0.",
        id="value below its bound",
    ),
    pytest.param(
        with_result(
            region(NEWS, "-213 morts", "Casualty figure", id="x"),
            value("x", "quote.kind", "choices", {"choices": ["direct"]}),
        ),
        "“quote.kind” is not a field of the label “Casualty figure”.",
        id="another label's value",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x"), model_version=3),
        "Prediction 2: model_version must be a text.",
        id="model version a number",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x"), model_version="Rules"),
        "model_version “Rules” is the name of the built-in rules.",
        id="posing as the built-in rules",
    ),
    pytest.param(
        with_result(region(NEWS, "Lyon", "Claim", id="x"), model_version="v" * 101),
        "model_version must be a printable text of at most 100 characters.",
        id="model version too long",
    ),
    pytest.param(
        {**task(NEWS), "predictions": {"result": []}},
        '"predictions" must be a list of predictions.',
        id="predictions not a list",
    ),
    pytest.param(
        task(NEWS, "ner-v1"),
        'Each of the "predictions" must be a JSON object.',
        id="prediction not an object",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD)
def test_bad_predictions_refuse_their_task_and_write_nothing(analyst, admin_user, bad, message):
    assert len(NEWS) == 75 and span_in(NEWS, "Lyon") == (28, 32)  # the messages' numbers
    before = everything()
    (outcome,) = run("labelstudio", json.dumps([bad]).encode(), analyst, admin_user)
    assert outcome.status == Status.REJECTED
    assert message in outcome.reason
    assert everything() == before  # not the article, the span, nor the good prediction


def test_a_score_beyond_floats_is_refused(analyst, admin_user):
    data = json.dumps([with_result(region(NEWS, "Lyon", "Claim", id="x", score=0.5))])
    data = data.replace('"score": 0.5', '"score": 1e999')  # Python reads it as infinity
    before = everything()
    (outcome,) = run("labelstudio", data.encode(), analyst, admin_user)
    assert outcome.status == Status.REJECTED
    assert "the score inf is not between 0 and 1." in outcome.reason
    assert everything() == before


def test_a_nan_score_is_not_json_and_refuses_the_file(analyst, admin_user):
    data = json.dumps(
        [task(NEWS, prediction(region(NEWS, "Lyon", "Claim", id="x"), score=float("nan")))]
    )
    assert "NaN" in data
    before = everything()
    (outcome,) = run("labelstudio", data.encode(), analyst, admin_user)
    assert outcome.status == Status.REJECTED
    assert "not valid JSON" in outcome.reason
    assert everything() == before


def test_region_ids_may_repeat_across_predictions_and_annotations(analyst, admin_user):
    # Label Studio keeps a prediction's region ids when an annotator starts from it, and
    # backends number each prediction's regions from 0: ids bind values within one only.
    one = prediction(region(NEWS, "Lyon", "Claim", id="0"), model_version="v1")
    two = prediction(region(NEWS, "ONU", "Claim", id="0"), id=2, model_version="v2")
    both = task(NEWS, one, two, annotated=[("Lyon", "Claim")])
    both["annotations"][0]["result"][0]["id"] = "0"
    (outcome,) = imported(both, analyst=analyst, by=admin_user)
    assert (outcome.spans_created, outcome.suggestions_created) == (1, 2)


def test_bad_tasks_are_named_by_index_and_the_others_import(analyst, admin_user):
    tasks = [
        task(NEWS, two_regions()),
        task("Le préfet a parlé.", prediction(lyon()), id=7),
        task("Un autre texte.", prediction(region("Un autre texte.", "autre", "Rumeur", id="r"))),
        task("Sans rien.", id="abc"),
        task("Encore un texte.", prediction(region("Encore un texte.", "texte", "Claim", id="t"))),
    ]
    outcomes = run("labelstudio", json.dumps(tasks).encode(), analyst, admin_user)
    assert [(o.label, o.status) for o in outcomes] == [
        ("file, task 1 (id 1)", Status.IMPORTED),
        ("file, task 2 (id 7)", Status.REJECTED),
        ("file, task 3 (id 1)", Status.REJECTED),
        ("file, task 4 (id abc)", Status.REJECTED),
        ("file, task 5 (id 1)", Status.IMPORTED),
    ]
    assert "is outside the text (18 characters)" in outcomes[1].reason
    assert "Unknown label(s): Rumeur." in outcomes[2].reason
    assert outcomes[3].reason == "This task has no annotation and no prediction."
    assert sorted(Article.objects.values_list("text", flat=True)) == ["Encore un texte.", NEWS]
    assert sorted(Suggestion.objects.values_list("text", flat=True)) == [
        "-213 morts",
        "texte",
        QUOTE,
    ]


# --- The report -----------------------------------------------------------------------------


def test_the_import_page_says_how_many_suggestions_were_stored(client, admin_user, analyst):
    client.force_login(admin_user)
    tasks = [task(NEWS, two_regions(), annotated=[("Lyon", "Claim")]), task("Rien.", id=8)]

    def post():
        upload = SimpleUploadedFile("model.json", json.dumps(tasks).encode())
        form = {"file": upload, "format": "labelstudio", "analyst": "ana"}
        return client.post(reverse("exports:import"), form, headers={"HX-Request": "true"})

    html = post().content.decode()
    assert "1 records imported (1 new spans), 1 rejected." in html
    assert "2 new suggestions from the predictions (0 already there)." in html
    assert "1 new span; 2 new suggestions" in html  # the task's own row
    assert "model.json, task 2 (id 8)" in html
    html = post().content.decode()
    assert "0 new suggestions from the predictions (2 already there)." in html
    assert "0 new suggestions, 2 already there" in html
    assert Suggestion.objects.count() == 2


def test_a_file_without_predictions_says_nothing_of_suggestions(client, admin_user, analyst):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(
        "work.json", json.dumps([task(NEWS, annotated=[("Lyon", "Claim")])]).encode()
    )
    form = {"file": upload, "format": "labelstudio", "analyst": "ana"}
    html = client.post(reverse("exports:import"), form).content.decode()
    assert "1 records imported (1 new spans), 0 rejected." in html
    assert "suggestion" not in html.split("<h2>", 1)[1]  # the report, not the page's text


def test_the_command_says_how_many_suggestions_each_task_stored(analyst, tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps([task(NEWS, two_regions())]), encoding="utf-8")
    out = StringIO()
    call_command(
        "import_spans", str(path), "--format", "labelstudio", "--analyst", "ana", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("task 1 (id 1): imported, 0 new spans, 0 already there (")
    assert lines[0].endswith("; 2 new suggestions")
    assert lines[-1] == "2 new suggestions from the predictions (0 already there)."
    assert Suggestion.objects.count() == 2
