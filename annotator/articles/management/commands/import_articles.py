from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.articles import ingest
from annotator.articles.outcomes import Outcome, Status

BATCH_ARTICLES = 100
BATCH_BYTES = 32 * 1024 * 1024


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """The given files, and the accepted files inside given folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ingest.SUFFIXES
            )
        elif path.is_file():
            yield path
        else:
            raise CommandError(f"No such file or folder: {path}")


def prepared_ahead[T](
    prepare: Callable[[Path], T], paths: Iterable[Path], window: int = 2 * BATCH_ARTICLES
) -> Iterator[T]:
    """prepare(path) for each path, in order, computed by a helper thread a few files ahead.

    Preparing (decode, clean, split) is Python work; storing waits on PostgreSQL. Running
    them side by side keeps both cores busy. The database is only used from the caller's
    thread, so connections and transactions stay where Django expects them.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: deque[Future[T]] = deque()
        for path in paths:
            pending.append(pool.submit(prepare, path))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class Command(BaseCommand):
    help = "Import articles from files, folders and .zip archives, as the upload form does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--user", required=True, help="who the articles are uploaded by")
        parser.add_argument("--source", default="", help="outlet for files that name none")

    def handle(
        self, paths: list[Path], user: str, source: str, verbosity: int = 1, **options: Any
    ) -> None:
        try:
            uploader = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {user!r}.") from error
        self.totals = dict.fromkeys((Status.CREATED, Status.DUPLICATE, Status.REJECTED), 0)
        self.verbosity = verbosity
        limits = ingest.upload_limits()

        def read_and_prepare(path: Path) -> tuple[list[ingest.Prepared | Outcome], int]:
            # The file's name, as an upload keeps it: this server's folders are no one's
            # business on the article page.
            if path.stat().st_size > limits.max_file_bytes:
                return [ingest.too_large(path.name, limits)], 0  # never read into memory
            data = path.read_bytes()
            return ingest.prepare(path.name, data, uploader, limits, source=source), len(data)

        batch: list[ingest.Prepared | Outcome] = []
        batch_bytes = 0
        for items, size in prepared_ahead(read_and_prepare, files_under(paths)):
            batch.extend(items)
            batch_bytes += size
            # One transaction per batch: a commit per article would cost a disk flush each.
            if len(batch) >= BATCH_ARTICLES or batch_bytes >= BATCH_BYTES:
                self.report(ingest.store(batch))
                batch, batch_bytes = [], 0
        self.report(ingest.store(batch))
        self.stdout.write(
            "{created} created, {duplicate} duplicate, {rejected} rejected".format(**self.totals)
        )

    def report(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.totals[outcome.status] += 1
            if self.verbosity >= 1:
                detail = (
                    f"#{outcome.article.pk} {outcome.article.title}"
                    if outcome.article
                    else outcome.reason
                )
                self.stdout.write(f"{outcome.status:<9} {outcome.label}: {detail}")
