from django.urls import path

from . import views

# The article list, with the state of the work on each, is annotations:articles.
app_name = "articles"
urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/original/", views.original_file, name="original"),
]
