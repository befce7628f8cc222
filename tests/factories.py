"""How the tests build data: one way each, through the app's own code where it has one.

- People: users with roles as groups (the groups come from the accounts migration). The
  personas (ana, alex, rita, adam, olga) are fixtures in conftest.py.
- Articles: through the real ingest (extraction, cleaning, the French segmenter), as an
  upload is, so their sentences are the ones analysts see.
- Labels: the four the annotations migration seeds, with the attributes seeded for them.
- Work: a submission is tagged and submitted through the annotation code; `make_assignment`
  and `make_span` write rows in a given state directly, for the export corpus, whose states
  (approved, rejected, deleted, drafts) the services would take many steps to reach.
"""

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection
from django.utils import timezone

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Label, Span, SpanEvent
from annotator.articles import ingest
from annotator.articles.models import Article
from annotator.articles.outcomes import Status
from annotator.exports.dialects import unescape_cell

PASSWORD = "correct-horse-battery"


def make_user(username: str, *roles: str, password: str = PASSWORD) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password=password)
    for role in roles:
        give_role(user, role)
    return user


def give_role(user: AbstractBaseUser, role: str) -> None:
    # get_or_create: a transactional test's flush removes the groups the migration made.
    user.groups.add(Group.objects.get_or_create(name=role)[0])


# --- Articles -------------------------------------------------------------------------------

ARTICLE_TEXT = (
    "Crue de la Lironde : deux morts à Vasselot\n"
    "\n"
    "Les pompiers ont évacué 1\u202f850 habitants dans la nuit. "
    "« Nous n’avions jamais vu ça », a déclaré M. Roussel, maire de la commune.\n"
    "\n"
    "Le ministère affirme que 3,5 millions d’euros seront débloqués. "
    "Selon la préfecture, le bilan pourrait encore s’alourdir…"
)


def make_article(
    text: str = ARTICLE_TEXT,
    *,
    by: AbstractBaseUser,
    title: str | None = None,
    source: str = "Le Courrier de Vasselot",
    url: str = "",
    published_at: date | None = None,
) -> Article:
    """`text` stored as an upload of one .jsonl line would store it (an existing text is
    found again, as the app does); the tests' offsets index it exactly as given."""
    record = {
        "text": text,
        "title": title or text.split("\n", 1)[0],
        "source": source,
        "url": url,
        "published_at": published_at.isoformat() if published_at else None,
    }
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    (outcome,) = ingest.ingest_file("test.jsonl", data, by)
    assert outcome.status in (Status.CREATED, Status.DUPLICATE), outcome.reason
    assert outcome.article is not None and outcome.article.text == text, "cleaning changed it"
    return outcome.article


