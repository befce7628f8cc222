"""The home page: where each role starts. It shows the analyst's own progress."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, has_role
from annotator.annotations.models import Assignment


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {}
    if has_role(request.user, Role.ANALYST):
        context["progress"] = Assignment.objects.filter(analyst=request.user).progress()
    return render(request, "home.html", context)
