"""Who takes part in the soak and the data they find: sizes, then the database seeded.

Everything is stored through the app's own code (`ingest.prepare`/`store`,
`spans.create_span`, `spans.submit`), so the soak starts from rows the app itself wrote.
"""

import random
from dataclasses import dataclass

from .. import corpus


@dataclass(frozen=True)
class Scale:
    name: str
    annotators: int = 100
    reviewers: int = 8
    articles: int = 300
    per_analyst: int = 20  # assignments in each annotator's plan
    spans_before_submit: int = 12
    queue_items: int = 400  # submitted work waiting for the reviewers at the start
    import_files: int = 300  # for the import_articles that runs through the restart
    # Seconds between two actions of one person: reading and selecting, a fast analyst tags
    # a span every few seconds at best (one every 3.5 s on average, so 100 of them save ~28
    # spans a second); a reviewer takes the next item at the same pace.
    pace_s: tuple[float, float] = (2.0, 5.0)
    # People do not all press a key in the same millisecond: each starts within this.
    start_within_s: float = 5.0
    export_every_s: float = 10.0
    # Latency verdicts; None (the smoke scale) checks durability only.
    targets: dict | None = None


TARGETS = {"span_p95_ms": 100, "span_p99_ms": 250, "claim_p99_ms": 50}

SCALES = {
    "full": Scale("full", targets=TARGETS),
    # A few people at a brisk pace for a few seconds: every path of the run, for the smoke
    # test (tests/bench/); its latencies mean nothing and are not judged.
    "smoke": Scale(
        "smoke",
        annotators=4,
        reviewers=2,
        articles=12,
        per_analyst=3,
        spans_before_submit=3,
        queue_items=6,
        import_files=4,
        pace_s=(0.1, 0.3),
        start_within_s=0.5,
        export_every_s=2.0,
    ),
}


def seed(scale):
    """Users, articles, assignments and a review queue; what the driver needs to know."""
    from annotator.accounts.roles import Role
    from annotator.annotations import spans as span_service
    from annotator.annotations.models import Assignment, Label
    from annotator.articles import ingest
    from annotator.articles.models import Article

    from ..fixtures import PASSWORD, create_users

    analysts = create_users("soak-analyst", scale.annotators, [Role.ANALYST], can_login=True)
    reviewers = create_users("soak-reviewer", scale.reviewers, [Role.REVIEWER], can_login=True)
    exporter = create_users("soak-exporter", 1, [Role.ADMIN, Role.REVIEWER], can_login=True)[0]
    queue_analyst = create_users("soak-queue", 1, [Role.ANALYST], can_login=False)[0]
    items = []
    for name, text in corpus.articles(scale.articles, seed=7):
        items.extend(ingest.prepare(name, text.encode(), exporter))
    ingest.store(items)
    articles = list(Article.objects.order_by("id").prefetch_related("sentences"))
    labels = [label.pk for label in Label.objects.filter(is_active=True)]
    # What an analyst fills in before submitting, per label: the attribute panel's fields
    # for each required attribute, with a value it takes (submitting is refused without).
    required = {pk: _required_fields(pk) for pk in labels}
    rng = random.Random(11)
    plans = {}
    for analyst in analysts:
        plan = []
        for article in rng.sample(articles, scale.per_analyst):
            assignment = Assignment.objects.create(article=article, analyst=analyst)
            sentences = [
                (s.start, s.end, article.text[s.start : s.end]) for s in article.sentences.all()
            ]
            plan.append((assignment.pk, sentences))
        plans[analyst.username] = plan
    first_label = Label.objects.get(pk=labels[0])
    for article in articles[: scale.queue_items]:
        item = Assignment.objects.create(article=article, analyst=queue_analyst)
        first = article.sentences.all()[0]
        span_service.create_span(
            item.pk, queue_analyst, label=first_label, start=first.start, end=first.end
        )
        span_service.submit(item.pk, queue_analyst)
    return {
        "analysts": [a.username for a in analysts],
        "reviewers": [r.username for r in reviewers],
        "exporter": exporter.username,
        "password": PASSWORD,
        "plans": plans,
        "labels": labels,
        "required": {pk: fields for pk, fields in required.items() if fields},
    }


def _required_fields(label_id):
    from annotator.annotations.attributes import Attribute, AttributeType

    fields = {}
    for attribute in Attribute.objects.active().filter(label_id=label_id, required=True):
        if attribute.type == AttributeType.CHOICE:
            value = attribute.choices.filter(is_active=True).order_by("order", "id")[0].key
        elif attribute.type == AttributeType.INTEGER:
            value = str(max(attribute.min_value or 0, 0))
        elif attribute.type == AttributeType.BOOLEAN:
            value = "on"
        else:
            value = "x"
        fields[f"value-{attribute.key}"] = value
    return fields


def write_import(folder, scale):
    """The files of the import that runs during the load (and through the restart)."""
    for name, text in corpus.articles(scale.import_files, seed=99):
        (folder / name).write_text(text, encoding="utf-8")
