"""The app's URLs plus the floor the bench compares against: a view that does nothing.

It sits behind the same middleware (sessions, CSRF, LoginRequiredMiddleware, CSP, axes...)
as every app view, loads the logged-in user as they do, and writes nothing, so the gap
between it and a real endpoint is what that endpoint's own work costs.
"""

from django.http import HttpResponse
from django.urls import include, path

# The app's error handlers answer here as they do in the app (they are read from the root
# URLconf only): refusals, and 503 while the database does not answer.
from annotator.urls import handler400, handler403, handler404, handler500  # noqa: F401


def bare(request):
    # request.user is already loaded by LoginRequiredMiddleware (login is required here too).
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("annotator.urls")),
]
