import uuid

import pytest
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Span, SpanEvent, Workflow
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def create_url(assignment):
    return reverse("annotations:span_create", args=[assignment.pk])


def span_data(article, phrase, label, **extra):
    start = article.text.index(phrase)
    return {"label": label.pk, "start": start, "end": start + len(phrase), "text": phrase, **extra}


def test_create_returns_only_changed_fragments(client, analyst, assignment, labels):
    client.force_login(analyst)
    data = span_data(assignment.article, "1\u202f850 habitants", labels["Casualty figure"])
    response = client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    span = Span.objects.get()
    sentence_ids = {
        s.index for s in assignment.article.sentences.all() if s.start <= span.start < s.end
    }
    # The touched sentence, the new row and the count, swapped out of band; not the page,
    # not the whole span list.
    assert f'id="s-{sentence_ids.pop()}"' in response.text
    assert '<ol id="span-items" hx-swap-oob="true">' in response.text  # the first row
    assert f'id="span-item-{span.pk}"' in response.text
    assert '<h2 id="spans-heading" hx-swap-oob="true">1 span</h2>' in response.text
    assert 'id="span-list"' not in response.text and "<h1>" not in response.text
    assert response.text.count('class="sent"') == 1


def post_span(client, assignment, phrase, label, **extra):
    data = span_data(assignment.article, phrase, label, **extra)
    return client.post(create_url(assignment), data, headers={"HX-Request": "true"})


def test_one_changed_row_goes_where_it_belongs(client, analyst, assignment, labels):
    client.force_login(analyst)
    claim = labels["Claim"]
    post_span(client, assignment, "M. Roussel", claim)
    roussel = Span.objects.get()
    # Before the row that follows it in the text...
    response = post_span(client, assignment, "1\u202f850 habitants", claim)
    figure = Span.objects.get(text="1\u202f850 habitants")
    assert figure.start < roussel.start
    assert f'hx-swap-oob="beforebegin:#span-item-{roussel.pk}"' in response.text
    assert f'id="span-item-{figure.pk}"' in response.text
    assert f'id="span-item-{roussel.pk}"' not in response.text
    assert ">2 spans</h2>" in response.text
    # ... or at the end when none follows.
    response = post_span(client, assignment, "la préfecture", claim)
    assert 'hx-swap-oob="beforeend:#span-items"' in response.text
    # A repeat changes no row: the whole list is sent, as it stands.
    response = post_span(client, assignment, "la préfecture", claim)
    assert 'id="span-list"' in response.text and response.text.count('class="span-item"') == 3
    # Relabel: that row, replaced in place.
    url = reverse("annotations:span_relabel", args=[assignment.pk])
    data = {"span": roussel.pk, "label": labels["Quote"].pk}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert f'id="span-item-{roussel.pk}" data-span="{roussel.pk}"' in response.text
    assert response.text.count('class="span-item"') == 1 and ">Quote</span>" in response.text
    # Delete: that row goes; the last one gone brings "No spans yet" back.
    for span, left in [(roussel, 2), (figure, 1)]:
        url = reverse("annotations:span_delete", args=[assignment.pk])
        response = client.post(url, {"span": span.pk}, headers={"HX-Request": "true"})
        assert f'<li id="span-item-{span.pk}" hx-swap-oob="delete"></li>' in response.text
        assert f">{left} span" in response.text
    last = Span.objects.get(deleted_at__isnull=True)
    url = reverse("annotations:span_delete", args=[assignment.pk])
    response = client.post(url, {"span": last.pk}, headers={"HX-Request": "true"})
    assert '<ol id="span-items" hx-swap-oob="true">' in response.text
    assert "No spans yet." in response.text and ">0 spans</h2>" in response.text


def test_plain_post_redirects_back_to_the_page(client, analyst, assignment, labels):
    client.force_login(analyst)
    data = span_data(assignment.article, "M. Roussel", labels["Claim"])
    response = client.post(create_url(assignment), data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "M. Roussel" in page.text and Span.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": 10**6}, "ends after the end of the article"),
        ({"start": -1}, "greater than or equal to 0"),
        ({"start": "١٢"}, "digits 0 to 9"),
        ({"end": "９９"}, "digits 0 to 9"),
        ({"end": 2**40}, "less than or equal to"),
        ({"text": "autre chose"}, "out of date"),
        ({"label": 999999}, "does not exist or is switched off"),
    ],
)
def test_bad_span_input_is_refused_with_a_message(
    client, analyst, assignment, labels, change, message
):
    client.force_login(analyst)
    data = {**span_data(assignment.article, "M. Roussel", labels["Claim"]), **change}
    response = client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    assert response.status_code in {409, 422}
    assert message in response.text
    assert not Span.objects.exists()