def make_zip(members, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A .zip of (name, content) pairs (or a dict). Its members carry a fixed date, so the
    same members give the same bytes: test ids built from them agree between xdist workers."""
    pairs = members.items() if isinstance(members, dict) else members
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in pairs:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, content, compress_type=compression)
    return buffer.getvalue()


# --- Labels ---------------------------------------------------------------------------------


def seeded_labels() -> dict[str, Label]:
    """The labels the migration seeds, by name.

    A transactional test's flush removes them for the tests after it in that worker, so the
    migrations' own seed steps put them back, attributes too (they leave existing rows as
    they are).
    """
    seeding = import_module("annotator.annotations.migrations.0003_seed_labels")
    seeding.seed(django_apps, None)
    import_module("annotator.annotations.migrations.0008_seed_attributes").seed(django_apps, None)
    names = [name for name, *_ in seeding.LABELS]
    return {label.name: label for label in Label.objects.filter(name__in=names)}


# --- Work -----------------------------------------------------------------------------------

SUBMISSION_BODY = (
    "Les pompiers ont évacué 1 850 habitants dans la nuit. "
    "« Nous n’avions jamais vu ça », a déclaré le maire.\n"
    "Le ministère affirme que 3,5 millions d’euros seront débloqués."
)
# What a typical analyst tags in SUBMISSION_BODY: (label name, exact phrase).
SUBMISSION_TAGS = [
    ("Casualty figure", "1 850 habitants"),
    ("Quote", "« Nous n’avions jamais vu ça »"),
    ("Claim", "3,5 millions d’euros seront débloqués"),
]
# The values a label's required attributes need before its spans can be submitted.
REQUIRED_VALUES = {"Casualty figure": {"kind": "displaced"}}


def make_submission(
    analyst: AbstractBaseUser,
    title: str,
    *,
    tags: list[tuple[str, str]] = SUBMISSION_TAGS,
    source: str = "Le Courrier de Vasselot",
    ago: timedelta | None = None,
) -> Assignment:
    """An analyst tags an article and submits it, through the annotation code; `ago`
    back-dates the submission."""
    labels = seeded_labels()
    article = make_article(f"{title}\n{SUBMISSION_BODY}", by=analyst, title=title, source=source)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    for label_name, phrase in tags:
        start = article.text.index(phrase)
        spans.create_span(
            assignment.pk,
            analyst,
            label=labels[label_name],
            start=start,
            end=start + len(phrase),
            attributes=REQUIRED_VALUES.get(label_name),
        )
    spans.submit(assignment.pk, analyst)
    if ago is not None:
        Assignment.objects.filter(pk=assignment.pk).update(submitted_at=timezone.now() - ago)
    assignment.refresh_from_db()
    return assignment


def live_spans(assignment: Assignment) -> list[Span]:
    """The assignment's live spans in text order, with their labels."""
    return list(
        Span.objects.live().filter(assignment=assignment).select_related("label").in_page_order()
    )


def make_assignment(
    article: Article, analyst: AbstractBaseUser, status: str, reviewer=None
) -> Assignment:
    """An assignment already in `status` (approved ones name their reviewer)."""
    now = timezone.now()
    handed_in = status in Assignment.HANDED_IN
    approved = status == Assignment.Status.APPROVED
    return Assignment.objects.create(
        article=article,
        analyst=analyst,
        status=status,
        submitted_at=now if handed_in else None,
        reviewed_by=reviewer if approved else None,
        reviewed_at=now if approved else None,
    )


def make_span(
    assignment: Assignment,
    label_name: str,
    snippet: str,
    *,
    status: str = Span.Status.APPROVED,
    reviewer=None,
    deleted: bool = False,
) -> Span:
    """A span over `snippet` already in `status`, with its creation event."""
    text = assignment.article.text
    start = text.index(snippet)
    end = start + len(snippet)
    decided = status != Span.Status.PENDING
    span = Span.objects.create(
        assignment=assignment,
        article=assignment.article,
        annotator=assignment.analyst,
        label=seeded_labels()[label_name],
        start=start,
        end=end,
        text=text[start:end],
        status=status,
        reviewed_by=reviewer if decided else None,
        reviewed_at=timezone.now() - timedelta(hours=1) if decided else None,
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


# --- The export corpus (tests/exports/conftest.py builds it) --------------------------------

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
# The spans an export with no filter gives: approved, of handed-in work, not deleted.
EXPORTABLE_APPROVED = ["quote", "toll", "formula", "phone", "handle", "apostrophe", "stance"]


# --- Reading what was written ---------------------------------------------------------------

# Every table a request could write to.
TABLES = [
    "articles_article",
    "articles_sentence",
    "articles_sourcefile",
    "annotations_assignment",
    "annotations_span",
    "annotations_spanevent",
    "annotations_label",
    "annotations_attribute",
    "annotations_attributechoice",
    "annotations_workflow",
    "annotations_suggestion",
    "annotations_suggestionrun",
    "annotations_suggestiondecision",
    "review_reviewevent",
    "exports_exportlog",
    "auth_user",
    "auth_user_groups",
    "django_admin_log",
]


def digest() -> list[str]:
    """A fingerprint of every row of TABLES: equal before and after, nothing was written."""
    with connection.cursor() as cursor:
        parts = []
        for table in TABLES:
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f"FROM {table} t"
            )
            parts.append(cursor.fetchone()[0])
    return parts


def parse_csv(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    """Rows of a web CSV as dicts, the documented apostrophe rule undone."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter)
    return [{key: unescape_cell(value) for key, value in row.items()} for row in reader]
