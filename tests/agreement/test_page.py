"""The agreement page: the figures of two analysts' work on the same articles, its filters,
its refusals, and who may see it."""

import pytest
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Assignment
from tests.agreement.work import TEXT, at, first_sentence, tag
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("agreement:index"), query)


def figure_of(html, element_id):
    at_ = html.index(f'id="{element_id}"')
    return html[html.index(">", at_) + 1 : html.index("<", at_)]


def row_of(html, marker):
    at_ = html.index(marker)
    return html[at_ : html.index("</tr>", at_)]


def tr_around(html, phrase):
    at_ = html.index(phrase)
    return html[html.rindex("<tr", 0, at_) : html.index("</tr>", at_)]


def test_the_figures_of_two_analysts(client, reviewer, two_analysts):
    html = page(client, reviewer).text
    # Exact: the claim and the casualty figure, of three spans each; overlap: all three.
    assert figure_of(html, "overall-exact") == "0.67"
    assert figure_of(html, "overall-overlap") == "1.00"
    claim = row_of(html, 'data-label="Claim"')
    assert claim.count(">1.00<") == 3  # F1 exact, F1 overlap, αu
    quote = row_of(html, 'data-label="Quote"')
    assert ">0.00<" in quote and ">1.00<" in quote
    pair = row_of(html, "<td>ana</td><td>alex</td>")  # by id: ana came first
    assert "0.67, 0.67, 0.67" in pair and "1.00, 1.00, 1.00" in pair
    # The whole sentence both tagged Claim, and the others neither: full agreement.
    assert "Krippendorff’s α (nominal): 1.00" in html
    assert '1.00 <span class="muted">(' in pair
    # Values of the casualty figure both drew alike: same kind, min 12 against 10.
    values = html[html.index('id="value-table"') :]
    assert "<td>Kind</td>" in values and "<td>Min</td>" in values
    kind = row_of(values, "<td>Kind</td>")
    low = row_of(values, "<td>Min</td>")
    assert ">1.00<" in kind and ">n/a<" in kind
    assert ">0.00<" in low and ">2.00<" in low
    assert "« Séisme à Corvenne »" in html[html.index('id="article-table"') :]
    # Readable without colour: each bar says its figure.
    assert "F1, exact 1.00" in html and "αu 1.00" in html


def test_french_figures_have_a_decimal_comma(client, reviewer, two_analysts):
    client.cookies["django_language"] = "fr"
    html = page(client, reviewer).text
    assert figure_of(html, "overall-exact") == "0,67"
    assert 'viewBox="0 0 640 ' in html  # the drawing's numbers stay plain


def test_work_in_progress_counts_only_when_chosen(
    client, reviewer, analyst, other_analyst, admin_user, labels
):
    article = make_article(TEXT, by=admin_user)
    for analyst_ in (analyst, other_analyst):
        work = Assignment.objects.create(article=article, analyst=analyst_)
        tag(work, labels["Claim"], at("La mairie"))
    html = page(client, reviewer).text
    assert "Not enough data: no article in this selection has work from two analysts" in html
    html = page(client, reviewer, status="in_progress").text
    assert figure_of(html, "overall-exact") == "1.00"


def test_filters_pick_the_labels_and_analysts(client, reviewer, two_analysts, analyst, labels):
    html = page(client, reviewer, label="Quote").text
    assert figure_of(html, "overall-exact") == "0.00"
    assert 'data-label="Claim"' not in html
    html = page(client, reviewer, analyst="ana").text  # one analyst left: nothing to compare
    assert "Not enough data" in html


def test_a_third_analyst_brings_fleiss_kappa(client, reviewer, two_analysts, labels):
    third = make_user("ali", "analyst")
    work = Assignment.objects.create(article=two_analysts, analyst=third)
    tag(work, labels["Claim"], first_sentence(two_analysts))
    spans.submit(work.pk, third)
    html = page(client, reviewer).text
    assert "Fleiss’ κ: 1.00" in html
    assert html.count("<td>ali</td>") == 2  # (alex, ali) and (ali, ana)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"label": "Nope"}, "There is no label named “Nope”."),
        ({"analyst": "nobody"}, "There is no analyst named “nobody”."),
        ({"status": "lost"}, "Select a valid choice."),
        (
            {"published_from": "2026-05-02", "published_to": "2026-05-01"},
            "The “published from” date is after the “published until” date.",
        ),
        ({"published_from": "le 2 mai"}, "Enter a valid date."),
    ],
)
def test_a_bad_filter_is_said_in_the_page(client, reviewer, two_analysts, query, message):
    response = page(client, reviewer, **query)
    assert response.status_code == 400
    assert message in response.text
    assert 'id="overall"' not in response.text


