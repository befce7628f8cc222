"""Turn uploaded files into articles: one path for the upload form, the command and the demo.

Two steps. `prepare` reads, checks, cleans and splits files in memory and touches no table;
a file it rejects therefore leaves no rows. `store` writes a batch of prepared articles —
originals, articles and sentences — in one transaction (a commit per article would cost a
disk flush each). The same text is never stored twice: it comes back as a duplicate.
"""

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from annotator.refusal import UNSTORABLE

from .archives import Limits, iter_archive
from .cleaning import clean_text
from .extraction import ACCEPTED, Extracted, Marked, Rejected, extract
from .models import Article, Sentence, SourceFile
from .outcomes import Outcome, Status
from .segmentation import split_sentences

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

# What an upload or `import_articles` accepts: the documents extract() reads, and archives.
SUFFIXES = (*ACCEPTED, ".zip")


@dataclass
class Prepared:
    """A cleaned, segmented article waiting to be stored."""

    name: str
    original: SourceFile  # unsaved; shared by the articles of one .jsonl file
    text: str
    title: str
    source: str = ""
    url: str = ""
    published_at: datetime.date | None = None
    language: str = "fr"
    removed_lines: list[str] = field(default_factory=list)
    line: int | None = None

    def __post_init__(self) -> None:
        self.text_sha256 = sha256(self.text.encode("utf-8"))
        self.sentences = split_sentences(self.text)


def upload_limits() -> Limits:
    return Limits(
        max_file_bytes=settings.UPLOAD_MAX_FILE_BYTES,
        max_archive_members=settings.UPLOAD_MAX_ARCHIVE_MEMBERS,
        max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
    )


def too_large(name: str, limits: Limits | None = None) -> Outcome:
    limits = limits or upload_limits()
    mb = limits.max_file_bytes / 1024 / 1024
    reason = _("The file is too large (limit %(mb).0f MB).") % {"mb": mb}
    return Outcome(name, Status.REJECTED, reason=reason)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Step 1: read, check, clean, split (no database) ----------------------------------------


def prepare(
    name: str,
    data: bytes,
    user: "User",
    limits: Limits | None = None,
    *,
    source: str = "",
) -> list[Prepared | Outcome]:
    """One uploaded file (or archive) as a list of Prepared articles and rejections."""
    limits = limits or upload_limits()
    if len(data) > limits.max_file_bytes:
        return [too_large(name, limits)]
    if not name.lower().endswith(".zip"):
        return _prepare_document(name, data, user, source, limits)
    try:
        members = list(iter_archive(data, limits))
    except Rejected as error:
        return [Outcome(name, Status.REJECTED, reason=reason_of(error))]
    items: list[Prepared | Outcome] = []
    for member_name, member in members:
        label = f"{name}/{member_name}"
        if isinstance(member, Rejected):
            items.append(Outcome(label, Status.REJECTED, reason=reason_of(member)))
        else:
            items.extend(_prepare_document(label, member, user, source, limits))
    return items


def reason_of(rejected: Rejected) -> str:
    """The refusal in the active language: extraction and archives only mark their messages
    (they stay free of Django), so they are translated here, then filled in."""
    message = _(rejected.message)
    if not rejected.params:
        return message
    return message % {
        key: _(value) if isinstance(value, Marked) else value
        for key, value in rejected.params.items()
    }


def _prepare_document(
    name: str, data: bytes, user: "User", source: str, limits: Limits
) -> list[Prepared | Outcome]:
    try:
        records = extract(
            name.rsplit("/", 1)[-1],
            data,
            # A .docx's text may unpack to as many bytes as the largest file we accept, and a
            # .jsonl hold as many articles as a .zip may hold files.
            max_docx_xml=limits.max_file_bytes,
            max_jsonl_lines=limits.max_archive_members,
        )
    except Rejected as error:
        return [Outcome(name, Status.REJECTED, reason=reason_of(error))]
    original = SourceFile(
        name=name[-500:], sha256=sha256(data), content=data, size=len(data), uploaded_by=user
    )
    items: list[Prepared | Outcome] = []
    for record in records:
        if isinstance(record, Rejected):
            items.append(Outcome(name, Status.REJECTED, reason=reason_of(record), line=record.line))
            continue
        if _bad_characters(record):
            reason = _(
                "The file contains characters that are not valid text "
                "(a NUL byte or an unpaired surrogate)."
            )
            items.append(Outcome(name, Status.REJECTED, reason=reason, line=record.line))
            continue
        cleaned = clean_text(record.text)
        if not cleaned.text.strip():
            reason = _("No article text is left after cleaning.")
            items.append(Outcome(name, Status.REJECTED, reason=reason, line=record.line))
            continue
        items.append(
            Prepared(
                name=name,
                original=original,
                text=cleaned.text,
                title=(record.title or cleaned.text.split("\n", 1)[0]).strip()[:300],
                source=(record.source or source)[:200],
                url=record.url,
                published_at=record.published_at,
                language=record.language or "fr",
                removed_lines=cleaned.removed_lines,
                line=record.line,
            )
        )
    return items


def _bad_characters(record: Extracted) -> bool:
    fields = (record.text, record.title, record.source, record.url, record.language)
    return any(UNSTORABLE.search(value or "") for value in fields)


# --- Step 2: store ---------------------------------------------------------------------------


