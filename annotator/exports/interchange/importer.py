"""Import spans made in doccano or Label Studio, as the work of one named analyst.

Each record (a JSONL line, a Label Studio task) is checked in full first, against its text
exactly as the file gives it: every offset must fall inside it and cover the text the file
states, and every label name must be one of ours (matched without regard to case; unknown
names are reported, never created). A record that fails any check stores nothing at all;
the others still import, each in its own transaction.

Then the text is normalised as uploads are (line endings to "\n", Unicode NFC: the
annotation page's browser sees no "\r", and an uploaded copy of the same text is found by
its hash), and each span's offsets move with it (articles.normalisation); the report says
what was normalised. A span that would cut a unit the normalisation rewrites (between "\r"
and "\n", between a letter and its accent) is refused: it has no place in the new text.

The text finds its article by its SHA-256 (the same text is stored once); otherwise a new
article is stored, with its sentences, through articles.ingest.store_article. Spans go to
the analyst's assignment for that article, created if needed and left in progress for the
analyst to check and submit; one already submitted or approved is refused.

A span's values (Label Studio's per-region results) are checked with it, by
Label.validate_attributes against the record's text, and stored with it by create_span;
the offsets of words of the article move with the text as the span's do. A span already
there keeps its values: importing again adds nothing.

A Label Studio task's predictions are checked the same way, in the same record (a bad
region refuses the whole task), and stored as Suggestions of the article, never as spans:
the analyst decides on them on the annotation page. A suggestion already there (same
source, version, label and bounds) keeps its score and values. A task with predictions
only makes no assignment: its article waits, with its suggestions, to be handed out.
"""

import contextlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotator.annotations.attributes import InvalidValues
from annotator.annotations.models import Assignment, Label, Suggestion
from annotator.annotations.spans import create_span, lock_assignment
from annotator.articles.ingest import sha256, store_article
from annotator.articles.models import Article, SourceFile
from annotator.articles.normalisation import Normalised, normalise
from annotator.articles.outcomes import Outcome, Status
from annotator.refusal import Refused

from ..value_fields import label_slugs
from .candidates import Candidate, PredictionIn, Problem, SpanIn
from .values_in import converted, misplaced_words

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_TEXT_CHARS = 1_000_000
MAX_SPANS_PER_RECORD = 10_000


@dataclass
class ImportOutcome(Outcome):
    """A span import's Outcome, with the suggestions its predictions gave (Label Studio)."""

    suggestions_created: int = 0
    suggestions_present: int = 0


