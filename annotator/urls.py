from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts.forms import AdminLoginForm
from .api.api import urls as api_urls

# /admin/login/ is open to anyone, like /login/: its username is bounded the same way.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("annotator.accounts.urls")),
    path("articles/", include("annotator.articles.urls")),
    # /articles/ itself (the list with the work on each article) and /annotate/.
    path("", include("annotator.annotations.urls")),
    path("review/", include("annotator.review.urls")),
    path("agreement/", include("annotator.agreement.urls")),
    path("exports/", include("annotator.exports.urls")),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]

# Under htmx, Django's own refusals answer like any other (annotator.refusal).
handler400 = "annotator.refusal.bad_request"
handler403 = "annotator.refusal.forbidden"
handler404 = "annotator.refusal.not_found"
# A database that cannot answer gets 503 and Retry-After; anything else the 500 page.
handler500 = "annotator.refusal.server_error"
