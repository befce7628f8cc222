from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .roles import Role, has_role


@require_GET
def home(request):
    context = {}
    if has_role(request.user, Role.ANALYST):
        # Progress through the analyst's queue (assignments live in the annotations app).
        context["progress"] = request.user.assignments.aggregate(
            total=Count("id"),
            done=Count("id", filter=Q(status__in=["submitted", "approved"])),
        )
    return render(request, "accounts/home.html", context)
