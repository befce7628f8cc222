"""Turn uploaded files into articles: one path for the upload form, the command and the demo.

Each article is stored in its own transaction together with its original bytes and its
sentences, so one bad file (or one bad line of a .jsonl) never loses the good ones and a
rejected one leaves no rows behind.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .archives import Limits, iter_archive
from .cleaning import clean_text
from .extraction import Rejected, extract
from .models import Article, Sentence, SourceFile
from .segmentation import split_sentences

CREATED, DUPLICATE, REJECTED = "created", "duplicate", "rejected"


@dataclass
class Outcome:
    name: str
    status: str
    article: Article | None = None
    reason: str = ""
    line: int | None = None

    @property
    def label(self):
        return f"{self.name}, line {self.line}" if self.line else self.name


def summarise(outcomes):
    """Counts by status, for the report's first line."""
    return {
        status: sum(1 for o in outcomes if o.status == status)
        for status in (CREATED, DUPLICATE, REJECTED)
    }


def upload_limits():
    return Limits(
        max_file_bytes=settings.UPLOAD_MAX_FILE_BYTES,
        max_archive_members=settings.UPLOAD_MAX_ARCHIVE_MEMBERS,
        max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
    )


def too_large(name, limits):
    mb = limits.max_file_bytes / 1024 / 1024
    reason = _("The file is too large (limit %(mb).0f MB).") % {"mb": mb}
    return Outcome(name, REJECTED, reason=reason)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def store_article(
    *,
    text,
    title,
    source_file,
    uploaded_by,
    source="",
    url="",
    published_at=None,
    language="fr",
    removed_lines=(),
    source_line=None,
):
    """Store one cleaned text with its sentences; returns (article, created).

    The same text is never stored twice: the existing article is returned instead, also
    when another process inserts it at the same moment (the unique hash decides).
    """
    text_hash = sha256(text.encode("utf-8"))
    if existing := Article.objects.filter(text_sha256=text_hash).first():
        return existing, False
    spans = split_sentences(text)
    try:
        with transaction.atomic():
            if source_file.pk is None:
                source_file = _save_source_file(source_file)
            article = Article.objects.create(
                title=title,
                source=source,
                url=url,
                published_at=published_at,
                language=language or "fr",
                text=text,
                text_sha256=text_hash,
                removed_lines=list(removed_lines),
                source_file=source_file,
                source_line=source_line,
                uploaded_by=uploaded_by,
                sentence_count=len(spans),
            )
            Sentence.objects.bulk_create(
                Sentence(article=article, index=i, start=s, end=e) for i, (s, e) in enumerate(spans)
            )
    except IntegrityError:
        existing = Article.objects.filter(text_sha256=text_hash).first()
        if existing is None:
            raise
        return existing, False
    return article, True


def _save_source_file(unsaved):
    """The stored original with these bytes, saving it unless it exists already."""
    found = SourceFile.objects.filter(sha256=unsaved.sha256).first()
    if found:
        return found
    with transaction.atomic():
        SourceFile.objects.bulk_create([unsaved], ignore_conflicts=True)
    return SourceFile.objects.get(sha256=unsaved.sha256)


def ingest_file(name, data, user, limits=None, *, source=""):
    """Ingest one uploaded file (or archive); returns one Outcome per article or rejection."""
    limits = limits or upload_limits()
    if len(data) > limits.max_file_bytes:
        mb = limits.max_file_bytes / 1024 / 1024
        return [
            Outcome(
                name, REJECTED, reason=_("The file is too large (limit %(mb).0f MB).") % {"mb": mb}
            )
        ]
    if name.lower().endswith(".zip"):
        try:
            members = list(iter_archive(data, limits))
        except Rejected as error:
            return [Outcome(name, REJECTED, reason=str(error))]
        outcomes = []
        for member_name, member in members:
            label = f"{name}/{member_name}"
            if isinstance(member, Rejected):
                outcomes.append(Outcome(label, REJECTED, reason=str(member)))
            else:
                outcomes.extend(_ingest_document(label, member, user, source))
        return outcomes
    return _ingest_document(name, data, user, source)


def _ingest_document(name, data, user, source):
    try:
        records = extract(name.rsplit("/", 1)[-1], data)
    except Rejected as error:
        return [Outcome(name, REJECTED, reason=str(error))]
    original = SourceFile(
        name=name[-500:], sha256=sha256(data), content=data, size=len(data), uploaded_by=user
    )
    outcomes = []
    for record in records:
        if isinstance(record, Rejected):
            outcomes.append(
                Outcome(name, REJECTED, reason=str(record), line=getattr(record, "line", None))
            )
            continue
        cleaned = clean_text(record.text)
        if not cleaned.text.strip():
            outcomes.append(
                Outcome(
                    name,
                    REJECTED,
                    reason=_("No article text is left after cleaning."),
                    line=record.line,
                )
            )
            continue
        title = (record.title or cleaned.text.split("\n", 1)[0]).strip()[:300]
        article, created = store_article(
            text=cleaned.text,
            title=title,
            source=(record.source or source)[:200],
            url=record.url,
            published_at=record.published_at,
            language=record.language,
            removed_lines=cleaned.removed_lines,
            source_file=original,
            uploaded_by=user,
            source_line=record.line,
        )
        if created and original.pk is None:
            original = article.source_file
        outcomes.append(Outcome(name, CREATED if created else DUPLICATE, article, line=record.line))
    return outcomes
