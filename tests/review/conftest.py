"""Submissions waiting for review, built through the annotation code as an analyst would."""

import re
from datetime import timedelta
from hashlib import sha256

import pytest
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations import spans
from annotator.annotations.models import Assignment, Label
from annotator.articles.models import Article, Sentence, SourceFile
from tests.conftest import make_user

BODY = (
    "Les pompiers ont évacué 1 850 habitants dans la nuit. "
    "« Nous n’avions jamais vu ça », a déclaré le maire.\n"
    "Le ministère affirme que 3,5 millions d’euros seront débloqués."
)
# What a typical analyst tags in BODY: (label name, exact phrase).
TAGS = [
    ("Casualty figure", "1 850 habitants"),
    ("Quote", "« Nous n’avions jamais vu ça »"),
    ("Claim", "3,5 millions d’euros seront débloqués"),
]
SEEDED_LABELS = [
    ("Claim", "1", 1),
    ("Quote", "2", 2),
    ("Casualty figure", "3", 3),
    ("Policy stance", "4", 4),
]


def ensure_labels():
    """The seeded labels by name (re-created when a transactional test flushed them)."""
    return {
        name: Label.objects.get_or_create(
            name=name, defaults={"key": key, "color": color, "order": order}
        )[0]
        for order, (name, key, color) in enumerate(SEEDED_LABELS)
    }


def make_article(title, *, by, source="Le Courrier de Vasselot", body=BODY):
    text = f"{title}\n{body}"
    data = text.encode("utf-8")
    original = SourceFile.objects.create(
        name=f"{title}.txt",
        sha256=sha256(data).hexdigest(),
        content=data,
        size=len(data),
        uploaded_by=by,
    )
    article = Article.objects.create(
        title=title,
        source=source,
        text=text,
        text_sha256=sha256(data).hexdigest(),
        source_file=original,
        uploaded_by=by,
    )
    # Sentences: up to a full stop or the end of a line; enough for laying out the page.
    found = [m.span() for m in re.finditer(r"[^\s][^.\n]*\.?", text)]
    Sentence.objects.bulk_create(
        Sentence(article=article, index=i, start=start, end=end)
        for i, (start, end) in enumerate(found)
    )
    Article.objects.filter(pk=article.pk).update(sentence_count=len(found))
    return article


def make_submission(analyst, title, *, tags=TAGS, source="Le Courrier de Vasselot", ago=None):
    """An analyst tags an article and submits it; `ago` back-dates the submission."""
    labels = ensure_labels()
    article = make_article(title, by=analyst, source=source)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    for label_name, phrase in tags:
        start = article.text.index(phrase)
        spans.create_span(
            assignment.pk, analyst, label=labels[label_name], start=start, end=start + len(phrase)
        )
    spans.submit(assignment.pk, analyst)
    if ago is not None:
        Assignment.objects.filter(pk=assignment.pk).update(submitted_at=timezone.now() - ago)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def labels(db):
    return ensure_labels()


@pytest.fixture
def other_reviewer(db):
    return make_user("ruth", Role.REVIEWER)


@pytest.fixture
def submission(analyst, labels):
    """ana's three spans on one article, waiting for review."""
    return make_submission(analyst, "Crue de la Lironde", ago=timedelta(hours=2))


@pytest.fixture
def claimed(submission, reviewer):
    """The submission, claimed by rita."""
    from annotator.review import queue

    item, _resumed = queue.claim_next(reviewer)
    assert item.pk == submission.pk
    submission.refresh_from_db()
    return submission


def live_spans(assignment):
    return list(assignment.spans.filter(deleted_at__isnull=True).select_related("label"))