def test_inactive_label_is_refused(client, analyst, assignment, labels):
    labels["Quote"].is_active = False
    labels["Quote"].save()
    client.force_login(analyst)
    data = span_data(assignment.article, "M. Roussel", labels["Quote"])
    response = client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert not Span.objects.exists()


def test_other_analyst_gets_404_and_nothing_changes(client, other_analyst, assignment, labels):
    client.force_login(other_analyst)
    data = span_data(assignment.article, "M. Roussel", labels["Claim"])
    assert client.post(create_url(assignment), data).status_code == 404
    assert client.get(reverse("annotations:annotate", args=[assignment.pk])).status_code == 404
    assert not Span.objects.exists()


def test_reviewer_without_analyst_role_cannot_annotate(client, reviewer, assignment, labels):
    client.force_login(reviewer)
    data = span_data(assignment.article, "M. Roussel", labels["Claim"])
    assert client.post(create_url(assignment), data).status_code == 403
    assert not Span.objects.exists()


def test_submitted_article_refuses_changes_with_409(client, analyst, assignment, labels):
    Assignment.objects.filter(pk=assignment.pk).update(status="submitted")
    client.force_login(analyst)
    data = span_data(assignment.article, "M. Roussel", labels["Claim"])
    response = client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "read-only" in response.text
    assert not Span.objects.exists()


def test_double_submission_with_same_action_id_creates_one_span(
    client, analyst, assignment, labels
):
    client.force_login(analyst)
    data = span_data(assignment.article, "M. Roussel", labels["Claim"], action_id=uuid.uuid4())
    client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    assert Span.objects.count() == 1
    assert SpanEvent.objects.count() == 1


