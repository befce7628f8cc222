"""Adjudication: a curator builds an article's gold version from its analysts' spans.

Every change is one transaction that first locks the article's Curation row and checks the
curator holds it (a lease, REVIEW_LEASE_MINUTES, renewed by each change): two curators never
adjudicate one article at once. Claiming takes the row FOR UPDATE SKIP LOCKED, so curators
starting at the same moment pass over each other's rows instead of waiting. A retried
request (same action id) finds the events it made and changes nothing more. A change the
state does not allow raises Refused, with what to do in words.
"""

import uuid
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from annotator.annotations.models import Assignment, Label, Span
from annotator.articles.models import Article
from annotator.refusal import Refused

from .models import Curation, GoldEvent, GoldSource, GoldSpan

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def lease_end(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.REVIEW_LEASE_MINUTES)


def handed_in_spans(article_id: int) -> Any:
    """The analysts' spans a gold version is made from: live spans of handed-in work."""
    return Span.objects.handed_in().filter(article_id=article_id)


def needing_gold() -> Any:
    """Articles two analysts or more handed in whose gold version is not finished, oldest
    first."""
    shared = (
        Assignment.objects.handed_in()
        .values("article_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values("article_id")
    )
    finished = Curation.objects.filter(article=OuterRef("pk"), status=Curation.Status.FINISHED)
    return Article.objects.filter(pk__in=shared).exclude(Exists(finished)).order_by("pk")


def _row_for(article_id: int) -> None:
    """The article's Curation row, made if missing; a concurrent maker's row is kept."""
    Curation.objects.bulk_create([Curation(article_id=article_id)], ignore_conflicts=True)


@transaction.atomic
def claim(article_id: int, curator: "User", now: datetime | None = None) -> Curation:
    """Hold the article's gold version for a lease; refused while another curator holds
    it, or once it is finished."""
    now = now or timezone.now()
    if not needing_gold().filter(pk=article_id).exists():
        raise Refused(
            _("This article has no work from two analysts, or its gold version is finished."),
            status=409,
        )
    _row_for(article_id)
    curation = (
        Curation.objects.select_for_update(skip_locked=True)
        .claimable_by(curator.pk, now)
        .filter(article_id=article_id)
        .first()
    )
    if curation is None:
        raise Refused(_("Another curator is adjudicating this article."), status=409)
    curation.claimed_by, curation.claim_expires_at = curator, lease_end(now)
    curation.save(update_fields=["claimed_by", "claim_expires_at", "updated_at"])
    return curation


def claim_next(curator: "User", now: datetime | None = None) -> Curation | None:
    """The article the curator holds, else the oldest one free, claimed; None if none."""
    now = now or timezone.now()
    held = Curation.objects.filter(
        claimed_by=curator, claim_expires_at__gt=now, status=Curation.Status.IN_PROGRESS
    ).first()
    if held is not None:
        return held
    taken = Curation.objects.filter(
        ~Q(claimed_by=curator), claimed_by__isnull=False, claim_expires_at__gt=now
    ).values("article_id")
    for article_id in needing_gold().exclude(pk__in=taken).values_list("pk", flat=True)[:50]:
        try:
            return claim(article_id, curator, now)
        except Refused:  # taken between the two statements: try the next
            continue
    return None


def _hold(article_id: int, curator: "User", now: datetime) -> Curation:
    """The curation, locked, if the curator holds it; its lease renewed."""
    curation = Curation.objects.select_for_update().filter(article_id=article_id).first()
    if curation is None or curation.status == Curation.Status.FINISHED:
        raise Refused(_("This gold version is finished: it can no longer change."), status=409)
    if curation.claimed_by_id != curator.pk or (
        curation.claim_expires_at is not None and curation.claim_expires_at <= now
    ):
        raise Refused(
            _("You are not adjudicating this article (your time ran out, or you never took "
              "it): start adjudicating it again."),
            status=409,
        )  # fmt: skip
    curation.claim_expires_at = lease_end(now)
    curation.save(update_fields=["claim_expires_at", "updated_at"])
    return curation


def _replayed(curation: Curation, curator: "User", action_id: uuid.UUID | None) -> bool:
    if action_id is None:
        return False
    events = GoldEvent.objects.filter(action_id=action_id)
    if events.exclude(curation=curation, actor=curator).exists():
        raise Refused(_("This request was already used for another change; reload the page."))
    return events.exists()


def _state(gold: GoldSpan) -> dict[str, Any]:
    return {
        "label": gold.label_id,
        "start": gold.start,
        "end": gold.end,
        "attributes": gold.attributes,
    }


def _record(
    curation: Curation,
    curator: "User",
    kind: str,
    *,
    gold: GoldSpan | None = None,
    before: Mapping[str, Any] | None = None,
    sources: Iterable[int] = (),
    action_id: uuid.UUID | None,
) -> None:
    GoldEvent.objects.create(
        curation=curation,
        gold=gold,
        actor=curator,
        kind=kind,
        before=dict(before or {}),
        after=_state(gold) if gold is not None and gold.deleted_at is None else {},
        sources=sorted(sources),
        action_id=action_id,
    )


def _same(article_id: int, label_id: int, start: int, end: int) -> list[int]:
    """Every analyst's span drawn exactly so: the sources of a gold span drawn so."""
    return list(
        handed_in_spans(article_id)
        .filter(label_id=label_id, start=start, end=end)
        .values_list("pk", flat=True)
    )


def _create(
    curation: Curation,
    curator: "User",
    *,
    label: Label,
    start: int,
    end: int,
    attributes: Mapping[str, Any],
    kind: str,
    action_id: uuid.UUID | None,
) -> GoldSpan:
    text = curation.article.text
    if not 0 <= start < end <= len(text):
        raise Refused(_("The span must lie within the article and cover a character."), 422)
    if curation.spans.live().filter(label=label, start=start, end=end).exists():
        raise Refused(_("The gold version already has that span."), status=409)
    values = label.validate_attributes(attributes, text)
    gold = GoldSpan.objects.create(
        curation=curation,
        article_id=curation.article_id,
        label=label,
        start=start,
        end=end,
        text=text[start:end],
        attributes=values,
        adjudicated_by=curator,
    )
    sources = _same(curation.article_id, label.pk, start, end)
    GoldSource.objects.bulk_create(GoldSource(gold=gold, span_id=pk) for pk in sources)
    _record(curation, curator, kind, gold=gold, sources=sources, action_id=action_id)
    return gold


@transaction.atomic
def accept(
    article_id: int,
    curator: "User",
    span_id: int,
    *,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> GoldSpan | None:
    """One analyst's span into the gold version, with its label, bounds and values; every
    analyst's identical span counts as its source. None when this request was already
    applied."""
    curation = _hold(article_id, curator, now or timezone.now())
    if _replayed(curation, curator, action_id):
        return None
    span = handed_in_spans(article_id).select_related("label").filter(pk=span_id).first()
    if span is None:
        raise Refused(_("That span is not part of this article's handed-in work."), status=404)
    return _create(
        curation,
        curator,
        label=span.label,
        start=span.start,
        end=span.end,
        attributes=span.attributes,
        kind=GoldEvent.Kind.ACCEPTED,
        action_id=action_id,
    )


@transaction.atomic
def accept_majority(
    article_id: int,
    curator: "User",
    span_ids: Iterable[int],
    *,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> GoldSpan | None:
    """Of the spans of one place (`span_ids`: a row of the side-by-side view), the version
    (label, bounds, values) most analysts drew; refused when no version has more analysts
    than every other."""
    curation = _hold(article_id, curator, now or timezone.now())
    if _replayed(curation, curator, action_id):
        return None
    spans = list(handed_in_spans(article_id).select_related("label").filter(pk__in=span_ids))
    votes: Counter[tuple[int, int, int, str]] = Counter()
    analysts: dict[tuple[int, int, int, str], set[int]] = {}
    for span in spans:
        version = (span.label_id, span.start, span.end, repr(sorted(span.attributes.items())))
        analysts.setdefault(version, set()).add(span.annotator_id)
    for version, who in analysts.items():
        votes[version] = len(who)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        raise Refused(
            _("No version of this span has a majority: accept one analyst's span instead."),
            status=409,
        )
    label_id, start, end, _values = ranked[0][0]
    chosen = next(s for s in spans if (s.label_id, s.start, s.end) == (label_id, start, end))
    return _create(
        curation,
        curator,
        label=chosen.label,
        start=start,
        end=end,
        attributes=chosen.attributes,
        kind=GoldEvent.Kind.ACCEPTED,
        action_id=action_id,
    )


@transaction.atomic
def accept_agreed(
    article_id: int,
    curator: "User",
    *,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> list[GoldSpan]:
    """Every span all the article's analysts drew alike (label, bounds and values), in one
    action; those already in the gold version are left as they are."""
    curation = _hold(article_id, curator, now or timezone.now())
    if _replayed(curation, curator, action_id):
        return []
    analysts = set(
        Assignment.objects.handed_in()
        .filter(article_id=article_id)
        .values_list("analyst_id", flat=True)
    )
    drawn: dict[tuple[int, int, int, str], set[int]] = {}
    first: dict[tuple[int, int, int, str], Span] = {}
    for span in handed_in_spans(article_id).select_related("label").order_by("start", "end"):
        version = (span.label_id, span.start, span.end, repr(sorted(span.attributes.items())))
        drawn.setdefault(version, set()).add(span.annotator_id)
        first.setdefault(version, span)
    made = []
    for version, who in drawn.items():
        span = first[version]
        if (
            who != analysts
            or curation.spans.live()
            .filter(label_id=span.label_id, start=span.start, end=span.end)
            .exists()
        ):
            continue
        made.append(
            _create(
                curation,
                curator,
                label=span.label,
                start=span.start,
                end=span.end,
                attributes=span.attributes,
                kind=GoldEvent.Kind.ACCEPTED,
                action_id=action_id,
            )
        )
    return made


@transaction.atomic
def add(
    article_id: int,
    curator: "User",
    *,
    label: Label,
    start: int,
    end: int,
    attributes: Mapping[str, Any] | None = None,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> GoldSpan | None:
    """A span no analyst drew (or drew otherwise), made by the curator."""
    curation = _hold(article_id, curator, now or timezone.now())
    if _replayed(curation, curator, action_id):
        return None
    return _create(
        curation,
        curator,
        label=label,
        start=start,
        end=end,
        attributes=attributes or {},
        kind=GoldEvent.Kind.ADDED,
        action_id=action_id,
    )


def _live_gold(curation: Curation, gold_id: int) -> GoldSpan:
    gold = curation.spans.live().select_related("label").filter(pk=gold_id).first()
    if gold is None:
        raise Refused(
            _("That gold span is no longer there (removed meanwhile?): reload the page."), 404
        )
    return gold


@transaction.atomic
def change(
    article_id: int,
    curator: "User",
    gold_id: int,
    *,
    label: Label | None = None,
    start: int | None = None,
    end: int | None = None,
    attributes: Mapping[str, Any] | None = None,
    clear: Collection[str] = (),
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> GoldSpan | None:
    """Another label, other bounds or other values for a gold span (what is not given stays;
    another label drops the values, which answered the other label's questions). Values
    work as an analyst's do (spans.set_attributes): `attributes` are set, the keys of
    `clear` removed, the others kept."""
    curation = _hold(article_id, curator, now or timezone.now())
    if _replayed(curation, curator, action_id):
        return None
    gold = _live_gold(curation, gold_id)
    before = _state(gold)
    text = curation.article.text
    new_label = label or gold.label
    new_start = gold.start if start is None else start
    new_end = gold.end if end is None else end
    if not 0 <= new_start < new_end <= len(text):
        raise Refused(_("The span must lie within the article and cover a character."), 422)
    clash = curation.spans.live().filter(label=new_label, start=new_start, end=new_end)
    if clash.exclude(pk=gold.pk).exists():
        raise Refused(_("The gold version already has that span."), status=409)
    kept = {} if new_label.pk != gold.label_id else gold.attributes
    kept = {key: value for key, value in kept.items() if key not in clear}
    values = {**kept, **new_label.validate_attributes(attributes or {}, text, stored=kept)}
    gold.label, gold.start, gold.end = new_label, new_start, new_end
    gold.text, gold.attributes, gold.adjudicated_by = text[new_start:new_end], values, curator
    gold.save()
    # The sources are the analysts' spans drawn as the gold span now is.
    sources = _same(curation.article_id, new_label.pk, new_start, new_end)
    GoldSource.objects.filter(gold=gold).exclude(span_id__in=sources).delete()
    GoldSource.objects.bulk_create(
        (GoldSource(gold=gold, span_id=pk) for pk in sources), ignore_conflicts=True
    )
    _record(
        curation, curator, GoldEvent.Kind.CHANGED, gold=gold, before=before, sources=sources,
        action_id=action_id,
    )  # fmt: skip
    return gold


@transaction.atomic
def remove(
    article_id: int,
    curator: "User",
    gold_id: int,
    *,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> GoldSpan | None:
    """Take a gold span out of the gold version (its row and history stay)."""
    now = now or timezone.now()
    curation = _hold(article_id, curator, now)
    if _replayed(curation, curator, action_id):
        return None
    gold = _live_gold(curation, gold_id)
    before = _state(gold)
    gold.deleted_at = now
    gold.save(update_fields=["deleted_at", "updated_at"])
    _record(
        curation, curator, GoldEvent.Kind.REMOVED, gold=gold, before=before, action_id=action_id
    )
    return gold


@transaction.atomic
def reject(
    article_id: int,
    curator: "User",
    span_ids: Iterable[int],
    *,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> None:
    """Decide that these analysts' spans (a row of the side-by-side view) have no place in
    the gold version: recorded, so the row counts as decided."""
    curation = _hold(article_id, curator, now or timezone.now())
    if _replayed(curation, curator, action_id):
        return
    found = list(handed_in_spans(article_id).filter(pk__in=span_ids).values_list("pk", flat=True))
    if not found:
        raise Refused(_("Those spans are not part of this article's handed-in work."), 404)
    _record(curation, curator, GoldEvent.Kind.REJECTED, sources=found, action_id=action_id)


@transaction.atomic
def finish(
    article_id: int,
    curator: "User",
    *,
    action_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Curation:
    """The gold version is done: it is exported as gold and no longer changes."""
    now = now or timezone.now()
    curation = _hold(article_id, curator, now)
    if _replayed(curation, curator, action_id):
        return curation
    curation.status = Curation.Status.FINISHED
    curation.finished_by, curation.finished_at = curator, now
    curation.claimed_by = curation.claim_expires_at = None
    curation.save()
    _record(curation, curator, GoldEvent.Kind.FINISHED, action_id=action_id)
    return curation


def release(article_id: int, curator: "User") -> None:
    """Let go of the article before the lease runs out."""
    Curation.objects.filter(article_id=article_id, claimed_by=curator).update(
        claimed_by=None, claim_expires_at=None, updated_at=timezone.now()
    )