def store(items: Sequence[Prepared | Outcome]) -> list[Outcome]:
    """Store the Prepared items of a batch; returns an Outcome for every item, in order."""
    prepared = [item for item in items if isinstance(item, Prepared)]
    stored: dict[int, tuple[Article, bool]] = {}
    if prepared:
        try:
            with transaction.atomic():
                stored = _store_batch(prepared)
        except IntegrityError:
            # Another process stored one of these texts meanwhile: go one by one, so the
            # unique hash turns each such race into a duplicate instead of a failure.
            stored = {id(p): _store_one(p) for p in prepared}
    outcomes = []
    for item in items:
        if isinstance(item, Outcome):
            outcomes.append(item)
        else:
            article, created = stored[id(item)]
            status = Status.CREATED if created else Status.DUPLICATE
            outcomes.append(Outcome(item.name, status, article, line=item.line))
    return outcomes


def ingest_file(
    name: str,
    data: bytes,
    user: "User",
    limits: Limits | None = None,
    *,
    source: str = "",
) -> list[Outcome]:
    """Prepare and store one file: the upload form's unit of work."""
    return store(prepare(name, data, user, limits, source=source))


def ingest_uploads(
    files: Iterable["UploadedFile[bytes]"], user: "User", *, source: str = ""
) -> list[Outcome]:
    """The files of one upload, the page's or the API's: each too large one is reported
    without being read into memory, each other one ingested (ingest_file)."""
    outcomes: list[Outcome] = []
    for uploaded in files:
        if (uploaded.size or 0) > settings.UPLOAD_MAX_FILE_BYTES:
            outcomes.append(too_large(uploaded.name or ""))
            continue
        outcomes.extend(ingest_file(uploaded.name or "", uploaded.read(), user, source=source))
    return outcomes


def _store_batch(prepared: list[Prepared]) -> dict[int, tuple[Article, bool]]:
    """Write new texts; returns {id(prepared item): (article, created)}."""
    existing = {
        a.text_sha256: a
        for a in Article.objects.filter(text_sha256__in={p.text_sha256 for p in prepared}).only(
            "id", "title", "text_sha256"
        )
    }
    new: dict[str, Prepared] = {}  # first item of each text not yet stored
    for p in prepared:
        if p.text_sha256 not in existing:
            new.setdefault(p.text_sha256, p)
    if new:
        originals = _save_originals([p.original for p in new.values()])
        articles = Article.objects.bulk_create(
            Article(
                title=p.title,
                source=p.source,
                url=p.url,
                published_at=p.published_at,
                language=p.language,
                text=p.text,
                text_sha256=p.text_sha256,
                removed_lines=p.removed_lines,
                source_file=originals[p.original.sha256],
                source_line=p.line,
                uploaded_by_id=p.original.uploaded_by_id,
                sentence_count=len(p.sentences),
            )
            for p in new.values()
        )
        _copy_sentences(zip(articles, new.values(), strict=True))
    created = {a.text_sha256: a for a in articles} if new else {}
    return {
        id(p): (created[p.text_sha256], True)
        if new.get(p.text_sha256) is p
        else (existing.get(p.text_sha256) or created[p.text_sha256], False)
        for p in prepared
    }


def _save_originals(originals: Iterable[SourceFile]) -> dict[str, SourceFile]:
    """Saved SourceFile rows by sha256, reusing rows that hold the same bytes."""
    wanted = {o.sha256: o for o in originals}
    found = {o.sha256: o for o in SourceFile.objects.filter(sha256__in=wanted).only("id", "sha256")}
    missing = [o for sha, o in wanted.items() if sha not in found]
    for o in SourceFile.objects.bulk_create(missing):
        found[o.sha256] = o
    return found


def _copy_sentences(pairs: Iterable[tuple[Article, Prepared]]) -> None:
    # COPY, not INSERT: a batch of articles holds tens of thousands of sentences.
    table = Sentence._meta.db_table
    with connection.cursor() as cursor:
        sql = f'COPY {table} (article_id, "index", start, "end") FROM STDIN'
        with cursor.copy(sql) as copy:
            for article, p in pairs:
                for index, (start, end) in enumerate(p.sentences):
                    copy.write_row((article.pk, index, start, end))


def _store_one(p: Prepared) -> tuple[Article, bool]:
    if existing := Article.objects.filter(text_sha256=p.text_sha256).first():
        return existing, False
    try:
        with transaction.atomic():
            return _store_batch([p])[id(p)]
    except IntegrityError:
        existing = Article.objects.filter(text_sha256=p.text_sha256).first()
        if existing is None:
            raise
        return existing, False


def store_article(
    *,
    text: str,
    title: str,
    source_file: SourceFile,
    uploaded_by: "User",
    source: str = "",
    url: str = "",
    published_at: datetime.date | None = None,
    language: str = "fr",
    removed_lines: Iterable[str] = (),
    source_line: int | None = None,
) -> tuple[Article, bool]:
    """Store one text exactly as given (no cleaning); returns (article, created).

    For callers that already hold final text, such as interchange imports, whose offsets
    index the text as it is.
    """
    if source_file.uploaded_by_id is None:
        source_file.uploaded_by = uploaded_by
    p = Prepared(
        name=source_file.name,
        original=source_file,
        text=text,
        title=title,
        source=source,
        url=url,
        published_at=published_at,
        language=language,
        removed_lines=list(removed_lines),
        line=source_line,
    )
    return _store_one(p)
