"""The request our views receive, as the type checker should see it.

Django hands every view a plain HttpRequest, whose `user` may be anonymous. Ours never see
an anonymous one: LoginRequiredMiddleware sends every visitor without a session to the
login page first, for every URL but that page. HtmxMiddleware has also set `request.htmx`.
Annotating a view's request with this class says both to mypy (django-stubs and django-htmx
document this pattern), so `request.user` goes to services that store it without a check
in every view. Nothing builds one at run time.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    user: "User"
    htmx: "HtmxDetails"
