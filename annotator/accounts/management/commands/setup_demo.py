from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotator.accounts.demo import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users


class Command(BaseCommand):
    help = "Create the demo users and load the demo articles (DEBUG only; safe to re-run)."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users exist only in development: set DEBUG=1.")
        ensure_demo_users()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, roles in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {', '.join(str(r.label) for r in roles)}")
