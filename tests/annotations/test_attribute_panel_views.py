"""The attribute panel of the annotation page, its save, the values in the span list and the
list of spans lacking values, through the Django client (htmx and plain)."""

import uuid

import pytest
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.attributes import Attribute
from annotator.annotations.models import Assignment, Span, SpanEvent
from tests.factories import make_article

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

TEXT = (
    "Effondrement du pont de Brévaine\n"
    "\n"
    "Selon la préfecture, au moins 12 morts ont été retrouvés sous les décombres. "
    "Le bilan définitif fait état de 213 morts et de 200 à 999 blessés. "
    "« Les recherches continueront toute la nuit », a déclaré Mme Lefaucheux, préfète."
)


@pytest.fixture
def work(analyst, admin_user, labels):
    article = make_article(TEXT, by=admin_user, title="Effondrement du pont de Brévaine")
    return Assignment.objects.create(article=article, analyst=analyst)


def tag(work, phrase, label, values=None):
    start = TEXT.index(phrase)
    span, _ = spans.create_span(
        work.pk, work.analyst, label=label, start=start, end=start + len(phrase), attributes=values
    )
    return span


def panel_url(work):
    return reverse("annotations:span_attributes", args=[work.pk])


@pytest.fixture
def ana(client, analyst):
    client.force_login(analyst)
    return client


def save(client, work, span, **fields):
    data = {"span": span.pk, "action_id": str(uuid.uuid4())}
    # value_min → value-min; show_missing stays.
    data |= {
        name if name == "show_missing" else name.replace("_", "-", 1): value
        for name, value in fields.items()
    }
    return client.post(panel_url(work), data, headers=HTMX)


# --- The panel, per type ---------------------------------------------------------------------


def test_the_panel_has_a_field_per_type(ana, work, labels):
    figure = tag(work, "213 morts", labels["Casualty figure"], {"kind": "injured"})
    response = ana.get(panel_url(work), {"span": figure.pk}, headers=HTMX)
    html = response.text
    assert response.status_code == 200
    assert html.startswith("\n<section") or '<section class="attribute-panel' in html[:200]
    assert "<h1" not in html  # the panel alone
    assert 'id="value-min" name="value-min" value="" autocomplete="off" inputmode="numeric"' in html
    # A choice is a radio group, its answers numbered for their keys; the stored one is checked.
    assert 'role="radiogroup"' in html
    assert 'value="injured" checked> <kbd>2</kbd> injured' in html
    assert html.count('type="radio" name="value-kind"') == 5
    assert 'name="unknown-min"' in html and 'name="unknown-kind"' in html
    assert 'hx-post="/annotate/' in html and 'hx-target="#attribute-panel"' in html
    # A stored value is no proposal.
    assert "Proposed from the text" not in html

    quote = tag(work, "Les recherches continueront toute la nuit", labels["Quote"])
    html = ana.get(panel_url(work), {"span": quote.pk}, headers=HTMX).text
    assert 'class="reference" data-key="speaker"' in html and 'maxlength="200"' in html
    assert 'name="start-speaker"' in html and 'name="end-speaker"' in html
    assert "Pick words in the text" in html

    stance = tag(work, "Le bilan définitif", labels["Policy stance"])
    html = ana.get(panel_url(work), {"span": stance.pk}, headers=HTMX).text
    assert (
        'id="value-target" name="value-target" value="" autocomplete="off" maxlength="200"' in html
    )


def test_a_boolean_is_a_checkbox(ana, work, labels):
    claim = labels["Claim"]
    Attribute.objects.create(label=claim, key="sourced", name="Sourced", type="boolean", order=9)
    span = tag(work, "Le bilan définitif", claim)
    html = ana.get(panel_url(work), {"span": span.pk}, headers=HTMX).text
    assert 'type="checkbox" id="value-sourced" name="value-sourced" value="1"' in html
    assert save(ana, work, span, value_sourced="1").status_code == 200
    span.refresh_from_db()
    assert span.attributes == {"sourced": True}
    # Unticked is an answer: no.
    assert save(ana, work, span).status_code == 200
    span.refresh_from_db()
    assert span.attributes == {"sourced": False}


def test_without_javascript_the_panel_opens_in_the_page(ana, work, labels):
    span = tag(work, "213 morts", labels["Casualty figure"])
    response = ana.get(panel_url(work), {"span": span.pk})
    assert response.status_code == 200
    assert "<h1>" in response.text and 'id="attribute-form"' in response.text
    assert f'href="/annotate/{work.pk}/"' in response.text  # Close


# --- Saving ----------------------------------------------------------------------------------


