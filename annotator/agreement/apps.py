from datetime import date, datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def gold_finished(since: datetime) -> dict[date, int]:
    from annotator.review.progress import per_week

    from .models import Curation

    return per_week(Curation.objects.filter(status=Curation.Status.FINISHED), "finished_at", since)


class AgreementConfig(AppConfig):
    name = "annotator.agreement"

    def ready(self) -> None:
        # The review dashboard's progress chart counts finished gold versions too.
        from annotator.review import progress

        progress.register(_("gold versions finished"), gold_finished)