def test_delete_undo_and_submit_views(client, analyst, assignment, labels):
    client.force_login(analyst)
    client.post(
        create_url(assignment), span_data(assignment.article, "M. Roussel", labels["Claim"])
    )
    span = Span.objects.get()
    client.post(reverse("annotations:span_delete", args=[assignment.pk]), {"span": span.pk})
    span.refresh_from_db()
    assert span.deleted_at is not None
    client.post(reverse("annotations:undo", args=[assignment.pk]))
    span.refresh_from_db()
    assert span.deleted_at is None
    response = client.post(
        reverse("annotations:submit", args=[assignment.pk]), headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Redirect"] == reverse("annotations:next")
    assignment.refresh_from_db()
    assert assignment.status == "submitted"


def test_relabel_view(client, analyst, assignment, labels):
    client.force_login(analyst)
    client.post(
        create_url(assignment), span_data(assignment.article, "M. Roussel", labels["Claim"])
    )
    span = Span.objects.get()
    client.post(
        reverse("annotations:span_relabel", args=[assignment.pk]),
        {"span": span.pk, "label": labels["Quote"].pk},
    )
    span.refresh_from_db()
    assert span.label == labels["Quote"]
    event = span.events.get(kind="relabeled")
    assert (event.label_before, event.label_after) == (labels["Claim"], labels["Quote"])


def test_mutations_are_post_only(client, analyst, assignment):
    client.force_login(analyst)
    for name in ["span_create", "undo", "submit"]:
        assert client.get(reverse(f"annotations:{name}", args=[assignment.pk])).status_code == 405


# --- Work queue --------------------------------------------------------------------------


def test_queue_shows_progress_and_next_opens_first_unsubmitted(client, analyst, admin_user, labels):
    first = Assignment.objects.create(
        article=make_article("Premier texte.\nSuite du texte.", by=admin_user),
        analyst=analyst,
        status="submitted",
    )
    second = Assignment.objects.create(
        article=make_article("Deuxième texte.", by=admin_user), analyst=analyst
    )
    client.force_login(analyst)
    page = client.get(reverse("annotations:queue"))
    assert "1 of 2 submitted" in page.text
    response = client.get(reverse("annotations:next"))
    assert response["Location"] == reverse("annotations:annotate", args=[second.pk])
    assert first.pk != second.pk


def test_analyst_takes_an_article_when_self_assignment_is_on(client, analyst, article):
    client.force_login(analyst)
    response = client.post(reverse("annotations:take"), {"article": article.pk})
    assignment = Assignment.objects.get(article=article, analyst=analyst)
    assert response["Location"] == reverse("annotations:annotate", args=[assignment.pk])
    assert assignment.assigned_by is None


def test_self_assignment_can_be_switched_off(client, analyst, article):
    Workflow.objects.update_or_create(pk=1, defaults={"self_assignment": False})
    client.force_login(analyst)
    client.post(reverse("annotations:take"), {"article": article.pk})
    assert not Assignment.objects.exists()


def test_admin_assigns_in_bulk_and_per_article(client, admin_user, analyst, other_analyst):
    articles = [make_article(f"Texte numéro {i}.", by=admin_user) for i in range(3)]
    client.force_login(admin_user)
    client.post(
        reverse("annotations:assign"),
        {"articles": [a.pk for a in articles[:2]], "analysts": [analyst.pk]},
    )
    assert Assignment.objects.filter(analyst=analyst).count() == 2
    client.post(
        reverse("annotations:assign"), {"articles": [a.pk for a in articles], "per_article": 2}
    )
    for a in articles:
        assert set(a.assignments.values_list("analyst__username", flat=True)) == {"ana", "alex"}


def test_only_admins_assign(client, analyst, article):
    client.force_login(analyst)
    response = client.post(
        reverse("annotations:assign"), {"articles": [article.pk], "analysts": [analyst.pk]}
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


# --- Hot page ----------------------------------------------------------------------------


def test_annotate_page_query_count_is_fixed(
    client, analyst, admin_user, labels, django_assert_num_queries
):
    sentence = "Le maire de Vasselot, M. Roussel, annonce 1\u202f200 évacués et « un plan ». "
    text = "Titre\n\n" + "\n\n".join((sentence * 10).rstrip() for _ in range(40))  # ~5,000 words
    article = make_article(text, by=admin_user)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    starts = [i for i in range(len(text)) if text.startswith("M. Roussel", i)][:300]
    created = Span.objects.bulk_create(
        Span(
            assignment=assignment,
            article=article,
            annotator=analyst,
            label=labels["Claim"],
            start=s,
            end=s + 10,
            text=text[s : s + 10],
        )
        for s in starts
    )
    SpanEvent.objects.bulk_create(
        SpanEvent(span=span, assignment=assignment, actor=analyst, kind="created")
        for span in created
    )
    assert len(starts) == 300 and len(text.split()) > 5000
    client.force_login(analyst)
    url = reverse("annotations:annotate", args=[assignment.pk])
    # Session, user with roles, assignment, spans, labels, sentences; the labels' attributes
    # and their choices (read once: test_attribute_panel_views pins it with values too); the
    # first open also runs the rules: whether they ran on the article, SAVEPOINT, the run,
    # its suggestions, RELEASE, when they were first shown; then the suggestions.
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("<mark") >= 300
    # Opened again: the process keeps the attributes while the labels' versions stand, and
    # the article's sentences; the suggestions are read, in one query.
    with django_assert_num_queries(6):
        again = client.get(url)
    assert again.text.count("<mark") == response.text.count("<mark")


@pytest.mark.parametrize("existing", [0, 40])
def test_span_create_query_count_does_not_grow_with_spans(
    client, analyst, assignment, labels, django_assert_num_queries, existing
):
    text = assignment.article.text
    words = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i] != " "]
    for start in words[:existing]:
        spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=start, end=start + 1)
    client.force_login(analyst)
    # As an analyst tags: after the page opened (the labels' attributes and the sentences are
    # kept from then on).
    client.get(reverse("annotations:annotate", args=[assignment.pk]))
    data = span_data(assignment.article, "M. Roussel", labels["Quote"], action_id=uuid.uuid4())
    # Session, user with roles, label; SAVEPOINT (a BEGIN outside the test's transaction),
    # lock of the assignment with its article, replayed action, identical span, insert span,
    # insert event, RELEASE; live spans; the suggestions over the sentences sent back.
    with django_assert_num_queries(12):
        response = client.post(create_url(assignment), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    # Only the new row travels, whatever the length of the list.
    assert response.text.count('class="span-item"') == 1
    assert f">{existing + 1} span" in response.text
