"""The queue page: oldest first, filters through a form, counts by label, paginated."""

from datetime import timedelta

import pytest
from django.urls import reverse

from annotator.review import queue
from tests.factories import give_role, make_submission

URL = reverse("review:queue")


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def items(analyst, other_analyst, labels):
    return [
        make_submission(
            analyst,
            "Crue à Vasselot",
            source="Ouest",
            tags=[("Quote", "« Nous n’avions jamais vu ça »")],
            ago=timedelta(hours=5),
        ),
        make_submission(other_analyst, "Grève au port", source="Est", ago=timedelta(hours=4)),
        make_submission(analyst, "Budget municipal", source="Est", ago=timedelta(hours=3)),
    ]


def test_waiting_items_oldest_first_with_counts_by_label(rita, items):
    response = rita.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 articles waiting for review, oldest first." in html
    order = [html.index(title) for title in ("Crue à Vasselot", "Grève au port", "Budget")]
    assert order == sorted(order)
    assert '<span class="badge c-2">Quote: 1</span>' in html
    assert '<span class="badge c-3">Casualty figure: 1</span>' in html


def test_items_in_review_are_not_waiting(rita, items, other_reviewer):
    queue.claim_next(other_reviewer)
    html = rita.get(URL).content.decode()
    assert "2 articles waiting" in html
    assert "Crue à Vasselot" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"analyst": "ana"}, ["Crue à Vasselot", "Budget municipal"]),
        ({"source": "Est"}, ["Grève au port", "Budget municipal"]),
        ({"label": "claim"}, ["Grève au port", "Budget municipal"]),
        ({"analyst": "ana", "source": "Est"}, ["Budget municipal"]),
    ],
)
def test_filters(rita, items, labels, query, expected):
    if query.get("label") == "claim":
        query = {**query, "label": labels["Claim"].pk}
    html = rita.get(URL, query).content.decode()
    shown = [t for t in ("Crue à Vasselot", "Grève au port", "Budget municipal") if t in html]
    assert shown == expected
    assert f"{len(expected)} match" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"analyst": "nobody"}, "There is no analyst with that name."),
        ({"source": "Nowhere"}, "No article comes from that source."),
        ({"label": "12345"}, "That label does not exist."),
        ({"label": "x"}, "That label does not exist."),
        ({"page": "two"}, "The page must be a number."),
    ],
)
def test_invalid_filters_are_a_400_with_a_message(rita, items, query, message):
    response = rita.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_htmx_gets_only_the_results(rita, items):
    response = rita.get(URL, {"source": "Est"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<h1" not in html


def test_own_work_is_marked(client, items, analyst):

    from annotator.accounts.roles import Role

    give_role(analyst, Role.REVIEWER)
    client.force_login(analyst)
    assert client.get(URL).content.decode().count("your own work") == 2


def test_paginated(rita, analyst, labels):
    for n in range(27):
        make_submission(analyst, f"Article {n:02}", ago=timedelta(minutes=100 - n))
    first = rita.get(URL).content.decode()
    second = rita.get(URL, {"page": 2}).content.decode()
    assert "Article 00" in first and "Article 24" in first and "Article 25" not in first
    assert "Article 25" in second and "Article 26" in second and "Page 2 of 2" in second


# Session, user with roles; waiting count, page count, page rows, span counts, labels; held claim;
# the filter form's analysts, sources and labels.
QUERIES = 11


@pytest.mark.parametrize("n_items", [1, 25])
def test_query_count_does_not_grow_with_the_queue(
    rita, analyst, other_analyst, labels, django_assert_num_queries, n_items
):
    for n in range(n_items):
        make_submission(other_analyst if n % 2 else analyst, f"Item {n}", source=f"Source {n}")
    with django_assert_num_queries(QUERIES):
        assert rita.get(URL).status_code == 200