def test_save_stores_the_values_and_replaces_the_row(ana, work, labels):
    span = tag(work, "213 morts", labels["Casualty figure"])
    response = save(
        ana, work, span, value_kind="killed", value_min="213", value_max="213",
        value_precision="exact",
    )  # fmt: skip
    assert response.status_code == 200
    span.refresh_from_db()
    assert span.attributes == {"kind": "killed", "min": 213, "max": 213, "precision": "exact"}
    event = SpanEvent.objects.get(span=span, kind=SpanEvent.Kind.ATTRIBUTES)
    assert event.actor == work.analyst and event.action_id is not None
    html = response.text
    # The closed panel is the answer's own content; the row comes out of band.
    assert f'id="attribute-panel" hidden data-closed="{span.pk}"' in html
    assert f'id="span-item-{span.pk}"' in html and 'hx-swap-oob="true"' in html
    assert '<span title="Kind">killed</span> · <span title="Min–Max">213</span>' in html
    assert '<span title="Precision">exact</span>' in html


def test_a_retried_save_lands_once(ana, work, labels):
    span = tag(work, "213 morts", labels["Casualty figure"])
    data = {"span": span.pk, "action_id": str(uuid.uuid4()), "value-kind": "killed"}
    for _ in range(2):
        assert ana.post(panel_url(work), data, headers=HTMX).status_code == 200
    assert SpanEvent.objects.filter(span=span, kind=SpanEvent.Kind.ATTRIBUTES).count() == 1


def test_unknown_is_stored_as_null_and_an_empty_field_is_cleared(ana, work, labels):
    span = tag(work, "213 morts", labels["Casualty figure"], {"kind": "killed", "min": 213})
    assert save(ana, work, span, unknown_kind="1", value_kind="killed").status_code == 200
    span.refresh_from_db()
    assert span.attributes == {"kind": None}  # min left empty: cleared


@pytest.mark.parametrize(
    ("fields", "key", "error"),
    [
        ({"value_min": "20", "value_max": "10"}, "max", "“Max” cannot be less than “Min”."),
        ({"value_min": "٣"}, "min", "“Min” must be a whole number written with the digits 0 to 9."),
        ({"value_min": "2147483648"}, "min", "“Min” is beyond the numbers that can be stored"),
        ({"value_min": "9" * 40}, "min", "“Min” is beyond the numbers that can be stored"),
        ({"value_kind": "drowned"}, "kind", "“drowned” is not one of the answers to “Kind”."),
    ],
)
def test_what_cannot_be_stored_is_said_beside_its_field(ana, work, labels, fields, key, error):
    span = tag(work, "213 morts", labels["Casualty figure"])
    response = save(ana, work, span, **fields)
    assert response.status_code == 422
    html = response.text
    assert f'<p class="field-error" id="error-{key}">{error}' in html.replace("&#x27;", "'")
    assert f'aria-describedby="error-{key}' in html
    assert "Nothing was saved" in html
    # What the analyst typed is shown again, to correct.
    if "value_min" in fields:
        assert f'value="{fields["value_min"]}"' in html
    span.refresh_from_db()
    assert span.attributes == {}
    assert not SpanEvent.objects.filter(kind=SpanEvent.Kind.ATTRIBUTES).exists()


def test_text_too_long_is_refused_beside_its_field(ana, work, labels):
    span = tag(work, "Le bilan définitif", labels["Policy stance"])
    response = save(ana, work, span, value_target="x" * 201)
    assert response.status_code == 422
    assert "“Target” is too long: at most 200 characters." in response.text
    span.refresh_from_db()
    assert span.attributes == {}


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("0", str(len(TEXT) + 5), "are not within the article"),
        ("3", "", "are not within the article"),
        ("0", "5", "are not those of the article at that place"),
    ],
)
def test_reference_offsets_must_point_at_the_words(ana, work, labels, start, end, error):
    span = tag(work, "Les recherches continueront toute la nuit", labels["Quote"])
    response = save(
        ana, work, span, value_speaker="Mme Lefaucheux", start_speaker=start, end_speaker=end
    )
    assert response.status_code == 422
    assert error in response.text
    span.refresh_from_db()
    assert span.attributes == {}


def test_reference_with_its_offsets_and_typed_words_without(ana, work, labels):
    span = tag(work, "Les recherches continueront toute la nuit", labels["Quote"])
    at = TEXT.index("Mme Lefaucheux")
    response = save(
        ana, work, span, value_speaker="Mme Lefaucheux", start_speaker=str(at),
        end_speaker=str(at + 14), value_cue="a déclaré",
    )  # fmt: skip
    assert response.status_code == 200
    span.refresh_from_db()
    assert span.attributes == {
        "speaker": {"text": "Mme Lefaucheux", "start": at, "end": at + 14},
        "cue": {"text": "a déclaré", "start": None, "end": None},
    }
    assert '« Mme Lefaucheux »</span> · <span title="Cue">« a déclaré »' in response.text


