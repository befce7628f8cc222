from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from annotator.annotations.assignments import assign
from annotator.articles.models import Article
from annotator.demo.users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users

DEMO_ARTICLES = Path(settings.BASE_DIR) / "demo" / "articles"
DEMO_SOURCE = "Démo"
DEMO_UPLOADER = "adam"
# Both demo analysts get every demo article, so that the demo can be annotated at once and
# their work compared on the agreement page and merged into gold versions.
DEMO_PAIR = ("ana", "alex")


class Command(BaseCommand):
    help = "Create the demo users and load the demo articles (DEBUG only; safe to re-run)."

    def handle(self, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo users exist only in development: set DEBUG=1.")
        ensure_demo_users()
        # Same ingest path as uploads; duplicates are recognised, so re-runs add nothing.
        call_command(
            "import_articles",
            str(DEMO_ARTICLES),
            user=DEMO_UPLOADER,
            source=DEMO_SOURCE,
            verbosity=0,
            stdout=self.stdout,
        )
        users = get_user_model().objects.filter(username__in=(DEMO_UPLOADER, *DEMO_PAIR))
        by_name = {user.username: user for user in users}
        articles = Article.objects.filter(source=DEMO_SOURCE).values_list("pk", flat=True)
        # Pairs that exist are left as they are: re-runs keep the analysts' work.
        assign(list(articles), [by_name[name].pk for name in DEMO_PAIR], by=by_name[DEMO_UPLOADER])
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, roles in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {', '.join(str(r.label) for r in roles)}")
        self.stdout.write(f"  {' and '.join(DEMO_PAIR)} each have the demo articles to annotate.")
