"""Import one analyst's spans from a doccano JSONL or Label Studio JSON file.

    python manage.py import_spans export.jsonl --format doccano --analyst ana
    python manage.py import_spans project.json --format labelstudio --analyst ana

Each record is checked and imported on its own (see exports/interchange/importer.py); the
report names every rejected record (a doccano line, a Label Studio task), and how many
suggestions each task's predictions stored. Exits non-zero if any was rejected.
"""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.accounts.roles import Role, has_role
from annotator.articles.outcomes import Status, summarise
from annotator.exports.interchange import doccano, labelstudio
from annotator.exports.interchange.importer import import_file, suggestions_summary


class Command(BaseCommand):
    help = "Import spans from doccano (JSONL) or Label Studio (JSON) as one analyst's work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=["doccano", "labelstudio"])
        parser.add_argument("--analyst", required=True, help="username the spans belong to")
        parser.add_argument(
            "--offsets",
            default=doccano.UTF16,
            choices=[doccano.UTF16, doccano.CODEPOINTS],
            help="doccano files: UTF-16 units (doccano's own) or code points (Python's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        analyst = get_user_model().objects.filter(username=options["analyst"]).first()
        if analyst is None or not analyst.is_active or not has_role(analyst, Role.ANALYST):
            raise CommandError(f"{options['analyst']} is not an active analyst.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        if options["format"] == "doccano":
            candidates = doccano.read(data, offsets=options["offsets"])
        else:
            candidates = labelstudio.read(data)
        outcomes = import_file(path.name, data, candidates, analyst=analyst, by=analyst)
        for outcome in outcomes:
            where = outcome.where or path.name  # the record, or the whole file
            if outcome.status == Status.IMPORTED:
                assert outcome.article is not None  # an imported record names its article
                notes = f"; {outcome.notes}" if outcome.notes else ""
                self.stdout.write(
                    f"{where}: imported, {outcome.spans_created} new spans, "
                    f"{outcome.spans_present} already there ({outcome.article.title}){notes}"
                )
            else:
                self.stdout.write(f"{where}: rejected: {outcome.reason}")
        summary = summarise(outcomes)
        self.stdout.write(
            f"{summary['imported']} imported ({summary['spans']} new spans), "
            f"{summary['rejected']} rejected."
        )
        suggestions = suggestions_summary(outcomes)
        if suggestions["created"] or suggestions["present"]:  # a Label Studio file's predictions
            self.stdout.write(
                f"{suggestions['created']} new suggestions from the predictions "
                f"({suggestions['present']} already there)."
            )
        if summary["rejected"]:
            raise CommandError(f"{summary['rejected']} records rejected; the others were imported.")
