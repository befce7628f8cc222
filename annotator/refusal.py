"""One way to refuse: a service raises Refused, and one function turns it into the answer.

A refusal is an action the current state does not allow (409), input that cannot be used
(422), or something the user may not do (403). `respond` answers it:

- an htmx request gets the page's message region (`base.html#messages`) holding the reason,
  retargeted onto `#messages`; base.html's htmx config swaps these statuses in;
- a plain request gets a page saying the change was not made, why, and a link back.

`RefusalMiddleware` calls it for a Refused that leaves a view; `UnstorableCharacterMiddleware`
for a request whose parameters hold what PostgreSQL cannot store; and Django's own refusals
(400, 403, 404, a failed CSRF check) go through it too (the handlers below), so no htmx
request ever swaps a whole error page into a fragment. Validation errors of a form the
person is filling in are not refusals: the page shows them beside the form.
"""

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django_htmx.http import reswap, retarget

# Statuses whose htmx answers are swapped in (base.html's htmx-config lists the same).
SWAPPED = (400, 403, 404, 409, 413, 422)


class Refused(Exception):
    """This action is refused; `message` says why, in words the person understands."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    @classmethod
    def invalid(cls, form: forms.BaseForm) -> "Refused":
        """A form of hidden fields (ids, offsets) that did not validate: its errors, joined."""
        return cls(" ".join(str(e) for errors in form.errors.values() for e in errors), status=422)


def valid_data(form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned data of an action's form of hidden fields (ids, offsets, an action id),
    or Refused (422) with its errors: the person filled in nothing to show them beside."""
    if not form.is_valid():
        raise Refused.invalid(form)
    return form.cleaned_data


@dataclass(frozen=True)
class Notice:
    """A message shown in the message region; reads like one of django.contrib.messages."""

    message: str
    tags: str = "info"

    def __str__(self) -> str:
        return self.message


def is_htmx(request: HttpRequest) -> bool:
    # Read from the header: some refusals happen before HtmxMiddleware has run.
    return request.headers.get("HX-Request") == "true"


def respond(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The answer to a refused request: the message region under htmx, else a full page."""
    context: dict[str, Any] = {"messages": [Notice(message, "error")]}
    if is_htmx(request):
        response = render(request, "base.html#messages", context, status=status)
        return reswap(retarget(response, "#messages"), "outerHTML")
    context["back"] = _back_url(request)
    return render(request, "refused.html", context, status=status)


def _back_url(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if allowed else "/"


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Refused):
            return respond(request, exception.message, exception.status)
        if isinstance(exception, Http404) and is_htmx(request):
            # Under DEBUG, Django answers Http404 with its technical page and never calls
            # handler404: an htmx request would get that page instead of the message.
            return not_found(request, exception)
        return None


# PostgreSQL refuses NUL in text ("A string literal cannot contain NUL") and UTF-8 cannot
# encode a lone surrogate; both can arrive in a query string or a form, or through JSON
# escapes ("\u0000", "\ud800") in an uploaded file (articles.ingest checks those).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnstorableCharacterMiddleware:
    """Refuse (400) a request whose GET or POST names or values hold a NUL or a surrogate.

    No form of the app accepts them (Django's CharField refuses NUL too), but not every
    parameter goes through one of ours: the Django admin's filters and search put them
    straight into SQL, which PostgreSQL answered with a 500. Uploaded files are not
    parameters: their content is checked where it is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for parameters in (request.GET, request.POST):
            for name, values in parameters.lists():
                if any(UNSTORABLE.search(text) for text in (name, *values)):
                    message = _(
                        "The request contains characters that are not valid text "
                        "(a NUL byte or an unpaired surrogate), so nothing was done."
                    )
                    return respond(request, message, 400)
        return self.get_response(request)


# Django's own refusals (ROOT_URLCONF's handler400/403/404, CSRF_FAILURE_VIEW). Plain
# requests keep their full pages; htmx requests get the message region like a Refused.


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _django_refusal(request, "400.html", _("The request could not be read."), 400)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    default = _("Your role does not allow this page. Ask an admin if you need access.")
    return _django_refusal(request, "403.html", str(exception) or default, 403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _("There is nothing here, or it is not yours to see.")
    return _django_refusal(request, "404.html", message, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _("The page had expired, so nothing was changed. Reload it and try again.")
    return _django_refusal(request, "403_csrf.html", message, 403)


def _django_refusal(request: HttpRequest, template: str, message: str, status: int) -> HttpResponse:
    if is_htmx(request):
        return respond(request, message, status)
    return render(request, template, {"message": message}, status=status)


# A database that cannot answer (restarting, failing over, a connection cut, a deadlock
# or timeout that rolled the transaction back) is a passing state, not a server fault: the
# request made no change, and sending it again is safe (actions carry their action id,
# which the server applies once). app.js retries such answers.
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """ROOT_URLCONF's handler500: 503 with Retry-After when the database could not answer,
    else Django's own 500 page (templates/500.html)."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: context processors would query the database again.
    message = _("The database is not answering; nothing was saved yet. Try again in a moment.")
    if is_htmx(request):
        content = render_to_string("base.html#messages", {"messages": [Notice(message, "error")]})
    else:
        content = render_to_string("503.html", {"message": message})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
