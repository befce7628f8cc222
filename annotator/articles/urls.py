from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
]
