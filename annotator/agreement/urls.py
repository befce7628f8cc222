from django.urls import path

from . import gold_views, views

app_name = "agreement"
urlpatterns = [
    path("", views.agreement_page, name="index"),
    path("articles/<int:pk>/", views.article_compare, name="compare"),
    path("gold/", gold_views.gold_queue, name="gold_queue"),
    path("gold/start/", gold_views.gold_start, name="gold_start"),
    path("gold/<int:pk>/", gold_views.gold_page, name="gold"),
    path("gold/<int:pk>/<slug:action>/", gold_views.gold_action, name="gold_action"),
    path("gold/<int:pk>/values/<int:gold_id>/", gold_views.gold_values, name="gold_values"),
]
