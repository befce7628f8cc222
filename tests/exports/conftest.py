"""French news with everything a CSV can trip on, and work in every state an export meets.

Two articles, stored as uploads are (with their sentences). `ana` tagged both; her work on
the first is approved, on the second submitted. Drafts (in progress, returned) and a
deleted span sit beside them and must never leave the building.
"""

import csv
import hashlib
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from annotator.annotations.models import Assignment, Label, Span, SpanEvent
from annotator.articles.ingest import store_article
from annotator.articles.models import SourceFile
from annotator.exports.dialects import unescape_cell
from tests.conftest import make_user

# An emoji (outside the BMP) before every span, guillemets with no-break spaces, a curly
# apostrophe, and cells that spreadsheets would run as formulas.
TEXT_ONE = (
    "Crue à Lyon 🌊 : la ville compte ses morts\n"
    "« Il faut agir », a déclaré la ministre.\u00a0Selon l’ONU, -213 morts ont été recensés.\n"
    '=HYPERLINK("http://evil.example") circulait ; +33 6 12 34 56 78 appelait @user à '
    "témoigner. Le journal titrait 'Urgence' en une."
)
TEXT_TWO = (
    "Réforme des retraites\n"
    "Le gouvernement défend la réforme. Les syndicats s’y opposent fermement."
)


def make_article(text, *, title, source="", published_at=None, by):
    data = text.encode()
    original = SourceFile(
        name=f"{title}.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        size=len(data),
        uploaded_by=by,
    )
    article, _created = store_article(
        text=text,
        title=title,
        source=source,
        url="https://exemple.fr/article",
        published_at=published_at,
        source_file=original,
        uploaded_by=by,
    )
    return article


def label(name):
    # get_or_create: transactional tests flush the labels the migration seeded.
    order = {"Claim": 1, "Quote": 2, "Casualty figure": 3, "Policy stance": 4}[name]
    return Label.objects.get_or_create(
        name=name, defaults={"key": str(order), "color": order, "order": order}
    )[0]


def make_assignment(article, analyst, status, reviewer=None):
    now = timezone.now()
    return Assignment.objects.create(
        article=article,
        analyst=analyst,
        status=status,
        submitted_at=now if status in ("submitted", "approved") else None,
        reviewed_by=reviewer if status == "approved" else None,
        reviewed_at=now if status == "approved" else None,
    )


def tag(assignment, label_name, snippet, *, status="approved", reviewer=None, deleted=False):
    text = assignment.article.text
    start = text.index(snippet)
    end = start + len(snippet)
    span = Span.objects.create(
        assignment=assignment,
        article=assignment.article,
        annotator=assignment.analyst,
        label=label(label_name),
        start=start,
        end=end,
        text=text[start:end],
        status=status,
        reviewed_by=reviewer if status != "pending" else None,
        reviewed_at=timezone.now() - timedelta(hours=1) if status != "pending" else None,
        deleted_at=timezone.now() if deleted else None,
    )
    SpanEvent.objects.create(
        span=span,
        assignment=assignment,
        actor=assignment.analyst,
        kind=SpanEvent.Kind.CREATED,
        label_after=span.label,
    )
    return span


@pytest.fixture
def corpus(analyst, other_analyst, reviewer, admin_user):
    one = make_article(
        TEXT_ONE,
        title="=1+1 : la crue en chiffres",
        source="@Le Progrès",
        published_at=date(2024, 5, 2),
        by=admin_user,
    )
    two = make_article(
        TEXT_TWO,
        title="Réforme des retraites",
        source="Le Monde",
        published_at=date(2023, 1, 19),
        by=admin_user,
    )
    approved = make_assignment(one, analyst, "approved", reviewer)
    submitted = make_assignment(two, analyst, "submitted")
    drafting = make_assignment(one, other_analyst, "in_progress")
    third = make_user("noa", "analyst")
    returned = make_assignment(two, third, "returned")
    spans = {
        "quote": tag(approved, "Quote", "« Il faut agir »", reviewer=reviewer),
        "toll": tag(approved, "Casualty figure", "-213 morts", reviewer=reviewer),
        "formula": tag(approved, "Claim", '=HYPERLINK("http://evil.example")', reviewer=reviewer),
        "phone": tag(approved, "Claim", "+33 6 12 34 56 78", reviewer=reviewer),
        "handle": tag(approved, "Policy stance", "@user", reviewer=reviewer),
        "apostrophe": tag(approved, "Quote", "'Urgence'", reviewer=reviewer),
        "rejected": tag(approved, "Claim", "la ministre", status="rejected", reviewer=reviewer),
        "deleted": tag(approved, "Claim", "l’ONU", deleted=True, reviewer=reviewer),
        "stance": tag(submitted, "Policy stance", "défend la réforme", reviewer=reviewer),
        "pending": tag(submitted, "Claim", "Les syndicats", status="pending"),
        "draft": tag(drafting, "Claim", "la ville", reviewer=reviewer),
        "returned": tag(returned, "Claim", "Le gouvernement", reviewer=reviewer),
    }
    return {"articles": (one, two), "spans": spans}


EXPORTABLE_APPROVED = ["quote", "toll", "formula", "phone", "handle", "apostrophe", "stance"]


def parse_csv(data, delimiter=","):
    """Rows of a web CSV as dicts, the documented apostrophe rule undone."""
    text = data.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [{key: unescape_cell(value) for key, value in row.items()} for row in reader]
