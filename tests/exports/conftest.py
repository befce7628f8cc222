"""French news with everything a CSV can trip on, and work in every state an export meets.

Two articles, stored as uploads are (with their sentences). `ana` tagged both; her work on
the first is approved, on the second submitted. Drafts (in progress, returned) and a
deleted span sit beside them and must never leave the building.
"""

from datetime import date

import pytest

from annotator.annotations.models import Attribute, Span
from tests.factories import (
    EXPORTABLE_APPROVED,
    TEXT_ONE,
    TEXT_TWO,
    make_article,
    make_assignment,
    make_span,
    make_user,
    seeded_labels,
)


@pytest.fixture
def corpus(analyst, other_analyst, reviewer, admin_user):
    one = make_article(
        TEXT_ONE,
        title="=1+1 : la crue en chiffres",
        source="@Le Progrès",
        url="https://exemple.fr/article",
        published_at=date(2024, 5, 2),
        by=admin_user,
    )
    two = make_article(
        TEXT_TWO,
        title="Réforme des retraites",
        source="Le Monde",
        url="https://exemple.fr/article",
        published_at=date(2023, 1, 19),
        by=admin_user,
    )
    approved = make_assignment(one, analyst, "approved", reviewer)
    submitted = make_assignment(two, analyst, "submitted")
    drafting = make_assignment(one, other_analyst, "in_progress")
    third = make_user("noa", "analyst")
    returned = make_assignment(two, third, "returned")
    spans = {
        "quote": make_span(approved, "Quote", "« Il faut agir »", reviewer=reviewer),
        "toll": make_span(approved, "Casualty figure", "-213 morts", reviewer=reviewer),
        "formula": make_span(
            approved, "Claim", '=HYPERLINK("http://evil.example")', reviewer=reviewer
        ),
        "phone": make_span(approved, "Claim", "+33 6 12 34 56 78", reviewer=reviewer),
        "handle": make_span(approved, "Policy stance", "@user", reviewer=reviewer),
        "apostrophe": make_span(approved, "Quote", "'Urgence'", reviewer=reviewer),
        "rejected": make_span(
            approved, "Claim", "la ministre", status="rejected", reviewer=reviewer
        ),
        "deleted": make_span(approved, "Claim", "l’ONU", deleted=True, reviewer=reviewer),
        "stance": make_span(submitted, "Policy stance", "défend la réforme", reviewer=reviewer),
        "pending": make_span(submitted, "Claim", "Les syndicats", status="pending"),
        "draft": make_span(drafting, "Claim", "la ville", reviewer=reviewer),
        "returned": make_span(returned, "Claim", "Le gouvernement", reviewer=reviewer),
    }
    assert set(EXPORTABLE_APPROVED) < set(spans)
    return {"articles": (one, two), "spans": spans}


def reference(article, words):
    """A text reference to the first `words` of the article, with their offsets."""
    start = article.text.index(words)
    return {"text": words, "start": start, "end": start + len(words)}


@pytest.fixture
def valued(corpus):
    """The corpus with values of every type on some approved spans (written as the trigger
    allows: through the ORM), and a yes-or-no attribute of Claim, which the seed lacks."""
    one = corpus["articles"][0]
    claim = seeded_labels()["Claim"]
    Attribute.objects.create(
        label=claim, key="verified", type=Attribute.Type.BOOLEAN, name="Verified", order=9
    )
    spans = corpus["spans"]
    values = {
        "toll": {"kind": "killed", "min": 213, "max": None, "precision": "exact"},
        "quote": {
            "kind": "direct",
            "speaker": reference(one, "la ministre"),
            "cue": {"text": "a déclaré", "start": None, "end": None},
        },
        "handle": {
            "target": "=SOMME(A1:A9) réforme",
            "polarity": "against",
            "holder": reference(one, "+33 6 12 34 56 78"),
        },
        "formula": {"checkworthy": "yes", "claimant": reference(one, "l’ONU"), "verified": True},
        "phone": {"checkworthy": None, "verified": False},
    }
    for name, span_values in values.items():
        Span.objects.filter(pk=spans[name].pk).update(attributes=span_values)
    return {**corpus, "values": values}
