"""/api/v1/: the schema at /api/v1/schema/, its interactive page at /api/v1/docs/."""

from typing import Any

from django.http import HttpRequest
from django.urls import URLResolver
from ninja import NinjaAPI, Schema

from annotator.accounts.roles import user_roles
from annotator.annotations.attributes import Schema as Attributes
from annotator.annotations.models import Label

from .auth import TokenAuth, token_of

api = NinjaAPI(
    title="annotator",
    version="1",
    description=(
        "Articles, labels, spans, suggestions and exports for pipelines. Every call carries "
        "a personal token: `Authorization: Bearer ann_…` (made under Account → API tokens)."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
)


class Me(Schema):
    username: str
    roles: list[str]
    scope: str
    token: str  # its prefix


@api.get("/me", response=Me, summary="The token's user, roles and scope")
def me(request: HttpRequest) -> dict[str, Any]:
    token = token_of(request)
    return {
        "username": token.user.get_username(),
        "roles": sorted(user_roles(token.user)),
        "scope": token.scope,
        "token": token.prefix,
    }


class Choice(Schema):
    key: str
    name: str
    active: bool


class Attribute(Schema):
    key: str
    name: str
    type: str
    required: bool
    active: bool
    choices: list[Choice]


class LabelOut(Schema):
    id: int
    name: str
    key: str
    active: bool
    suggest: bool
    attributes: list[Attribute]


@api.get("/labels", response=list[LabelOut], summary="Labels with their attributes")
def labels(request: HttpRequest) -> list[dict[str, Any]]:
    """Every label (switched-off ones too: spans may still carry them), with the attributes
    and choices their values are checked against."""
    found = list(Label.objects.order_by("order", "name"))
    schema = Attributes.of_labels(found)
    return [
        {
            "id": label.pk,
            "name": label.name,
            "key": label.key,
            "active": label.is_active,
            "suggest": label.suggest,
            "attributes": [
                {
                    "key": a.key,
                    "name": a.name,
                    "type": a.type,
                    "required": a.required,
                    "active": a.is_active,
                    "choices": [
                        {"key": c.key, "name": c.name, "active": c.is_active}
                        for c in a.choices.all()
                    ],
                }
                for a in schema.of(label.pk)
            ],
        }
        for label in found
    ]


def urls() -> tuple[list[Any], str, str]:
    """api.urls, every view exempt from the pages' LoginRequiredMiddleware: the API's
    own auth (a token, or none for the schema and its page) answers 401, not a redirect
    to the login page."""
    patterns, app_name, namespace = api.urls

    def open_(entries: list[Any]) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                open_(entry.url_patterns)
            else:
                entry.callback.login_required = False

    open_(patterns)
    return patterns, app_name, namespace
