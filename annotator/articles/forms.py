from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .ingest import SUFFIXES
from .models import Article

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# The file picker offers what the upload accepts.
ACCEPT = ",".join(SUFFIXES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; empty ones pass here and are reported per file later."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list["UploadedFile[bytes]"]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class UploadForm(forms.Form):
    # The form's metaclass moves declared fields into base_fields, so `form.files` (the
    # request's files) is not this field; mypy sees only the class attribute.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"), error_messages={"required": _("Choose at least one file.")}
    )
    source = forms.CharField(
        label=_("Source or outlet (optional, for files that do not name one)"),
        max_length=200,
        required=False,
    )

    def clean_files(self) -> list["UploadedFile[bytes]"]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        return files


# Generic only in django-stubs: ModelForm[Article] would fail at run time.
class ArticleMetadataForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Article
        fields = ["title", "source", "url", "published_at", "language"]
        widgets = {"published_at": forms.DateInput(attrs={"type": "date"})}

    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    language = forms.RegexField(
        label=_("Language"),
        regex=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$",
        max_length=10,
        error_messages={"invalid": _("Use a language code such as fr or fr-BE.")},
    )


def limits_for_display() -> dict[str, int]:
    mb = 1024 * 1024
    return {
        "file_mb": settings.UPLOAD_MAX_FILE_BYTES // mb,
        "request_mb": settings.UPLOAD_MAX_REQUEST_BYTES // mb,
        "archive_members": settings.UPLOAD_MAX_ARCHIVE_MEMBERS,
        "uncompressed_mb": settings.UPLOAD_MAX_UNCOMPRESSED_BYTES // mb,
    }