# --- Who may ---------------------------------------------------------------------------------


def test_another_analysts_span_is_not_found(client, other_analyst, work, labels):
    span = tag(work, "213 morts", labels["Casualty figure"])
    client.force_login(other_analyst)
    assert client.get(panel_url(work), {"span": span.pk}, headers=HTMX).status_code == 404
    response = client.post(panel_url(work), {"span": span.pk, "value-kind": "killed"})
    assert response.status_code == 404
    span.refresh_from_db()
    assert span.attributes == {}


def test_a_span_of_other_work_is_not_found(ana, work, labels, admin_user, analyst):
    other = Assignment.objects.create(article=make_article(by=admin_user), analyst=analyst)
    span = tag(work, "213 morts", labels["Casualty figure"])
    response = ana.post(panel_url(other), {"span": span.pk, "value-kind": "killed"}, headers=HTMX)
    assert response.status_code == 404
    span.refresh_from_db()
    assert span.attributes == {}


def test_submitted_work_is_refused_and_its_panel_is_read_only(ana, work, labels):
    span = tag(work, "213 morts", labels["Casualty figure"], {"kind": "killed"})
    spans.submit(work.pk, work.analyst)
    html = ana.get(panel_url(work), {"span": span.pk}, headers=HTMX).text
    assert '<fieldset class="panel-fields" disabled>' in html
    assert "Save the values" not in html
    response = save(ana, work, span, value_kind="injured")
    assert response.status_code == 409
    assert "read-only until a reviewer returns it" in response.text
    span.refresh_from_db()
    assert span.attributes == {"kind": "killed"}


# --- The proposal for a casualty figure -----------------------------------------------------


def test_a_casualty_figure_is_proposed_from_the_text_and_not_stored(ana, work, labels):
    span = tag(work, "au moins 12 morts", labels["Casualty figure"])
    html = ana.get(panel_url(work), {"span": span.pk}, headers=HTMX).text
    assert "Proposed from the text, not saved yet" in html
    assert 'value="killed" checked>' in html and 'value="approx" checked>' in html
    assert 'name="value-min" value="12"' in html and 'name="value-max" value=""' in html
    assert html.count("(proposed)") == 3  # kind, min, precision; max stays empty
    span.refresh_from_db()
    assert span.attributes == {}
    assert not SpanEvent.objects.filter(kind=SpanEvent.Kind.ATTRIBUTES).exists()


def test_a_range_is_proposed_with_both_ends(ana, work, labels):
    span = tag(work, "200 à 999 blessés", labels["Casualty figure"])
    html = ana.get(panel_url(work), {"span": span.pk}, headers=HTMX).text
    assert 'name="value-min" value="200"' in html and 'name="value-max" value="999"' in html
    assert 'value="injured" checked>' in html


def test_no_proposal_without_a_figure_or_once_values_are_stored(ana, work, labels):
    nothing = tag(work, "préfète", labels["Casualty figure"])
    html = ana.get(panel_url(work), {"span": nothing.pk}, headers=HTMX).text
    assert "Proposed from the text" not in html and "checked" not in html
    stored = tag(work, "213 morts", labels["Casualty figure"], {"kind": "missing"})
    html = ana.get(panel_url(work), {"span": stored.pk}, headers=HTMX).text
    assert "Proposed from the text" not in html and 'name="value-min" value=""' in html


def test_the_proposal_follows_the_attributes_not_the_labels_name(ana, work, labels):
    figure = labels["Casualty figure"]
    figure.name = "Bilan humain"
    figure.save()
    span = tag(work, "au moins 12 morts", figure)
    html = ana.get(panel_url(work), {"span": span.pk}, headers=HTMX).text
    assert "Proposed from the text" in html
    # Without a precision attribute, it is no casualty figure.
    Attribute.objects.filter(label=figure, key="precision").update(is_active=False)
    html = ana.get(panel_url(work), {"span": span.pk}, headers=HTMX).text
    assert "Proposed from the text" not in html


# --- The span list ---------------------------------------------------------------------------


def test_rows_show_values_compactly_and_what_is_missing(ana, work, labels):
    figure = labels["Casualty figure"]
    exact = tag(work, "213 morts", figure, {"kind": "killed", "min": 213, "max": 213})
    ranged = tag(work, "200 à 999 blessés", figure, {"kind": "injured", "min": 200, "max": 999})
    open_ = tag(work, "au moins 12 morts", figure, {"kind": None, "min": 12})
    lacking = tag(work, "préfète", figure)
    quote = tag(
        work, "Les recherches continueront toute la nuit", labels["Quote"],
        {"speaker": "Mme Lefaucheux", "kind": None},
    )  # fmt: skip
    html = ana.get(reverse("annotations:annotate", args=[work.pk])).text

    def row(span):
        at = html.index(f'id="span-item-{span.pk}"')
        return html[at : html.index("</li>", at)]

    assert '<span title="Kind">killed</span> · <span title="Min–Max">213</span>' in row(exact)
    assert '<span title="Min–Max">200–999</span>' in row(ranged)
    assert '<span title="Kind">?</span> · <span title="Min–Max">≥ 12</span>' in row(open_)
    assert '<span title="Speaker">« Mme Lefaucheux »</span>' in row(quote)
    assert "⚠ Missing: Kind" in row(lacking) and 'data-missing="true"' in row(lacking)
    assert "Missing" not in row(exact) and "Missing" not in row(quote)
    # Labels with fields open their panel when tagging.
    assert html.count('data-fields="true"') == 4


