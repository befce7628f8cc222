from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from annotator.demo.users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users

DEMO_ARTICLES = Path(settings.BASE_DIR) / "demo" / "articles"
DEMO_UPLOADER = "adam"


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
            source="Démo",
            verbosity=0,
            stdout=self.stdout,
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, roles in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {', '.join(str(r.label) for r in roles)}")
