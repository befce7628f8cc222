import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from annotator.accounts.roles import Role

PASSWORD_VARIABLE = "ANNOTATOR_PASSWORD"  # noqa: S105 - a variable name


class Command(BaseCommand):
    help = (
        "Create a user with one or more roles. The password comes from the "
        f"{PASSWORD_VARIABLE} environment variable, else from a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=Role.values,
            help="Repeat to give several roles.",
        )
        parser.add_argument("--email", default="")

    def handle(self, username: str, role: list[str], email: str, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = os.environ.get(PASSWORD_VARIABLE) or self.prompt_password()
        user = User(username=username, email=email)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user.set_password(password)
            user.full_clean(exclude=["password"])
            user.save()
            user.groups.set(Group.objects.filter(name__in=role))
        self.stdout.write(f"Created {username} ({', '.join(sorted(set(role)))}).")

    def prompt_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password is empty.")
        return password