def suggestions_summary(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """{"created": new suggestions, "present": already there} over a file's outcomes."""
    imported = [outcome for outcome in outcomes if isinstance(outcome, ImportOutcome)]
    return {
        "created": sum(outcome.suggestions_created for outcome in imported),
        "present": sum(outcome.suggestions_present for outcome in imported),
    }


def import_file(
    name: str,
    data: bytes,
    candidates: Iterable[Candidate | Problem],
    *,
    analyst: "User",
    by: "User",
) -> list[ImportOutcome]:
    """Import every candidate read from the file `name` (bytes `data`); one Outcome each.

    A record that cannot be imported is an Outcome with its reason (a Refused, or the
    database refusing it); the others still import.
    """
    original = SourceFile(
        name=name[-500:], sha256=sha256(data), content=data, size=len(data), uploaded_by=by
    )
    labels = LabelMap()
    outcomes = []
    for candidate in candidates:
        if isinstance(candidate, Problem):
            outcomes.append(_rejected(name, candidate, candidate.reason))
            continue
        try:
            outcome = _import_one(name, candidate, analyst, by, original, labels)
        except Refused as refusal:
            outcome = _rejected(name, candidate, refusal.message)
        except DatabaseError as error:  # a promise the database keeps, broken by this record
            reason = _("The database refused this record: %(error)s") % {"error": error}
            outcome = _rejected(name, candidate, reason)
        if outcome.article_created and original.pk is None:
            original = outcome.article.source_file  # saved with that article: reuse it
        outcomes.append(outcome)
    return outcomes


def _rejected(name: str, record: Candidate | Problem, reason: str) -> ImportOutcome:
    return ImportOutcome(name, Status.REJECTED, reason=reason, line=record.line, where=record.where)


class LabelMap:
    """Our labels by name, case-insensitively and whatever the Unicode form (an NFD
    "Déclaration" is ours); inactive labels still match (old exports)."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Label]] = {}
        labels = list(Label.objects.prefetch_related("attributes"))
        for label in labels:
            self.by_name.setdefault(_nfc(label.name).casefold(), []).append(label)
        self.slugs = label_slugs(labels)  # the names of values' fields (value_fields)

    def get(self, name: str) -> Label | None:
        name = _nfc(name)
        matches = self.by_name.get(name.strip().casefold(), [])
        exact = [label for label in matches if _nfc(label.name) == name]
        if len(exact) == 1:
            return exact[0]
        return matches[0] if len(matches) == 1 else None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _import_one(
    name: str,
    candidate: Candidate,
    analyst: "User",
    by: "User",
    original: SourceFile,
    labels: LabelMap,
) -> ImportOutcome:
    spans, suggested = _checked(candidate, labels)
    normalised = normalise(candidate.text)
    spans = _moved(spans, normalised)
    moved = _moved([one.span for one in suggested], normalised)
    suggested = [replace(one, span=span) for one, span in zip(suggested, moved, strict=True)]
    with transaction.atomic():
        article, article_created = store_article(
            source_file=original, uploaded_by=by, **_article_fields(candidate, normalised.text)
        )
        created = _store_spans(article, spans, analyst, by) if candidate.annotated else 0
        suggestions = _store_suggestions(article, suggested)
    notes = [_notes(normalised)]
    if candidate.predictions:
        notes.insert(0, _suggestion_counts(suggestions, len(suggested) - suggestions))
    return ImportOutcome(
        name,
        Status.IMPORTED,
        article=article,
        line=candidate.line,
        where=candidate.where,
        spans_created=created,
        spans_present=len(spans) - created,
        article_created=article_created,
        notes="; ".join(note for note in notes if note),
        suggestions_created=suggestions,
        suggestions_present=len(suggested) - suggestions,
    )


def _store_spans(article: Article, spans: list["Checked"], analyst: "User", by: "User") -> int:
    """The spans in the analyst's work on `article`; how many were new."""
    assignment, _new = Assignment.objects.get_or_create(
        article=article, analyst=analyst, defaults={"assigned_by": by}
    )
    # Locked, as annotating does, so a submission cannot slip in between.
    assignment = lock_assignment(assignment.pk, analyst)
    if not assignment.is_editable:
        raise Refused(
            _(
                "%(analyst)s already submitted their work on this article "
                "(« %(title)s »); it is read-only until a reviewer returns it."
            )
            % {"analyst": analyst.get_username(), "title": article.title}
        )
    created = 0
    for label, start, end, values in spans:
        _span, new = create_span(
            assignment.pk, analyst, label=label, start=start, end=end, attributes=values
        )
        created += new
    return created


def _store_suggestions(article: Article, suggested: Sequence["Suggested"]) -> int:
    """The suggestions of `article` not stored yet; how many were new. One already there
    keeps its score and values: importing again adds nothing."""
    if not suggested:
        return 0
    stored = set(
        Suggestion.objects.filter(
            article=article, source__in={one.source for one in suggested}
        ).values_list("source", "model_version", "label_id", "start", "end")
    )
    rows = []
    for one in suggested:
        label, start, end, values = one.span
        if (one.source, one.model_version, label.pk, start, end) in stored:
            continue
        rows.append(
            Suggestion(
                article=article,
                label=label,
                start=start,
                end=end,
                text=article.text[start:end],
                attributes=values,
                source=one.source,
                model_version=one.model_version,
                score=one.score,
            )
        )
    # ignore_conflicts: an import of the same file running at the same time stores each
    # row once (the unique constraint); both then count it as new, which is harmless.
    Suggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _suggestion_counts(created: int, present: int) -> str:
    """For the report: "3 new suggestions, 1 already there"."""
    words = ngettext("%(n)d new suggestion", "%(n)d new suggestions", created) % {"n": created}
    if present:
        words += ", " + (
            ngettext("%(n)d already there", "%(n)d already there", present) % {"n": present}
        )
    return words


# (label, start, end, values), as create_span takes them.
Checked = tuple[Label, int, int, dict[str, Any]]


@dataclass(frozen=True)
class Suggested:
    """A prediction's region, checked: a Suggestion to store."""

    span: Checked
    source: str
    model_version: str
    score: float | None


def _checked(candidate: Candidate, labels: LabelMap) -> tuple[list[Checked], list[Suggested]]:
    """The record's spans [(label, start, end, values)] and suggestions, without repeats,
    or Refused with every problem found in either."""
    text = candidate.text
    if not text.strip():
        raise Refused(_("The text is empty."))
    if len(text) > MAX_TEXT_CHARS:
        raise Refused(_("The text is longer than %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    if len(candidate.spans) > MAX_SPANS_PER_RECORD:
        raise Refused(_("More than %(n)d spans in one record.") % {"n": MAX_SPANS_PER_RECORD})
    problems: list[str] = []
    unknown: set[str] = set()
    spans: dict[tuple[int, int, int], Checked] = {}
    for span in candidate.spans:
        where = f"[{span.start}, {span.end}]"
        checked = _checked_span(span, where, text, labels, problems, unknown)
        if checked is not None:
            spans[(checked[0].pk, span.start, span.end)] = checked
    suggested = _checked_predictions(candidate.predictions, text, labels, problems, unknown)
    if unknown:
        problems.append(
            _("Unknown label(s): %(names)s. Add them (or rename them) first.")
            % {"names": ", ".join(sorted(unknown))}
        )
    if problems:
        raise Refused(" ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
    return sorted(spans.values(), key=lambda s: (s[1], s[2], s[0].pk)), suggested


def _checked_predictions(
    predictions: list[PredictionIn],
    text: str,
    labels: LabelMap,
    problems: list[str],
    unknown: set[str],
) -> list[Suggested]:
    """The predictions' regions as Suggested, in file order, once each (the first of two
    alike keeps its score); their problems go to `problems` and `unknown`."""
    suggested: dict[tuple[str, str, int, int, int], Suggested] = {}
    for prediction in predictions:
        for span in prediction.spans:
            where = _("%(prediction)s: [%(start)d, %(end)d]") % {
                "prediction": prediction.where,
                "start": span.start,
                "end": span.end,
            }
            checked = _checked_span(span, where, text, labels, problems, unknown)
            if checked is None:
                continue
            key = (prediction.source, prediction.model_version, checked[0].pk, *checked[1:3])
            suggested.setdefault(
                key, Suggested(checked, prediction.source, prediction.model_version, span.score)
            )
    return list(suggested.values())


def _checked_span(
    span: SpanIn, where: str, text: str, labels: LabelMap, problems: list[str], unknown: set[str]
) -> Checked | None:
    """`span` checked against the record's text: its place, its text, its label and its
    values; None, with its problem added to `problems` (or its label to `unknown`), if not."""
    if not 0 <= span.start < span.end <= len(text):
        problems.append(
            _("%(where)s is outside the text (%(n)d characters) or empty.")
            % {"where": where, "n": len(text)}
        )
        return None
    if span.text is not None and text[span.start : span.end] != span.text:
        problems.append(
            _("%(where)s covers « %(found)s », but the file says « %(said)s ».")
            % {
                "where": where,
                "found": text[span.start : span.end][:60],
                "said": span.text[:60],
            }
        )
        return None
    label = labels.get(span.label)
    if label is None:
        unknown.add(span.label)
        return None
    values, wrong = _checked_values(span, label, labels, text)
    if wrong:
        problems.extend(
            _("%(where)s %(label)s: %(problem)s")
            % {"where": where, "label": label.name, "problem": problem}
            for problem in wrong
        )
        return None
    return (label, span.start, span.end, values)


def _checked_values(
    span: SpanIn, label: Label, labels: LabelMap, text: str
) -> tuple[dict[str, Any], list[str]]:
    """The span's values as create_span takes them, or the problems with them in words."""
    if not span.values:
        return {}, []
    owners = {labels.slugs[other.pk] for name in span.region_labels if (other := labels.get(name))}
    values, problems = converted(span, label, labels.slugs, owners)
    problems.extend(misplaced_words(values, text))
    if problems:
        return {}, problems
    try:
        label.validate_attributes(values, text)
    except InvalidValues as invalid:
        return {}, list(invalid.errors.values())
    return values, []


def _moved(spans: list[Checked], normalised: Normalised) -> list[Checked]:
    """The spans at their places in the normalised text, or Refused naming those that have
    none. Positions that keep a place keep their order and stay distinct, so the spans stay
    sorted and without repeats. Words of the article among their values move too."""
    if not normalised.changed:
        return spans
    moved: list[Checked] = []
    cut: list[str] = []
    for label, start, end, values in spans:
        new_start, new_end = normalised.position(start), normalised.position(end)
        new_values = _moved_values(values, normalised)
        if new_start is None or new_end is None or new_values is None:
            cut.append(f"[{start}, {end}]")
        else:
            moved.append((label, new_start, new_end, new_values))
    if cut:
        raise Refused(
            _(
                "%(where)s cut(s) a character that normalising the text rewrites (inside a "
                "Windows line ending, or between a letter and its accent)."
            )
            % {"where": ", ".join(cut[:5]) + (" …" if len(cut) > 5 else "")}
        )
    return moved


def _moved_values(values: dict[str, Any], normalised: Normalised) -> dict[str, Any] | None:
    """`values` for the normalised text: texts normalised as the text is, words of the
    article at their new places; None if some words have none."""
    moved: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = normalise(value).text
        elif isinstance(value, dict):  # words with offsets (validated: they cover them)
            start, end = normalised.position(value["start"]), normalised.position(value["end"])
            if start is None or end is None:
                return None
            value = {**value, "text": normalised.text[start:end], "start": start, "end": end}
        moved[key] = value
    return moved


def _notes(normalised: Normalised) -> str:
    """What normalisation changed, for the report: "text normalised: 12 line endings"."""
    changes = []
    if normalised.line_endings:
        changes.append(
            ngettext("%(n)d line ending", "%(n)d line endings", normalised.line_endings)
            % {"n": normalised.line_endings}
        )
    if normalised.composed:
        changes.append(_("Unicode NFC"))
    if not changes:
        return ""
    return _("text normalised: %(changes)s") % {"changes": ", ".join(changes)}


def _article_fields(candidate: Candidate, text: str) -> dict[str, Any]:
    # Titles and sources normalised as the text is, so that one article never mixes forms.
    meta = {key: normalise(value).text for key, value in candidate.metadata.items()}
    first_line = next(line for line in text.splitlines() if line.strip())
    fields: dict[str, Any] = {
        "text": text,
        "title": (meta.get("title") or first_line).strip()[:300] or first_line.strip()[:300],
        "source": meta.get("source", "").strip()[:200],
        "source_line": candidate.line,
    }
    url = meta.get("url", "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        if len(url) <= 2000:
            fields["url"] = url
    except ValidationError:
        pass  # metadata is a courtesy: a bad URL or date is dropped, the spans still count
    with contextlib.suppress(ValueError):
        fields["published_at"] = date.fromisoformat(meta.get("published_at", ""))
    return fields
