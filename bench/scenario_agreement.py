"""Scenario 7: the agreement figures of many articles, each annotated by three analysts.

The data is the issue's shape: articles (10,000 at full scale) × 3 analysts × 20 spans,
written with COPY. The analysts mostly agree: each keeps a span of a shared plan nine times
in ten, and now and then moves one of its ends by a few characters or changes its label.

Timed in this process, on the same database, each three times (the fastest counts): the
agreement page's computation (agreement.figures.report: the three queries and every
figure), and its floor, reading the same span rows with psycopg and nothing else.
"""

import hashlib
import random
import time

from django.contrib.auth import get_user_model
from django.db import connection

from annotator.accounts.roles import Role
from annotator.agreement.corpus import Selection
from annotator.agreement.figures import report
from annotator.annotations.models import Assignment, Span
from annotator.articles.models import Article

from . import corpus, fixtures

ANALYSTS = 3
SPANS = 20
RUNS = 3


def load(articles_count, uploader, seed):
    """The articles, the three analysts' handed-in work and their spans; returns the
    analysts' ids."""
    rng = random.Random(f"{seed}-agreement")
    source = Article.objects.first().source_file
    paragraphs = corpus.demo_paragraphs()
    bases = [corpus.article(rng, paragraphs, 250).strip() for _ in range(20)]
    texts = [f"{bases[i % len(bases)]}\n\nDépêche n° {i}." for i in range(articles_count)]
    fixtures.copy_instances(
        Article,
        (
            Article(
                title=f"Dépêche {i}",
                source="Agence du banc d’essai",
                text=text,
                text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                source_file=source,
                uploaded_by=uploader,
            )
            for i, text in enumerate(texts)
        ),
    )
    users = fixtures.create_users("agreement", ANALYSTS, [Role.ANALYST], can_login=False)
    stored = list(
        Article.objects.filter(source="Agence du banc d’essai")
        .order_by("pk")
        .values_list("pk", "text")
    )
    fixtures.copy_instances(
        Assignment,
        (
            Assignment(article_id=pk, analyst=user, status=Assignment.Status.SUBMITTED)
            for pk, _text in stored
            for user in users
        ),
    )
    work = {
        (article_id, analyst_id): pk
        for pk, article_id, analyst_id in Assignment.objects.filter(analyst__in=users).values_list(
            "pk", "article_id", "analyst_id"
        )
    }
    label_ids = [label.pk for label in fixtures.labels()]

    def spans():
        for article_id, text in stored:
            plan = _plan(text, rng, label_ids)
            for user in users:
                for start, end, label_id in plan:
                    if rng.random() >= 0.9:
                        continue
                    if rng.random() < 0.15:
                        start = max(0, start + rng.choice((-3, -1, 1, 2)))
                    if rng.random() < 0.05:
                        label_id = rng.choice(label_ids)
                    yield Span(
                        assignment_id=work[article_id, user.pk],
                        article_id=article_id,
                        annotator_id=user.pk,
                        label_id=label_id,
                        start=min(start, end - 1),
                        end=end,
                        text=text[min(start, end - 1) : end],
                    )

    fixtures.copy_instances(Span, spans())
    return [user.pk for user in users]


def _plan(text, rng, label_ids):
    """SPANS spans of a few words, apart from one another, over the first 1,500 characters."""
    words = [i for i in range(1, min(len(text), 1500)) if text[i - 1] == " " and text[i] != " "]
    starts = sorted(rng.sample(words, SPANS))
    plan = []
    for i, start in enumerate(starts):
        limit = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        end = min(limit, start + rng.randint(4, 40))
        if end > start:
            plan.append((start, end, rng.choice(label_ids)))
    return plan


def run(analyst_ids):
    selection = Selection(analyst_ids=tuple(analyst_ids))
    spans = Span.objects.live().filter(annotator_id__in=analyst_ids)
    rows = spans.values_list("article_id", "annotator_id", "label_id", "start", "end")
    sql, params = rows.query.sql_with_params()
    floor, app = [], []
    figures = None
    for _ in range(RUNS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            read = len(cursor.fetchall())
        floor.append(time.perf_counter() - started)
        started = time.perf_counter()
        figures = report(selection)
        app.append(time.perf_counter() - started)
    assert figures is not None
    return {
        "articles": figures.articles,
        "analysts": figures.analysts,
        "spans": read,
        "labels": len(figures.labels),
        "f1_exact": figures.exact.f1,
        "f1_overlap": figures.overlap.f1,
        "alpha_u": figures.alpha_u,
        "seconds": min(app),
        "floor_seconds": min(floor),
        "runs": {"app": app, "floor": floor},
        "users": get_user_model().objects.filter(pk__in=analyst_ids).count(),
    }
