"""The data the scenarios need, loaded straight into the bench database (not measured).

Runs inside the bench process once Django is set up on the bench database. Small sets go
through the ORM; the review queue and the export's spans go through COPY. Every row keeps
the database's promises: a span's text is its article's text[start:end] and its
(assignment, article, annotator) are its assignment's; the span-text trigger and the
composite foreign key check them as the rows arrive.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations.models import Assignment, Label, Span, SpanEvent
from annotator.articles import ingest
from annotator.articles.models import Article, SourceFile

from . import corpus

PASSWORD = "bench-pass-7f3a"  # noqa: S105 - bench users live in the throwaway bench database


def create_users(prefix, count, roles, *, can_login):
    """Users prefix-00, prefix-01... with `roles`; one password hash computed for all."""
    User = get_user_model()
    password = make_password(PASSWORD) if can_login else "!"  # "!" = unusable, as Django does
    users = User.objects.bulk_create(
        User(username=f"{prefix}-{i:03d}", password=password, is_active=True) for i in range(count)
    )
    groups = list(Group.objects.filter(name__in=roles))
    through = User.groups.through
    through.objects.bulk_create(
        through(user_id=user.pk, group_id=group.pk) for user in users for group in groups
    )
    return users


def people(scale):
    return {
        "admin": create_users("bench-admin", 1, [Role.ADMIN, Role.ANALYST], can_login=True)[0],
        "analysts": create_users("analyst", 8, [Role.ANALYST], can_login=True),
        "reviewers": create_users("reviewer", 8, [Role.REVIEWER], can_login=True),
        "queue_analysts": create_users(
            "queue", scale.queue_analysts, [Role.ANALYST], can_login=False
        ),
        "export_analysts": create_users(
            "export", scale.export_analysts, [Role.ANALYST], can_login=False
        ),
    }


def sentences_of(article):
    return list(article.sentences.order_by("index").values_list("start", "end"))


def labels():
    return list(Label.objects.filter(is_active=True).order_by("key"))


@transaction.atomic
def long_article(uploader, words, seed):
    """The 5,000-word article of the "open" scenario, stored as an upload would be."""
    rng = random.Random(seed)
    text = corpus.article(rng, corpus.demo_paragraphs(), words).strip()
    data = text.encode()
    original = SourceFile(
        name="bench-long.txt",
        sha256=ingest.sha256(data),
        content=data,
        size=len(data),
        uploaded_by=uploader,
    )
    article, created = ingest.store_article(
        text=text, title=text.split("\n", 1)[0], source_file=original, uploaded_by=uploader
    )
    assert created
    return article


@transaction.atomic
def tagged_assignment(article, analyst, n_spans, seed):
    """An analyst's assignment on `article` with n live spans, each with its history row."""
    rng = random.Random(seed)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    label_list = labels()
    picks = corpus.word_spans(article.text, sentences_of(article), rng, n_spans)
    assert len(picks) == n_spans, "the article is too short for that many spans"
    spans = Span.objects.bulk_create(
        Span(
            assignment=assignment,
            article=article,
            annotator=analyst,
            label=rng.choice(label_list),
            start=s,
            end=e,
            text=article.text[s:e],
        )
        for s, e in picks
    )
    SpanEvent.objects.bulk_create(
        SpanEvent(
            span=span,
            assignment=assignment,
            actor=analyst,
            kind=SpanEvent.Kind.CREATED,
            label_after_id=span.label_id,
        )
        for span in spans
    )
    return assignment


def assignments_for(analyst, articles):
    return Assignment.objects.bulk_create(
        Assignment(article=article, analyst=analyst) for article in articles
    )


def _copy(cursor, table, columns, rows):
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def review_queue(article_ids, analysts, count):
    """`count` submitted assignments (analyst × article), oldest first one second apart."""
    now = timezone.now()
    first = now - timedelta(seconds=count + 60)
    pairs = ((a, u.pk) for u in analysts for a in article_ids)
    rows = (
        ("submitted", first, first + timedelta(seconds=i), "", analyst_id, article_id)
        for i, (article_id, analyst_id) in zip(range(count), pairs, strict=False)
    )
    columns = ["status", "created_at", "submitted_at", "return_comment", "analyst_id", "article_id"]
    with transaction.atomic(), connection.cursor() as cursor:
        _copy(cursor.cursor, "annotations_assignment", columns, rows)
        cursor.execute("SELECT count(*) FROM annotations_assignment WHERE status = 'submitted'")
        return cursor.fetchone()[0]


