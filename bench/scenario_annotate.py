"""Scenarios 2 and 3: creating spans and saving their values, and opening a big annotated
article.

Annotate: each client is one logged-in analyst posting to the endpoint the annotation page
uses (annotate.js → htmx.ajax POST /annotate/<assignment>/spans/ with label, start, end,
text, action_id, the X-CSRFToken header and HX-Request), one new span after another, 100
per article, then on to the next article of their queue, so the span list each answer
re-renders grows from 1 to 100. The floor posts the same bodies, with the same session and
CSRF token, to the bench's bare view.

Values: each client is one analyst saving the attribute panel of the casualty figures of
its assignment (POST /annotate/<assignment>/spans/attributes/, as panel.js does), a new kind
each time; the floor posts the same bodies to the bare view.

Open: GET /annotate/<assignment>/ of a 5,000-word article with 300 live spans, one client;
the floor GETs the bare view. The SQL query count comes from Django's test client in this
process, on the same database.
"""

import random
import uuid
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator.annotations import spans as span_service
from annotator.annotations.models import Assignment, Label, Span, SpanEvent

from . import corpus, fixtures
from .loadrun import locust

SPANS_PER_ARTICLE = 100
BARE = "/bench/bare/"


def annotate_slots(sessions, queues, seed):
    """One slot per analyst: its headers and the (path, body) of each span it will create."""
    label_ids = [label.pk for label in fixtures.labels()]
    slots = []
    for index, (headers, assignments) in enumerate(zip(sessions, queues, strict=True)):
        rng = random.Random(f"{seed}-{index}")
        requests = []
        for assignment in assignments:
            article = assignment.article
            spans = corpus.word_spans(
                article.text, fixtures.sentences_of(article), rng, SPANS_PER_ARTICLE
            )
            for start, end in spans:
                body = urlencode(
                    {
                        "label": rng.choice(label_ids),
                        "start": start,
                        "end": end,
                        "text": article.text[start:end],
                        "action_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    }
                )
                requests.append((f"/annotate/{assignment.pk}/spans/", body))
        slots.append(
            {
                "headers": {
                    **headers,
                    "HX-Request": "true",
                    "HX-Current-URL": headers["Origin"] + f"/annotate/{assignments[0].pk}/",
                    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                },
                "requests": requests,
            }
        )
    return slots


def to_bare(slots):
    return [
        {**slot, "requests": [(BARE, body) for _path, body in slot["requests"]]} for slot in slots
    ]


def run_annotate(server, sessions, queues, *, seed, **timing):
    """Floor then app, for len(sessions) concurrent clients."""
    users = len(sessions)
    slots = annotate_slots(sessions, queues, seed)
    floor = locust(
        server,
        kind="post",
        name="bare POST",
        slots=to_bare(slots),
        users=users,
        **timing,
        cycle=True,
    )
    app = locust(
        server,
        kind="post",
        name="span_create",
        slots=slots,
        users=users,
        **timing,
    )
    written = Span.objects.filter(assignment__in=[a for q in queues for a in q]).count()
    return {
        "clients": users,
        "app": app,
        "floor": floor,
        "spans_written": written,
        # Every 200 answer is one new row; requests cut off in flight when the run ended
        # (at most one per client) may have written a row without their answer being seen.
        "rows_match_requests": 0 <= written - app["ok_total_all_attempts"] <= 2 * users,
        "planned_requests_per_client": len(slots[0]["requests"]),
    }


VALUES_SPANS = 20
KINDS = ("killed", "injured", "missing", "displaced", "affected")


def values_work(analysts, article, seed):
    """Each analyst's assignment on `article`, with VALUES_SPANS casualty figures tagged as
    the page does (without values: each lacks its required kind)."""
    figure = Label.objects.get(name="Casualty figure")
    rng = random.Random(f"{seed}-values")
    picks = corpus.word_spans(article.text, fixtures.sentences_of(article), rng, VALUES_SPANS)
    work = []
    for analyst in analysts:
        assignment = Assignment.objects.create(article=article, analyst=analyst)
        for start, end in picks:
            span_service.create_span(assignment.pk, analyst, label=figure, start=start, end=end)
        work.append(assignment)
    return work


def values_slots(sessions, work, per_client):
    """One slot per analyst: `per_client` saves of the attribute panel, as panel.js posts
    them (every field of a casualty figure), going round the spans; each round gives each
    span the kind after the one it has, so that every save changes a value."""
    slots = []
    for headers, assignment in zip(sessions, work, strict=True):
        rows = assignment.spans.order_by("start").values_list("pk", "attributes")
        stored = [(pk, KINDS.index(values.get("kind") or KINDS[-1])) for pk, values in rows]
        path = f"/annotate/{assignment.pk}/spans/attributes/"
        requests = []
        for i in range(per_client):
            span, kind_at = stored[i % len(stored)]
            kind = KINDS[(kind_at + 1 + i // len(stored)) % len(KINDS)]
            fields = {"span": span, "value-kind": kind, "value-min": 12, "value-max": 12}
            fields |= {"value-precision": "exact", "action_id": uuid.uuid4()}
            requests.append((path, urlencode(fields)))
        slots.append(
            {
                "headers": {
                    **headers,
                    "HX-Request": "true",
                    "HX-Current-URL": headers["Origin"] + f"/annotate/{assignment.pk}/",
                    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                },
                "requests": requests,
            }
        )
    return slots


def run_values(server, sessions, work, *, per_client, **timing):
    """Floor then app: saves of span values, len(sessions) concurrent clients."""
    users = len(sessions)
    slots = values_slots(sessions, work, per_client)
    events = SpanEvent.objects.filter(assignment__in=work, kind=SpanEvent.Kind.ATTRIBUTES)
    before = events.count()  # an earlier run's, on the same work
    floor = locust(
        server, kind="post", name="bare POST", slots=to_bare(slots), users=users, **timing,
        cycle=True,
    )  # fmt: skip
    app = locust(server, kind="post", name="values_save", slots=slots, users=users, **timing)
    written = events.count() - before
    return {
        "clients": users,
        "app": app,
        "floor": floor,
        "events_written": written,
        # Each 200 answer changed a value (one event); as for run_annotate, requests cut off
        # when the run ended may have written without their answer being seen.
        "rows_match_requests": 0 <= written - app["ok_total_all_attempts"] <= 2 * users,
    }


def query_count(user, path):
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    client.get(path)  # warm caches (templates, content types), as a running server has
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, f"GET {path} gave {response.status_code}"
    return len(queries), [q["sql"] for q in queries.captured_queries], len(response.content)


def run_open(server, headers, user, big, small, **timing):
    """`big`: the 5,000-word, 300-span assignment; `small`: one with a few spans."""
    big_path, small_path = f"/annotate/{big.pk}/", f"/annotate/{small.pk}/"
    queries_big, sql, page_bytes = query_count(user, big_path)
    queries_small, _sql, _bytes = query_count(user, small_path)
    slot = {"headers": headers}
    floor = locust(
        server,
        kind="get",
        name="bare GET",
        slots=[{**slot, "path": BARE}],
        users=1,
        **timing,
    )
    app = locust(
        server,
        kind="get",
        name="annotate page",
        slots=[{**slot, "path": big_path}],
        users=1,
        **timing,
    )
    return {
        "article_words": corpus.words(big.article.text),
        "spans": big.spans.live().count(),
        "sentences": big.article.sentence_count,
        "page_bytes": page_bytes,
        "queries": queries_big,
        "queries_few_spans": queries_small,
        "sql": sql,
        "app": app,
        "floor": floor,
    }
