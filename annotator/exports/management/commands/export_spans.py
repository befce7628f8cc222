"""Write the same export as the web download, to a file or standard output.

    python manage.py export_spans --label Claim --dialect excel-fr -o claims.csv
    python manage.py export_spans --status approved --status pending --exact > spans.csv
    python manage.py export_spans --format doccano --articles 12,15 -o spans.jsonl

Filters and formats take the web's query parameters, through the same form, so the bytes
are the same as the download's with the same filters. --exact writes CSV cells untouched
(no leading apostrophe before formulas): for pipelines, never for spreadsheets.

doccano's format cannot carry the spans' values (attributes): a doccano export of spans
that hold some says so on standard error.
"""

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from annotator.exports import downloads, selection
from annotator.exports.forms import ExportForm
from annotator.exports.models import ExportLog


class Command(BaseCommand):
    help = "Export labelled spans (CSV, doccano JSONL or Label Studio JSON), as the web does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            help="pending, approved or rejected; repeat for several (default: approved)",
        )
        parser.add_argument("--label", action="append", default=[], help="label name; repeat")
        parser.add_argument("--analyst", action="append", default=[], help="username; repeat")
        parser.add_argument("--source", default="", help="article source (any case)")
        parser.add_argument("--published-from", default="", help="YYYY-MM-DD")
        parser.add_argument("--published-to", default="", help="YYYY-MM-DD")
        parser.add_argument("--articles", default="", help="article numbers, e.g. 12,15")
        parser.add_argument(
            "--origin", default="analysts", help="analysts (their reviewed spans) or gold"
        )
        parser.add_argument("--format", default="csv", help="csv, doccano or labelstudio")
        parser.add_argument("--dialect", default="standard", help="standard or excel-fr")
        parser.add_argument("--offsets", default="utf16", help="doccano: utf16 or codepoints")
        parser.add_argument("--exact", action="store_true", help="CSV cells untouched")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        query = QueryDict(mutable=True)
        for name in ("status", "label", "analyst"):
            query.setlist(name, options[name])
        for name in (
            "source",
            "published_from",
            "published_to",
            "articles",
            "origin",
            "format",
            "dialect",
            "offsets",
        ):
            query[name] = options[name]
        form = ExportForm.from_query(query)
        if not form.is_valid():
            messages = [
                f"{form[f].label if f != '__all__' else ''}: {e}".lstrip(": ")
                for f, errors in form.errors.items()
                for e in errors
            ]
            raise CommandError("\n".join(messages))
        export = downloads.Export(
            spans=form.span_filter(),
            format=form.cleaned_data["format"],
            dialect=form.cleaned_data["dialect"],
            offsets=form.cleaned_data["offsets"],
            exact=options["exact"] and form.cleaned_data["format"] == ExportLog.Format.CSV,
        )
        log, chunks = downloads.logged(
            export, user=None, via=ExportLog.Via.COMMAND, filters=form.logged_filters()
        )
        if options["output"]:
            self._write_file(Path(options["output"]), chunks)
            self.stderr.write(f"{log.row_count} records written to {options['output']}")
        else:
            out = getattr(self.stdout._out, "buffer", None)
            for chunk in chunks:
                if out is None:  # a text stream (call_command in tests)
                    self.stdout.write(chunk.decode(), ending="")
                else:
                    out.write(chunk)
            if out is not None:
                out.flush()
        if export.format == ExportLog.Format.DOCCANO:
            self._warn_values_left_out(export)

    def _warn_values_left_out(self, export: downloads.Export) -> None:
        held = selection.with_values(export.spans)
        if held:
            self.stderr.write(
                f"{held} exported span(s) hold values (attributes), which doccano's format "
                "cannot carry: they are not in this file. CSV and Label Studio JSON carry them."
            )

    def _write_file(self, path: Path, chunks: Iterable[bytes]) -> None:
        """Write next to the target, then rename: a failed export leaves no half file."""
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as file:
                for chunk in chunks:
                    file.write(chunk)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
