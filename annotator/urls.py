from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("annotator.accounts.urls")),
    path("articles/", include("annotator.articles.urls")),
    path("annotate/", include("annotator.annotations.urls")),
    path("review/", include("annotator.review.urls")),
    path("exports/", include("annotator.exports.urls")),
    path("admin/", admin.site.urls),
]
