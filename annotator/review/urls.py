from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views.queue_list, name="queue"),
    path("start/", views.start, name="start"),
    path("items/<int:assignment_id>/", views.item, name="item"),
    path("items/<int:assignment_id>/spans/<int:span_id>/decide/", views.decide, name="decide"),
    path(
        "items/<int:assignment_id>/spans/<int:span_id>/attributes/",
        views.span_attributes,
        name="span_attributes",
    ),
    path("items/<int:assignment_id>/spans/add/", views.add_span, name="add_span"),
    path("items/<int:assignment_id>/approve-all/", views.approve_all, name="approve_all"),
    path("items/<int:assignment_id>/approve/", views.approve, name="approve"),
    path("items/<int:assignment_id>/return/", views.return_item, name="return"),
    path("items/<int:assignment_id>/release/", views.release, name="release"),
]
