"""Races against real PostgreSQL: threads (each with its own connection) start together."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.articles import ingest
from annotator.articles.models import Article
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(count, work):
    """Run work(i) in `count` threads released at once; returns results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def runner(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # reported to the test, not lost in the thread
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_identical_span_posts_create_one_span(analyst, admin_user, labels):
    article = make_article(by=admin_user)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    phrase = "M. Roussel"
    start = article.text.index(phrase)
    data = {"label": labels["Claim"].pk, "start": start, "end": start + len(phrase), "text": phrase}
    url = reverse("annotations:span_create", args=[assignment.pk])

    def post(_):
        client = Client()
        client.force_login(analyst)
        return client.post(url, data, headers={"HX-Request": "true"}).status_code

    statuses = run_together(8, post)
    assert statuses == [200] * 8
    assert Span.objects.filter(assignment=assignment).count() == 1
    assert SpanEvent.objects.filter(assignment=assignment, kind="created").count() == 1


def test_the_same_article_stored_by_two_threads_at_once_is_stored_once(admin_user):
    text = "Course contre la montre\n\nDeux imports arrivent en même temps."

    def store(i):
        items = ingest.prepare(f"copie-{i}.txt", text.encode(), admin_user)
        return ingest.store(items)[0].status

    statuses = run_together(4, store)
    assert sorted(statuses) == ["created", "duplicate", "duplicate", "duplicate"]
    assert Article.objects.filter(title="Course contre la montre").count() == 1


def test_the_same_file_imported_by_two_processes_is_stored_once(admin_user, tmp_path):
    for i in range(40):
        (tmp_path / f"{i:02}.txt").write_text(f"Dépêche {i}\n\nUn texte identique pour tous.")
    name = connection.settings_dict["NAME"]
    host = connection.settings_dict["HOST"] or ""
    user = connection.settings_dict["USER"] or ""
    env = {**os.environ, "DATABASE_URL": f"postgresql://{user}@{host.replace('/', '%2F')}/{name}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [
        sys.executable,
        "manage.py",
        "import_articles",
        str(tmp_path),
        "--user",
        admin_user.username,
        "-v",
        "0",
    ]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert Article.objects.count() == 40


def test_two_reviewers_finishing_one_item_at_once_give_one_decision_and_one_409(
    analyst, admin_user, labels
):
    from django.utils import timezone

    from annotator.accounts.roles import Role
    from annotator.annotations import spans
    from annotator.review.models import ReviewEvent
    from tests.factories import make_user

    rita, remi = make_user("rita", Role.REVIEWER), make_user("remi", Role.REVIEWER)
    article = make_article(by=admin_user)
    item = Assignment.objects.create(article=article, analyst=analyst)
    span, _ = spans.create_span(item.pk, analyst, label=labels["Claim"], start=0, end=4)
    spans.submit(item.pk, analyst)
    Assignment.objects.filter(pk=item.pk).update(
        claimed_by=rita, claim_expires_at=timezone.now() + timezone.timedelta(minutes=30)
    )
    Span.objects.filter(pk=span.pk).update(status="approved", reviewed_by=rita)
    url = reverse("review:approve", args=[item.pk])

    def approve(i):
        client = Client()
        client.force_login([rita, remi][i])
        return client.post(url, headers={"HX-Request": "true"}).status_code

    statuses = run_together(2, approve)
    assert statuses[1] == 409
    assert statuses[0] in {200, 204}
    assert ReviewEvent.objects.filter(assignment=item).count() == 1
    item.refresh_from_db()
    assert (item.status, item.reviewed_by) == ("approved", rita)


def test_simultaneous_failed_logins_from_one_address_all_count_towards_its_lock(settings):
    """The address lock's state is axes' rows in PostgreSQL, so web processes share it:
    failures that arrive at once, each under its own username, are all counted."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8

    def fail(i):
        client = Client(REMOTE_ADDR="203.0.113.9")
        return client.post(reverse("login"), {"username": f"user{i}", "password": "guess"})

    run_together(6, fail)
    counted = AccessAttempt.objects.filter(ip_address="203.0.113.9").aggregate(
        total=Sum("failures_since_start")
    )["total"]
    assert counted == 6
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        attacker.post(reverse("login"), {"username": f"other{i}", "password": "g"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 429, 429]
