from django.urls import path

from . import views

app_name = "agreement"
urlpatterns = [
    path("", views.agreement_page, name="index"),
    path("articles/<int:pk>/", views.article_compare, name="compare"),
]
