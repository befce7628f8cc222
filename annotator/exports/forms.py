import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from annotator.accounts.roles import Role, holders
from annotator.annotations.forms import WorkFilterForm
from annotator.annotations.models import Span

from .dialects import DIALECTS, STANDARD
from .interchange.doccano import CODEPOINTS, UTF16
from .models import ExportLog
from .selection import ANALYSTS, GOLD, SpanFilter

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

MAX_ARTICLES = 1000
MAX_ID = 2**63 - 1

OFFSETS = [
    (UTF16, _("UTF-16 units, as doccano's screen counts (emoji count twice)")),
    (CODEPOINTS, _("Code points, as Python counts")),
]
IMPORT_FORMATS = [
    (ExportLog.Format.DOCCANO, ExportLog.Format.DOCCANO.label),
    (ExportLog.Format.LABEL_STUDIO, ExportLog.Format.LABEL_STUDIO.label),
]


class ExportForm(WorkFilterForm):
    """The export's filters and format, from the query string (page, download, command).

    An absent status means approved spans only.
    """

    field_order = ["status", "label", "analyst", "source", "published_from", "published_to"]

    status = forms.MultipleChoiceField(
        label=_("Span status"),
        choices=Span.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    articles = forms.CharField(
        label=_("Only these articles (numbers, separated by commas or spaces)"),
        max_length=20_000,
        required=False,
    )
    origin = forms.ChoiceField(
        label=_("Which spans"),
        choices=[
            (ANALYSTS, _("The analysts’ spans (the status above)")),
            (GOLD, _("Gold spans, of finished gold versions")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportLog.Format.choices, required=False)
    dialect = forms.ChoiceField(
        label=_("CSV dialect"),
        choices=[(d.name, d.label) for d in DIALECTS.values()],
        required=False,
    )
    offsets = forms.ChoiceField(label=_("doccano offsets"), choices=OFFSETS, required=False)

    @classmethod
    def from_query(cls, query: QueryDict) -> "ExportForm":
        """Bound to a QueryDict (request.GET, or the command's); "approved" if no status given,
        the analysts' spans if no origin."""
        data = query.copy()
        if not data.get("status"):
            data.setlist("status", [Span.Status.APPROVED])
        if not data.get("origin"):
            data["origin"] = ANALYSTS
        return cls(data)

    def clean_articles(self) -> list[int]:
        raw = self.cleaned_data["articles"].strip()
        if not raw:
            return []
        parts = [part for part in re.split(r"[\s,;]+", raw) if part]
        if len(parts) > MAX_ARTICLES:
            raise forms.ValidationError(
                _("Name at most %(n)d articles.") % {"n": MAX_ARTICLES}, code="too_many"
            )
        bad = [p for p in parts if not p.isascii() or not p.isdigit() or not 0 < int(p) <= MAX_ID]
        if bad:
            # Each value quoted on its own, so that each language uses its own quote marks.
            quoted = ", ".join(
                pgettext("a value someone typed, quoted", "“%(value)s”") % {"value": value}
                for value in bad[:5]
            )
            raise forms.ValidationError(
                ngettext(
                    "%(values)s is not an article number.",
                    "%(values)s are not article numbers.",
                    len(bad),
                )
                % {"values": quoted},
                code="invalid",
            )
        return sorted({int(p) for p in parts})

    def clean_origin(self) -> str:
        return self.cleaned_data["origin"] or ANALYSTS

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or ExportLog.Format.CSV

    def clean_dialect(self) -> str:
        return self.cleaned_data["dialect"] or STANDARD.name

    def clean_offsets(self) -> str:
        return self.cleaned_data["offsets"] or UTF16

    def span_filter(self) -> SpanFilter:
        data = self.cleaned_data
        return SpanFilter(
            statuses=tuple(sorted(data["status"])),
            label_ids=tuple(sorted(label.pk for label in data["label"])),
            analyst_ids=tuple(sorted(user.pk for user in data["analyst"])),
            source=data["source"].strip(),
            published_from=data["published_from"],
            published_to=data["published_to"],
            article_ids=tuple(data["articles"]),
            origin=data["origin"],
        )

    def logged_filters(self) -> dict[str, Any]:
        """The filters as the log keeps them: names, not ids; only those that were set."""
        data = self.cleaned_data
        filters = {
            "status": sorted(data["status"]),
            "label": sorted(label.name for label in data["label"]),
            "analyst": sorted(user.get_username() for user in data["analyst"]),
            "source": data["source"].strip(),
            "published_from": data["published_from"] and data["published_from"].isoformat(),
            "published_to": data["published_to"] and data["published_to"].isoformat(),
            "articles": data["articles"],
            "origin": data["origin"] if data["origin"] == GOLD else "",
        }
        return {key: value for key, value in filters.items() if value}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=IMPORT_FORMATS)
    analyst = forms.ModelChoiceField(
        label=_("Attribute the spans to"),
        queryset=holders(Role.ANALYST),
        to_field_name="username",
        error_messages={"invalid_choice": _("Choose one of the analysts listed.")},
    )
    offsets = forms.ChoiceField(
        label=_("Offsets in a doccano file"), choices=OFFSETS, initial=UTF16, required=False
    )

    def clean_file(self) -> "UploadedFile[bytes]":
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        assert upload.size is not None  # Django's upload handlers count every file's bytes
        if upload.size > settings.UPLOAD_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (limit %(mb)d MB).")
                % {"mb": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload

    def clean_offsets(self) -> str:
        return self.cleaned_data["offsets"] or UTF16