def export_spans(articles, analysts, reviewer, per_assignment, seed):
    """Approved assignments (analyst × article), each with `per_assignment` approved spans."""
    rng = random.Random(seed)
    label_ids = [label.pk for label in labels()]
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        _copy(
            raw,
            "annotations_assignment",
            [
                "status",
                "created_at",
                "submitted_at",
                "reviewed_at",
                "return_comment",
                "analyst_id",
                "article_id",
                "reviewed_by_id",
            ],
            (
                ("approved", now, now, now, "", u.pk, a.pk, reviewer.pk)
                for u in analysts
                for a in articles
            ),
        )
        ids = {
            (article_id, analyst_id): pk
            for pk, article_id, analyst_id in raw.execute(
                "SELECT id, article_id, analyst_id FROM annotations_assignment "
                "WHERE status = 'approved' AND analyst_id = ANY(%s)",
                [[u.pk for u in analysts]],
            )
        }
        picks = {}
        for article in articles:
            spans = corpus.word_spans(article.text, sentences_of(article), rng, per_assignment)
            picks[article.pk] = [(s, e, article.text[s:e], rng.choice(label_ids)) for s, e in spans]

        def rows():
            for analyst in analysts:
                for article in articles:
                    assignment_id = ids[(article.pk, analyst.pk)]
                    for start, end, text, label_id in picks[article.pk]:
                        yield (
                            start,
                            end,
                            text,
                            "approved",
                            now,
                            "",
                            now,
                            now,
                            analyst.pk,
                            article.pk,
                            assignment_id,
                            label_id,
                            reviewer.pk,
                        )

        _copy(
            raw,
            "annotations_span",
            [
                "start",
                '"end"',
                "text",
                "status",
                "reviewed_at",
                "reject_reason",
                "created_at",
                "updated_at",
                "annotator_id",
                "article_id",
                "assignment_id",
                "label_id",
                "reviewed_by_id",
            ],
            rows(),
        )
        raw.execute("SELECT count(*) FROM annotations_span WHERE status = 'approved'")
        return raw.fetchone()[0]


DUPLICATE_CLAIM_AUDIT = """
CREATE TABLE bench_stolen_claim (
    assignment_id bigint, old_reviewer integer, new_reviewer integer, at timestamptz
);
CREATE FUNCTION bench_record_stolen_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench_stolen_claim VALUES (NEW.id, OLD.claimed_by_id, NEW.claimed_by_id, now());
    RETURN NULL;
END $$;
-- Fires only when a claim replaces another reviewer's claim whose lease is still running:
-- that is a duplicate claim. The WHEN clause costs nothing on every other update.
CREATE TRIGGER bench_stolen_claim AFTER UPDATE OF claimed_by_id ON annotations_assignment
    FOR EACH ROW WHEN (
        OLD.claimed_by_id IS NOT NULL AND NEW.claimed_by_id IS NOT NULL
        AND OLD.claimed_by_id <> NEW.claimed_by_id AND OLD.claim_expires_at > now()
    ) EXECUTE FUNCTION bench_record_stolen_claim();
"""


def install_claim_audit():
    """Bench database only: record any claim that takes an item another reviewer holds."""
    with connection.cursor() as cursor:
        cursor.execute(DUPLICATE_CLAIM_AUDIT)


def stolen_claims():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_stolen_claim")
        return cursor.fetchone()[0]


def vacuum_analyze():
    with connection.cursor() as cursor:
        for table in (
            "articles_article",
            "articles_sentence",
            "annotations_assignment",
            "annotations_span",
            "annotations_spanevent",
            "auth_user",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def all_articles():
    return list(Article.objects.only("id", "text").order_by("id"))