def test_the_french_interface_names_choices_in_french(client, analyst, work, labels):
    tag(work, "213 morts", labels["Casualty figure"], {"kind": "killed", "precision": "exact"})
    client.force_login(analyst)
    client.post(reverse("set_language"), {"language": "fr"})
    html = client.get(reverse("annotations:annotate", args=[work.pk])).text
    assert '<span title="Nature">tués</span>' in html
    assert '<span title="Précision">exact</span>' in html


def test_the_page_query_count_does_not_grow_with_spans_and_values(
    client, analyst, admin_user, labels, django_assert_num_queries
):
    sentence = "À Brévaine, au moins 12 morts et 200 à 999 blessés, selon Mme Lefaucheux. "
    text = "Titre\n\n" + "\n\n".join((sentence * 10).rstrip() for _ in range(20))
    article = make_article(text, by=admin_user)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    figure, quote = labels["Casualty figure"], labels["Quote"]
    rows = []
    for i in (i for i in range(len(text)) if text.startswith("au moins 12 morts", i)):
        rows.append(
            Span(label=figure, start=i, end=i + 17, attributes={"kind": "killed", "min": 12})
        )
    for i in (i for i in range(len(text)) if text.startswith("Mme Lefaucheux", i)):
        values = {"speaker": {"text": "Mme Lefaucheux", "start": i, "end": i + 14}, "kind": None}
        rows.append(Span(label=quote, start=i, end=i + 14, attributes=values))
    for i in (i for i in range(len(text)) if text.startswith("200 à 999 blessés", i)):
        rows.append(Span(label=figure, start=i, end=i + 17))  # lacking its kind
    for span in rows:
        span.assignment, span.article, span.annotator = assignment, article, analyst
        span.text = text[span.start : span.end]
    created = Span.objects.bulk_create(rows)
    SpanEvent.objects.bulk_create(
        SpanEvent(span=span, assignment=assignment, actor=analyst, kind="created")
        for span in created
    )
    assert len(created) == 600
    client.force_login(analyst)
    url = reverse("annotations:annotate", args=[assignment.pk])
    # As before the values (session, user with roles, assignment, spans, labels, sentences),
    # and the labels' attributes with their choices, once; the rules' first reading of the
    # article and its suggestions (as test_annotate_views pins them).
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.text.count('<span title="Kind">killed</span> · ') == 200
    assert response.text.count("⚠ Missing: Kind") == 200


# --- Submitting with spans lacking values ----------------------------------------------------


def test_submit_lists_the_spans_lacking_values_in_place(ana, work, labels):
    lacking = tag(work, "213 morts", labels["Casualty figure"])
    tag(work, "Les recherches continueront toute la nuit", labels["Quote"])
    response = ana.post(reverse("annotations:submit", args=[work.pk]), headers=HTMX)
    assert response.status_code == 409
    html = response.text
    assert '<section class="missing-values" id="missing-values"' in html
    assert 'hx-swap-oob="true"' in html
    assert "1 span lacks a required value" in html
    assert f'form="panel-form" name="span" value="{lacking.pk}"' in html
    assert "missing: Kind" in html
    work.refresh_from_db()
    assert work.status == Assignment.Status.IN_PROGRESS
    # Saving with the list shown brings it up to date: empty, it hides.
    response = save(ana, work, lacking, value_kind="killed", show_missing="1")
    hidden = 'id="missing-values" aria-labelledby="missing-heading" hidden hx-swap-oob="true">'
    assert hidden in response.text
    response = ana.post(reverse("annotations:submit", args=[work.pk]), headers=HTMX)
    assert response.status_code == 200
    work.refresh_from_db()
    assert work.status == Assignment.Status.SUBMITTED


def test_without_javascript_the_list_is_a_page(ana, work, labels):
    tag(work, "213 morts", labels["Casualty figure"])
    response = ana.post(reverse("annotations:submit", args=[work.pk]))
    assert response.status_code == 409
    assert "<h1>" in response.text and "1 span lacks a required value" in response.text
    assert "fill it in, or mark it unknown" in response.text
