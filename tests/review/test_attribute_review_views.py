"""The reviewer's view of a span's values, and corrections through the attribute panel."""

import uuid

import pytest
from django.urls import reverse

from annotator.accounts.roles import Role
from annotator.annotations.models import Span, SpanEvent
from tests.factories import give_role, live_spans

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def values_url(item, span):
    return reverse("review:span_attributes", args=[item.pk, span.pk])


def figure_of(item):
    return next(s for s in live_spans(item) if s.label.name == "Casualty figure")


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


def test_each_row_shows_its_values_and_a_way_to_correct_them(rita, claimed):
    figure = figure_of(claimed)
    html = rita.get(reverse("review:item", args=[claimed.pk])).text
    row = html[html.index(f'id="span-{figure.pk}"') :]
    row = row[: row.index("</li>\n        \n")]
    assert '<span title="Kind">displaced</span>' in row
    assert f'hx-get="{values_url(claimed, figure)}"' in row
    assert 'id="attribute-panel" hidden' in html and "js/panel.js" in html


def test_the_reviewer_corrects_a_value_recorded_as_theirs(rita, claimed, reviewer):
    figure = figure_of(claimed)
    panel = rita.get(values_url(claimed, figure), headers=HTMX).text
    assert 'value="displaced" checked>' in panel and "Save the values" in panel
    data = {"action_id": str(uuid.uuid4()), "value-kind": "killed", "value-min": "1850"}
    response = rita.post(values_url(claimed, figure), data, headers=HTMX)
    assert response.status_code == 200
    assert f'id="attribute-panel" hidden data-closed="{figure.pk}"' in response.text
    assert f'id="span-{figure.pk}"' in response.text and "killed</span>" in response.text
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "killed", "min": 1850}
    assert figure.status == Span.Status.PENDING  # the decision is the reviewer's to make
    event = SpanEvent.objects.get(span=figure, kind=SpanEvent.Kind.ATTRIBUTES)
    assert event.actor == reviewer
    assert event.attributes_before == {"kind": "displaced"}


def test_errors_come_back_beside_the_field(rita, claimed):
    figure = figure_of(claimed)
    data = {"value-kind": "displaced", "value-min": "20", "value-max": "10"}
    response = rita.post(values_url(claimed, figure), data, headers=HTMX)
    assert response.status_code == 422
    assert '<p class="field-error" id="error-max">“Max” cannot be less than “Min”.' in response.text
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "displaced"}


def test_another_reviewer_reads_the_panel_but_cannot_correct(client, claimed, other_reviewer):
    figure = figure_of(claimed)
    client.force_login(other_reviewer)
    panel = client.get(values_url(claimed, figure), headers=HTMX).text
    assert '<fieldset class="panel-fields" disabled>' in panel and "Save the values" not in panel
    response = client.post(values_url(claimed, figure), {"value-kind": "killed"}, headers=HTMX)
    assert response.status_code == 409
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "displaced"}


def test_the_analyst_cannot_correct_their_own_work_here(client, claimed, analyst):
    give_role(analyst, Role.REVIEWER)
    client.force_login(analyst)
    figure = figure_of(claimed)
    assert client.post(values_url(claimed, figure), {"value-kind": "killed"}).status_code == 403
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "displaced"}
