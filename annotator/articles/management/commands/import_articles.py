from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.articles import ingest

SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".jsonl", ".zip"}


def files_under(paths):
    """The given files, and the accepted files inside given folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            yield path
        else:
            raise CommandError(f"No such file or folder: {path}")


class Command(BaseCommand):
    help = "Import articles from files, folders and .zip archives, as the upload form does."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--user", required=True, help="who the articles are uploaded by")
        parser.add_argument("--source", default="", help="outlet for files that name none")

    def handle(self, paths, user, source, verbosity=1, **options):
        try:
            uploader = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {user!r}.") from error
        totals = dict.fromkeys((ingest.CREATED, ingest.DUPLICATE, ingest.REJECTED), 0)
        limits = ingest.upload_limits()
        for path in files_under(paths):
            if path.stat().st_size > limits.max_file_bytes:
                outcomes = [ingest.too_large(str(path), limits)]  # never read into memory
            else:
                outcomes = ingest.ingest_file(
                    str(path), path.read_bytes(), uploader, limits, source=source
                )
            for outcome in outcomes:
                totals[outcome.status] += 1
                if verbosity >= 1:
                    detail = (
                        f"#{outcome.article.pk} {outcome.article.title}"
                        if outcome.article
                        else outcome.reason
                    )
                    self.stdout.write(f"{outcome.status:<9} {outcome.label}: {detail}")
        self.stdout.write(
            "{created} created, {duplicate} duplicate, {rejected} rejected".format(**totals)
        )
