"""The review dashboard: the figures are right, and they cost the same few queries always."""

from datetime import timedelta

import pytest
from django.urls import reverse

from annotator.agreement import gold
from annotator.review import decisions, queue, stats
from tests.factories import live_spans, make_submission

URL = reverse("review:dashboard")


@pytest.fixture
def history(analyst, other_analyst, reviewer, other_reviewer, labels):
    """rita approved ana's article (one span rejected, one relabelled); ruth approved all of
    alex's spans but returned the article; one article waits, one is in rita's hands."""
    a = make_submission(analyst, "A", ago=timedelta(hours=9))
    b = make_submission(other_analyst, "B", ago=timedelta(hours=8))
    c = make_submission(analyst, "C", ago=timedelta(hours=7))
    d = make_submission(other_analyst, "D", ago=timedelta(hours=6))

    assert queue.claim_next(reviewer)[0] == a
    by_label = {s.label.name: s for s in live_spans(a)}
    decisions.decide(a.pk, reviewer, by_label["Casualty figure"].pk, decisions.Decision.APPROVE)
    decisions.decide(a.pk, reviewer, by_label["Quote"].pk, decisions.Decision.REJECT, reason="no")
    decisions.decide(
        a.pk,
        reviewer,
        by_label["Claim"].pk,
        decisions.Decision.RELABEL,
        label=labels["Policy stance"],
    )
    decisions.approve(a.pk, reviewer)

    assert queue.claim_next(other_reviewer)[0] == b
    decisions.approve_all(b.pk, other_reviewer)
    decisions.return_to_analyst(b.pk, other_reviewer, comment="Missing a quote.")

    assert queue.claim_next(reviewer)[0] == c
    queue.release(c.pk, reviewer)
    assert queue.claim_next(reviewer)[0] == c  # C is the oldest again; rita keeps it
    return {"a": a, "b": b, "c": c, "d": d}


def test_queue_figures(history):
    from django.utils import timezone

    overview = stats.overview(timezone.now())
    assert (overview["waiting"], overview["in_review"]) == (1, 1)
    assert overview["oldest"] == history["d"]
    assert [item.pk for item in overview["reviewing"]] == [history["c"].pk]


def test_decisions_per_reviewer(history):
    rows = {row["reviewer"]: row for row in stats.decisions_per_reviewer()}
    assert set(rows) == {"rita", "ruth"}
    rita, ruth = rows["rita"], rows["ruth"]
    assert (rita["decisions"], rita["approved"], rita["rejected"], rita["relabelled"]) == (
        3,
        1,
        1,
        1,
    )
    assert (rita["items_approved"], rita["items_returned"]) == (1, 0)
    assert (ruth["decisions"], ruth["approved"], ruth["items_returned"]) == (3, 3, 1)


def test_an_analyst_relabelling_their_own_span_is_not_a_review_decision(history, analyst):
    from annotator.annotations.models import SpanEvent
    from annotator.annotations.spans import record

    span = live_spans(history["c"])[0]
    record(span, SpanEvent.Kind.RELABELED, analyst, label_before=span.label)
    assert {row["reviewer"] for row in stats.decisions_per_reviewer()} == {"rita", "ruth"}


def test_approval_rate_per_label_counts_against_the_analysts_label(history):
    rates = {
        r.name: (r.approved, r.relabelled, r.rejected, r.rate) for r in stats.rates_per_label()
    }
    assert rates == {
        "Claim": (1, 1, 0, 50.0),
        "Quote": (1, 0, 1, 50.0),
        "Casualty figure": (2, 0, 0, 100.0),
    }


def test_approval_rate_per_analyst(history):
    rates = {r.name: (r.approved, r.relabelled, r.rejected) for r in stats.rates_per_analyst()}
    assert rates == {"ana": (1, 1, 1), "alex": (3, 0, 0)}
    assert stats.Rate("x", 0, 0, 0).rate is None


def test_the_page(client, reviewer, history):
    client.force_login(reviewer)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<p class="figure-value" id="queue-length">1</p>' in html
    assert '<p class="figure-value" id="in-review">1</p>' in html
    assert "oldest wait: « D » by alex" in html
    assert '<th scope="row">ana</th><td>3</td><td>1</td><td>1</td><td>1</td><td>33%</td>' in html
    assert "Back to the article you are reviewing" in html


def test_empty_dashboard(client, reviewer):
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    assert "nothing is waiting" in html
    assert "No decisions yet." in html
    assert "Start reviewing" in html


# Session, user with roles; the two queue counts, the oldest item, items in review, the held
# claim; decisions per reviewer (span and article events); labels and rates per label; rates
# per analyst; the progress chart: handed in, reviewed and gold versions finished per week;
# the suggestions' figures per source and label.
QUERIES = 15


def test_query_count_does_not_grow_with_the_data(
    client, reviewer, history, analyst, other_analyst, labels, django_assert_num_queries
):
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES):
        client.get(URL)
    from annotator.accounts.roles import Role
    from tests.factories import make_user

    for n in range(6):
        author = analyst if n % 2 else other_analyst
        make_submission(author, f"More {n}")
        helper = make_user(f"helper{n}", Role.REVIEWER)
        item, _ = queue.claim_next(helper)
        decisions.approve_all(item.pk, helper)
        if n % 3:
            decisions.approve(item.pk, helper)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


def test_the_progress_chart_counts_each_week(client, reviewer, two_analysts):
    gold.claim(two_analysts.pk, reviewer)
    gold.accept_agreed(two_analysts.pk, reviewer)
    gold.finish(two_analysts.pk, reviewer)
    client.force_login(reviewer)
    html = client.get(reverse("review:dashboard")).text
    table = html[
        html.index('id="progress-table"') : html.index(
            "</table>", html.index('id="progress-table"')
        )
    ]
    assert '<th scope="col" class="num">handed in</th>' in table
    assert "gold versions finished" in table
    # This week: two analysts' work handed in, none reviewed, one gold version finished.
    this_week = table[table.rindex("<tr>") :]
    assert this_week.count('<td class="num">') == 3
    assert '<td class="num">2</td><td class="num">0</td><td class="num">1</td>' in this_week
    assert table.count("<tr>") == 12 + 1  # twelve weeks and the header
    assert "handed in 2" in html and "gold versions finished 1" in html  # the chart's bars
    assert 'href="/agreement/"' in html and 'href="/agreement/gold/"' in html
