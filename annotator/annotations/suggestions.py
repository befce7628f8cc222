"""Suggestions in an analyst's work: computed, shown, accepted or rejected.

The built-in French rules (annotator.suggestions.rules) read an article the first time an
analyst with suggestions on opens it, not at ingest: an upload stays as fast as it was,
articles never opened cost nothing, and articles stored before a better version of the
rules get that version. They run once per article and version (SuggestionRun), whoever
opens it first; a model's predictions arrive stored already (import, API).

A suggestion is never a span: accepting it makes the analyst's own span (create_span, its
history naming the suggestion), rejecting it records only the decision. Both are kept
(SuggestionDecision, append-only) for the dashboard's figures per source and label.
"""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotator.refusal import Refused
from annotator.suggestions import rules

from . import spans
from .models import Assignment, Label, Span, Suggestion, SuggestionDecision, SuggestionRun

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def shown(assignment: Assignment, labels: list[Label] | None = None) -> list[Suggestion]:
    """The suggestions the analyst still has to decide in `assignment`, in text order;
    none unless it is editable with suggestions on. The first time, the rules read the
    article if no one's opening did before (`labels`: the active labels, when the caller
    has them already)."""
    if not (assignment.suggestions and assignment.is_editable):
        return []
    if assignment.suggested_at is None:
        compute_rules(assignment.article_id, assignment.article.text, labels)
        assignment.suggested_at = timezone.now()
        Assignment.objects.filter(pk=assignment.pk, suggested_at__isnull=True).update(
            suggested_at=assignment.suggested_at
        )
    return list(Suggestion.objects.shown_in(assignment).select_related("label"))


def undecided_over(assignment: Assignment, start: int, end: int) -> list[Suggestion]:
    """The undecided suggestions overlapping [start, end), drawn or not (the caller knows
    the live spans): what an edit's re-rendered sentences show, in one indexed query
    rather than the article's hundreds."""
    if not (assignment.suggestions and assignment.is_editable):
        return []
    over = Suggestion.objects.undecided_in(assignment).filter(start__lt=end, end__gt=start)
    return list(over.select_related("label"))


def compute_rules(article_id: int, text: str, labels: list[Label] | None = None) -> None:
    """Store what the rules of this version find in the article, once.

    Each suggestion keeps the values its label can take (keep_valid_attributes: a field
    an admin switched off is left out). Labels are the seeded ones, by name, among the
    active `labels` (read if not given); a label renamed, off or gone gets none. Two first
    opens at once store the same rows once."""
    if SuggestionRun.objects.filter(
        article_id=article_id, source=Suggestion.RULES, version=rules.VERSION
    ).exists():
        return
    found = rules.suggest(text)
    if not found:
        by_name: dict[str, Label] = {}
    elif labels is None:
        names = {one.label for one in found}
        by_name = {
            label.name: label for label in Label.objects.filter(name__in=names, is_active=True)
        }
    else:
        by_name = {label.name: label for label in labels}
    rows = []
    for one in found:
        label = by_name.get(one.label)
        if label is None:
            continue
        rows.append(
            Suggestion(
                article_id=article_id,
                label=label,
                start=one.start,
                end=one.end,
                text=text[one.start : one.end],
                attributes=label.keep_valid_attributes(one.attributes, text),
                source=Suggestion.RULES,
                model_version=rules.VERSION,
                reason=one.reason[:200],
            )
        )
    with transaction.atomic():
        SuggestionRun.objects.bulk_create(
            [SuggestionRun(article_id=article_id, source=Suggestion.RULES, version=rules.VERSION)],
            ignore_conflicts=True,
        )
        Suggestion.objects.bulk_create(rows, ignore_conflicts=True)


def _waiting(assignment: Assignment, suggestion_id: int) -> Suggestion:
    suggestion = (
        Suggestion.objects.shown_in(assignment).select_related("label").filter(pk=suggestion_id)
    ).first()
    if suggestion is None:
        raise Refused(
            _(
                "This suggestion is no longer waiting: it was accepted or rejected already, "
                "or its span is already tagged. Reload the page."
            ),
            status=409,
        )
    return suggestion


def _replayed(action_id: uuid.UUID | None, analyst: "User") -> SuggestionDecision | None:
    if action_id is None:
        return None
    decision = SuggestionDecision.objects.filter(action_id=action_id).select_related("span").first()
    if decision is not None and decision.actor_id != analyst.pk:
        raise Refused(_("This request was already used for another change; reload the page."))
    return decision


@transaction.atomic
def accept(
    assignment_id: int,
    analyst: "User",
    suggestion_id: int,
    *,
    action_id: uuid.UUID | None = None,
) -> Span:
    """The suggestion becomes the analyst's own span, with its values; its history says
    where it came from. A retry with the same action id lands once."""
    assignment = spans.lock_editable(assignment_id, analyst)
    replay = _replayed(action_id, analyst)
    if replay is not None and replay.span is not None:
        return spans._of(replay.span, assignment)
    suggestion = _waiting(assignment, suggestion_id)
    span = _make_span(assignment, analyst, suggestion, action_id)
    return span


