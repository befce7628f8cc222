"""Where a request's time goes: pyinstrument over the bench's hot endpoints, in process.

    python -m bench --keep-db ...        # leaves annotator_bench behind
    python -m bench.profile_views [N]    # profiles N requests per endpoint on it

Runs the views through Django's test client (full middleware stack, CSRF checks on) against
the kept bench database, with the bench's production settings. Writes
bench/results/profile-<endpoint>.txt and prints each endpoint's mean time and query count.
"""

import os
import secrets
import sys
import time
from urllib.parse import urlencode

from . import db
from .report import RESULTS


def setup():
    os.environ.update(
        DATABASE_URL=db.with_name(db.app_url(), db.NAME),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    import django

    django.setup()


def profiled(name, n, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    call(0)  # warm
    with CaptureQueriesContext(connection) as queries:
        call(1)
    n_queries = len(queries)  # now: the next request clears Django's query log
    started = time.perf_counter()
    for i in range(2, n // 2 + 2):
        call(i)
    plain_ms = (time.perf_counter() - started) / (n // 2) * 1000
    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    profiler.start()
    for i in range(n // 2 + 2, n + 2):
        call(i)
    profiler.stop()
    mean_ms = (time.perf_counter() - started) / (n - n // 2) * 1000
    (RESULTS / f"profile-{name}.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8"
    )
    print(
        f"{name:<16} {plain_ms:7.2f} ms/request ({mean_ms:.2f} under the profiler), "
        f"{n_queries} queries"
    )


def main(n=200):
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotator.annotations.models import Assignment, Label
    from annotator.articles.models import Article

    from . import corpus, fixtures

    User = get_user_model()
    analyst = User.objects.get(username="analyst-007")
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=False
    )
    client.force_login(analyst)
    used = Assignment.objects.filter(analyst=analyst).values("article_id")
    article = Article.objects.exclude(pk__in=used).exclude(title__startswith="bench-long")[0]
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    import random

    rng = random.Random(1)
    spans = corpus.word_spans(article.text, fixtures.sentences_of(article), rng, n + 2)
    labels = list(Label.objects.filter(is_active=True))
    url = f"/annotate/{assignment.pk}/spans/"

    def create(i):
        start, end = spans[i]
        body = urlencode(
            {
                "label": rng.choice(labels).pk,
                "start": start,
                "end": end,
                "text": article.text[start:end],
            }
        )
        response = client.post(
            url,
            body,
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code

    profiled("span_create", n, create)

    big = (
        Assignment.objects.filter(analyst__username="analyst-000")
        .order_by("-article__sentence_count")
        .first()
    )
    owner = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    owner.force_login(big.analyst)

    def open_page(_i):
        response = owner.get(f"/annotate/{big.pk}/")
        assert response.status_code == 200

    profiled("annotate_page", max(20, n // 5), open_page)

    reviewer = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    reviewer.force_login(User.objects.get(username="reviewer-007"))

    def claim_release(_i):
        response = reviewer.post("/review/start/")
        assert response.status_code == 302, response.status_code
        item = response["Location"].rstrip("/").rsplit("/", 1)[1]
        response = reviewer.post(f"/review/items/{item}/release/")
        assert response.status_code == 302

    if Assignment.objects.filter(status="submitted").exists():  # the review scenario ran
        profiled("claim_release", n, claim_release)

    def bare(_i):
        client.post("/bench/bare/", "x=1", content_type="application/x-www-form-urlencoded")

    profiled("bare", n, bare)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