def test_analysts_do_not_see_the_others_work_unless_the_setting_lets_them(
    client, analyst, two_analysts, settings
):
    assert page(client, analyst).status_code == 403
    settings.AGREEMENT_ROLES = ["admin", "reviewer", "analyst"]
    assert page(client, analyst).status_code == 200


def test_the_nav_links_to_the_page_for_those_who_may_see_it(client, reviewer, analyst):
    url = reverse("agreement:index")
    client.force_login(reviewer)
    assert f'href="{url}"' in client.get(reverse("home")).text
    client.force_login(analyst)
    assert f'href="{url}"' not in client.get(reverse("home")).text


def test_the_query_count_does_not_grow_with_articles(
    client, reviewer, analyst, other_analyst, admin_user, labels, django_assert_num_queries
):
    def add_article(n):
        article = make_article(TEXT + f" Mise à jour {n}.", by=admin_user)
        for analyst_ in (analyst, other_analyst):
            work = Assignment.objects.create(article=article, analyst=analyst_)
            tag(work, labels["Claim"], at("La mairie"))
            spans.submit(work.pk, analyst_)

    add_article(0)
    client.force_login(reviewer)
    url = reverse("agreement:index")
    client.get(url)
    with django_assert_num_queries(11) as few:
        client.get(url)
    for n in range(1, 6):
        add_article(n)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert figure_of(response.text, "overall-exact") == "1.00"


def test_the_side_by_side_view_marks_where_the_analysts_differ(client, reviewer, two_analysts):
    client.force_login(reviewer)
    html = client.get(reverse("agreement:compare", args=[two_analysts.pk])).text
    assert "3 places where someone drew a span, 2 where the analysts differ." in html
    quote = tr_around(html, "une nuit d’angoisse")
    assert 'data-differences="bounds"' in quote and "other bounds" in quote
    figure = tr_around(html, "12 morts")
    assert 'data-differences="values"' in figure and "other values" in figure
    assert '<th scope="col">alex</th><th scope="col">ana</th>' in html.replace("\n    ", "")
    assert html.count('class="compare-row differs"') == 2


def test_the_side_by_side_view_needs_two_analysts(client, reviewer, analyst, admin_user, labels):
    article = make_article(TEXT, by=admin_user)
    work = Assignment.objects.create(article=article, analyst=analyst)
    tag(work, labels["Claim"], at("La mairie"))
    spans.submit(work.pk, analyst)
    client.force_login(reviewer)
    html = client.get(reverse("agreement:compare", args=[article.pk])).text
    assert "Not enough data: fewer than two analysts have handed in work on this article." in html
    assert client.get(reverse("agreement:compare", args=[article.pk + 1000])).status_code == 404


def test_agreement_over_time_and_which_label_for_which(client, reviewer, two_analysts):
    html = page(client, reviewer).text
    weeks = html[html.index('id="week-table"') : html.index('id="confusion-heading"')]
    assert weeks.count("<tr><td>") == 1  # both handed in this week
    assert ">0.67<" in weeks and ">1.00<" in weeks
    confusion = html[html.index('id="confusion-table"') :]
    # Each analyst's claim, quote and casualty figure met the same label in the other's
    # work: 2 on the diagonal of each row (one per direction), nothing elsewhere.
    for name in ("Claim", "Quote", "Casualty figure"):
        row = row_of(confusion, f'data-label="{name}"')
        assert row.count('class="num diagonal">2<') == 1
        assert row.count(">0<") == 3  # the two other labels used, and "nothing there"
    assert html.count('<svg class="chart"') == 2
    # The same counts as a grid: each row's own label outlined and darkest (all of its
    # row), the other cells empty and lightest; every cell says its count.
    grid = html[html.index('<svg class="chart grid-chart"') : html.index('id="confusion-table"')]
    assert grid.count('<rect class="shade-4 marked"') == 3
    assert grid.count('<rect class="shade-0"') == 9
    assert grid.count('shade-4" x=') == 3 and grid.count('">2</text>') == 3
    assert grid.count('">0</text>') == 9
    assert "nothing there" in grid