def _make_span(
    assignment: Assignment,
    analyst: "User",
    suggestion: Suggestion,
    action_id: uuid.UUID | None,
) -> Span:
    text = assignment.article.text
    span, _created = spans.create_span(
        assignment.pk,
        analyst,
        label=suggestion.label,
        start=suggestion.start,
        end=suggestion.end,
        attributes=suggestion.label.keep_valid_attributes(suggestion.attributes, text),
        suggestion=suggestion,
    )
    SuggestionDecision.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        kind=SuggestionDecision.Kind.ACCEPTED,
        span=span,
        actor=analyst,
        action_id=action_id,
    )
    return spans._of(span, assignment)


@transaction.atomic
def reject(
    assignment_id: int,
    analyst: "User",
    suggestion_id: int,
    *,
    action_id: uuid.UUID | None = None,
) -> tuple[Suggestion, Assignment]:
    """The analyst says no: the suggestion leaves their page, and the decision is kept.
    Returns it with the assignment (locked, its article loaded)."""
    assignment = spans.lock_editable(assignment_id, analyst)
    replay = _replayed(action_id, analyst)
    if replay is not None:
        return replay.suggestion, assignment
    suggestion = _waiting(assignment, suggestion_id)
    SuggestionDecision.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        kind=SuggestionDecision.Kind.REJECTED,
        actor=analyst,
        action_id=action_id,
    )
    return suggestion, assignment


@transaction.atomic
def accept_label(
    assignment_id: int,
    analyst: "User",
    label: Label,
    *,
    action_id: uuid.UUID | None = None,
) -> list[Span]:
    """Accept every waiting suggestion of `label` at once (one action id for all)."""
    assignment = spans.lock_editable(assignment_id, analyst)
    if _replayed(action_id, analyst) is not None:
        return []  # done by the first attempt
    waiting = Suggestion.objects.shown_in(assignment).filter(label=label).select_related("label")
    made = []
    for n, suggestion in enumerate(waiting):
        # The action id goes on the first decision: a retry finds it and does nothing more.
        made.append(_make_span(assignment, analyst, suggestion, action_id if n == 0 else None))
    return made


@dataclass(frozen=True)
class Quality:
    """How one source's suggestions of one label fared with the analysts who saw them."""

    source: str  # "rules", or a model's name
    label: str
    shown: int  # suggestions × the work they were shown in
    accepted: int  # accepted as they were, span still there
    corrected: int  # accepted, then relabelled or given other values
    rejected: int  # rejected, or accepted and the span removed since
    added: int  # spans of that label the analysts drew where this source had none

    @property
    def waiting(self) -> int:
        return self.shown - self.accepted - self.corrected - self.rejected

    @property
    def precision(self) -> float | None:
        """Of the suggestions decided, the share kept (corrected or not)."""
        kept = self.accepted + self.corrected
        return kept / (kept + self.rejected) if kept + self.rejected else None

    @property
    def recall(self) -> float | None:
        """Of the spans the analysts kept, the share that came from this source."""
        kept = self.accepted + self.corrected
        return kept / (kept + self.added) if kept + self.added else None


# One pass over the suggestions of the work that showed them (suggested_at set), with the
# analysts' decisions and the spans accepting made; a second over the spans drawn by hand.
QUALITY_SQL = """
WITH shown AS (
    SELECT s.source, s.label_id, d.kind, sp.deleted_at IS NULL AS live,
           (sp.label_id <> s.label_id OR sp.attributes <> s.attributes) AS changed
    FROM annotations_suggestion s
    JOIN annotations_assignment a ON a.article_id = s.article_id AND a.suggested_at IS NOT NULL
    LEFT JOIN annotations_suggestiondecision d
        ON d.suggestion_id = s.id AND d.assignment_id = a.id
    LEFT JOIN annotations_span sp ON sp.id = d.span_id
), figures AS (
    SELECT source, label_id, count(*) AS shown,
        count(*) FILTER (WHERE kind = 'accepted' AND live AND NOT changed) AS accepted,
        count(*) FILTER (WHERE kind = 'accepted' AND live AND changed) AS corrected,
        count(*) FILTER (WHERE kind = 'rejected' OR (kind = 'accepted' AND NOT live)) AS rejected
    FROM shown GROUP BY source, label_id
)
SELECT f.source, l.name, f.shown, f.accepted, f.corrected, f.rejected,
    (SELECT count(*) FROM annotations_span sp
     JOIN annotations_assignment a ON a.id = sp.assignment_id AND a.suggested_at IS NOT NULL
     WHERE sp.deleted_at IS NULL AND sp.label_id = f.label_id AND sp.added_by_id IS NULL
       AND NOT EXISTS (
           SELECT 1 FROM annotations_suggestion s
           WHERE s.article_id = sp.article_id AND s.source = f.source
             AND s.label_id = sp.label_id AND s.start = sp.start AND s."end" = sp."end"))
FROM figures f JOIN annotations_label l ON l.id = f.label_id
ORDER BY f.source, l."order", l.name
"""


def quality() -> list[Quality]:
    """Per source and label, from every decision stored: the dashboard's live figures."""
    with connection.cursor() as cursor:
        cursor.execute(QUALITY_SQL)
        return [Quality(*row) for row in cursor.fetchall()]
