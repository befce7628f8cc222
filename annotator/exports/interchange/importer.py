"""Import spans made in doccano or Label Studio, as the work of one named analyst.

Each record (a JSONL line, a Label Studio task) is checked in full first: the text must be
NFC (offsets index it exactly as given, so it is never cleaned or normalised here), every
offset must fall inside it and cover the text the file states, and every label name must
be one of ours (matched without regard to case; unknown names are reported, never
created). A record that fails any check stores nothing at all; the others still import,
each in its own transaction.

The text finds its article by its SHA-256 (the same text is stored once); otherwise a new
article is stored, with its sentences, through articles.ingest.store_article. Spans go to
the analyst's assignment for that article, created if needed and left in progress for the
analyst to check and submit; one already submitted or approved is refused.
"""

import contextlib
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from annotator.annotations.models import Assignment, Label
from annotator.annotations.spans import create_span
from annotator.articles.ingest import sha256, store_article
from annotator.articles.models import SourceFile

from .candidates import Problem

MAX_TEXT_CHARS = 1_000_000
MAX_SPANS_PER_RECORD = 10_000
IMPORTED, REJECTED = "imported", "rejected"


@dataclass
class Outcome:
    line: int
    status: str
    spans_created: int = 0
    spans_present: int = 0
    article: object = None
    article_created: bool = False
    reason: str = ""


class Refused(Exception):
    """A record that cannot be imported; the message is for the person importing."""


def import_file(name, data, candidates, *, analyst, by):
    """Import every candidate read from the file `name` (bytes `data`); one Outcome each."""
    original = SourceFile(
        name=name[-500:], sha256=sha256(data), content=data, size=len(data), uploaded_by=by
    )
    labels = LabelMap()
    outcomes = []
    for candidate in candidates:
        if isinstance(candidate, Problem):
            outcomes.append(Outcome(candidate.line, REJECTED, reason=candidate.reason))
            continue
        try:
            outcome = _import_one(candidate, analyst, by, original, labels)
        except Refused as refusal:
            outcome = Outcome(candidate.line, REJECTED, reason=str(refusal))
        except DatabaseError as error:  # a promise the database keeps, broken by this record
            reason = _("The database refused this record: %(error)s") % {"error": error}
            outcome = Outcome(candidate.line, REJECTED, reason=reason)
        if outcome.article_created and original.pk is None:
            original = outcome.article.source_file  # saved with that article: reuse it
        outcomes.append(outcome)
    return outcomes


def summarise(outcomes):
    return {
        "imported": sum(1 for o in outcomes if o.status == IMPORTED),
        "rejected": sum(1 for o in outcomes if o.status == REJECTED),
        "spans": sum(o.spans_created for o in outcomes),
    }


class LabelMap:
    """Our labels by name, case-insensitively; inactive labels still match (old exports)."""

    def __init__(self):
        self.by_name = {}
        for label in Label.objects.all():
            self.by_name.setdefault(label.name.casefold(), []).append(label)

    def get(self, name):
        matches = self.by_name.get(name.strip().casefold(), [])
        exact = [label for label in matches if label.name == name]
        if len(exact) == 1:
            return exact[0]
        return matches[0] if len(matches) == 1 else None


def _import_one(candidate, analyst, by, original, labels):
    spans = _checked_spans(candidate, labels)
    with transaction.atomic():
        article, article_created = store_article(
            source_file=original, uploaded_by=by, **_article_fields(candidate)
        )
        assignment, _new = Assignment.objects.get_or_create(
            article=article, analyst=analyst, defaults={"assigned_by": by}
        )
        # Lock it, as annotating does, so a submission cannot slip in between.
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not assignment.is_editable:
            raise Refused(
                _(
                    "%(analyst)s already submitted their work on this article "
                    "(“%(title)s”); it is read-only until a reviewer returns it."
                )
                % {"analyst": analyst.get_username(), "title": article.title}
            )
        created = 0
        for label, start, end in spans:
            _span, new = create_span(assignment.pk, analyst, label=label, start=start, end=end)
            created += new
    return Outcome(
        candidate.line,
        IMPORTED,
        spans_created=created,
        spans_present=len(spans) - created,
        article=article,
        article_created=article_created,
    )


def _checked_spans(candidate, labels):
    """[(label, start, end)] without repeats, or Refused with every problem found."""
    text = candidate.text
    if not text.strip():
        raise Refused(_("The text is empty."))
    if len(text) > MAX_TEXT_CHARS:
        raise Refused(_("The text is longer than %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    if not unicodedata.is_normalized("NFC", text):
        raise Refused(
            _(
                "The text is not in Unicode NFC form. Offsets index the text exactly as "
                "given, so it cannot be normalised here: normalise it (NFC) where it was "
                "made and export it again."
            )
        )
    if len(candidate.spans) > MAX_SPANS_PER_RECORD:
        raise Refused(_("More than %(n)d spans in one record.") % {"n": MAX_SPANS_PER_RECORD})
    problems, unknown, spans = [], set(), {}
    for span in candidate.spans:
        where = f"[{span.start}, {span.end}]"
        if not 0 <= span.start < span.end <= len(text):
            problems.append(
                _("%(where)s is outside the text (%(n)d characters) or empty.")
                % {"where": where, "n": len(text)}
            )
            continue
        if span.text is not None and text[span.start : span.end] != span.text:
            problems.append(
                _("%(where)s covers “%(found)s”, but the file says “%(said)s”.")
                % {
                    "where": where,
                    "found": text[span.start : span.end][:60],
                    "said": span.text[:60],
                }
            )
            continue
        label = labels.get(span.label)
        if label is None:
            unknown.add(span.label)
            continue
        spans[(label.pk, span.start, span.end)] = (label, span.start, span.end)
    if unknown:
        problems.append(
            _("Unknown label(s): %(names)s. Add them (or rename them) first.")
            % {"names": ", ".join(sorted(unknown))}
        )
    if problems:
        raise Refused(" ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
    return sorted(spans.values(), key=lambda s: (s[1], s[2], s[0].pk))


def _article_fields(candidate):
    meta = candidate.metadata
    text = candidate.text
    first_line = next(line for line in text.splitlines() if line.strip())
    fields = {
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
