import pytest

from annotator.annotations import spans
from annotator.annotations.models import Assignment
from tests.agreement.work import TEXT, at, first_sentence, tag
from tests.factories import make_article


@pytest.fixture
def two_analysts(analyst, other_analyst, admin_user, labels):
    """ana and alex on the same article: the same whole sentence tagged Claim, a quote
    drawn with and without its guillemets, and the same casualty figure with another min."""
    article = make_article(TEXT, by=admin_user, title="Séisme à Corvenne")
    claim, quote, figure = labels["Claim"], labels["Quote"], labels["Casualty figure"]
    for analyst_, quoted, low in (
        (analyst, "une nuit d’angoisse", 12),
        (other_analyst, "« une nuit d’angoisse »", 10),
    ):
        work = Assignment.objects.create(article=article, analyst=analyst_)
        tag(work, claim, first_sentence(article))
        tag(work, quote, at(quoted))
        tag(work, figure, at("12 morts"), {"kind": "killed", "min": low})
        spans.submit(work.pk, analyst_)
    return article
