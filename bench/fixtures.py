"""The data the scenarios need, loaded straight into the bench database (not measured).

Runs inside the bench process once Django is set up on the bench database. Everything goes
through the app's own code or its models: articles through `annotator.articles.ingest`, the
spans of the "open" scenario through `annotator.annotations.spans.create_span`, small sets
through the ORM. The review queue and the export's spans are too many for that (up to a
million rows), so `copy_instances` COPYs unsaved model instances, columns and values taken
from the models themselves. Every row keeps the database's promises: a span's text is its
article's text[start:end] and its (assignment, article, annotator) are its assignment's;
the span-text trigger and the composite foreign key check them as the rows arrive. The
export's spans have no history rows: the export does not read them.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations import spans as span_service
from annotator.annotations.models import Assignment, Label, Span, SpanEvent
from annotator.articles import ingest
from annotator.articles.models import Article, Sentence, SourceFile

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


def tagged_assignment(article, analyst, n_spans, seed):
    """An analyst's assignment on `article` with n live spans, created as the page does."""
    rng = random.Random(seed)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    label_list = labels()
    picks = corpus.word_spans(article.text, sentences_of(article), rng, n_spans)
    assert len(picks) == n_spans, "the article is too short for that many spans"
    for start, end in picks:
        span_service.create_span(
            assignment.pk, analyst, label=rng.choice(label_list), start=start, end=end
        )
    return assignment


def assignments_for(analyst, articles):
    return Assignment.objects.bulk_create(
        Assignment(article=article, analyst=analyst) for article in articles
    )


def copy_instances(model, instances):
    """COPY unsaved `model` instances into its table; returns how many rows went in.

    For the sets bulk_create is too slow for. Columns and values come from the model's own
    fields, as `save()` would write them: `pre_save(obj, add=True)` fills auto_now fields,
    `get_db_prep_save` converts. So a field added to a model reaches the bench with no
    edit here, and a model that disagrees with the migrated schema fails the COPY. The
    database numbers the rows (auto primary key) and computes generated columns.

        copy_instances(Assignment, (Assignment(article=a, analyst=u) for a in articles))

    `instances` may be a generator: rows are written as they come, never all in memory.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if f is not model._meta.auto_field and not f.generated
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    rows = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        db = cursor.db  # the connection itself: through the `connection` proxy, 1.6 x slower
        for obj in instances:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, add=True), db) for f in fields])
            rows += 1
    return rows


@transaction.atomic
def review_queue(article_ids, analysts, count):
    """`count` submitted assignments (analyst × article), oldest first one second apart."""
    first = timezone.now() - timedelta(seconds=count + 60)
    pairs = ((a, u.pk) for u in analysts for a in article_ids)
    copy_instances(
        Assignment,
        (
            Assignment(
                article_id=article_id,
                analyst_id=analyst_id,
                status=Assignment.Status.SUBMITTED,
                submitted_at=first + timedelta(seconds=i),
            )
            for i, (article_id, analyst_id) in zip(range(count), pairs, strict=False)
        ),
    )
    return Assignment.objects.submitted().count()


@transaction.atomic
def export_spans(articles, analysts, reviewer, per_assignment, seed):
    """Approved assignments (analyst × article), each with `per_assignment` approved spans."""
    rng = random.Random(seed)
    label_ids = [label.pk for label in labels()]
    now = timezone.now()
    approved = {"reviewed_by": reviewer, "reviewed_at": now}
    copy_instances(
        Assignment,
        (
            Assignment(
                article=article,
                analyst=analyst,
                status=Assignment.Status.APPROVED,
                submitted_at=now,
                **approved,
            )
            for analyst in analysts
            for article in articles
        ),
    )
    ids = {
        (article_id, analyst_id): pk
        for pk, article_id, analyst_id in Assignment.objects.filter(
            status=Assignment.Status.APPROVED, analyst__in=analysts
        ).values_list("pk", "article_id", "analyst_id")
    }
    picks = {}
    for article in articles:
        spans = corpus.word_spans(article.text, sentences_of(article), rng, per_assignment)
        picks[article.pk] = [(s, e, article.text[s:e], rng.choice(label_ids)) for s, e in spans]
    copy_instances(
        Span,
        (
            Span(
                assignment_id=ids[(article.pk, analyst.pk)],
                article_id=article.pk,
                annotator_id=analyst.pk,
                label_id=label_id,
                start=start,
                end=end,
                text=text,
                status=Span.Status.APPROVED,
                **approved,
            )
            for analyst in analysts
            for article in articles
            for start, end, text, label_id in picks[article.pk]
        ),
    )
    return Span.objects.filter(status=Span.Status.APPROVED).count()


# The bench's own table and trigger, on the bench database only: the app has no such audit.
# Written out in SQL (a trigger has no ORM form); a renamed column makes CREATE TRIGGER fail.
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
    """Fresh statistics after the bulk loads, so the planner sees the tables as they are."""
    models = [Article, Sentence, Assignment, Span, SpanEvent, get_user_model()]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def all_articles():
    return list(Article.objects.only("id", "text").order_by("id"))
