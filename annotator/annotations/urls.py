from django.urls import include, path

from . import manage_views, views

app_name = "annotations"
urlpatterns = [
    # The article list shows the work on each article, so it lives here, at /articles/.
    path("articles/", views.article_list, name="articles"),
    path(
        "annotate/",
        include(
            [
                path("", views.queue, name="queue"),
                path("next/", views.next_article, name="next"),
                path("take/", views.take, name="take"),
                path("assign/", views.assign, name="assign"),
                path("<int:assignment_id>/", views.annotate, name="annotate"),
                path("<int:assignment_id>/spans/", views.span_create, name="span_create"),
                # Which span: a field of the form (SpanActionForm).
                path("<int:assignment_id>/spans/delete/", views.span_delete, name="span_delete"),
                path("<int:assignment_id>/spans/relabel/", views.span_relabel, name="span_relabel"),
                # GET: the span's attribute panel; POST: save its values.
                path(
                    "<int:assignment_id>/spans/attributes/",
                    views.span_attributes,
                    name="span_attributes",
                ),
                # Which suggestion (or label, for all of its suggestions): a form field.
                path(
                    "<int:assignment_id>/suggestions/accept/",
                    views.suggestion_accept,
                    name="suggestion_accept",
                ),
                path(
                    "<int:assignment_id>/suggestions/reject/",
                    views.suggestion_reject,
                    name="suggestion_reject",
                ),
                path(
                    "<int:assignment_id>/suggestions/accept-label/",
                    views.suggestion_accept_label,
                    name="suggestion_accept_label",
                ),
                path("<int:assignment_id>/undo/", views.undo, name="undo"),
                path("<int:assignment_id>/submit/", views.submit, name="submit"),
            ]
        ),
    ),
    # The administration pages (people are managed under /manage/users/, in accounts).
    path(
        "manage/",
        include(
            [
                path("", manage_views.overview, name="manage"),
                path("labels/", manage_views.label_list, name="labels"),
                path("labels/new/", manage_views.label_create, name="label_create"),
                path("labels/<int:pk>/", manage_views.label_edit, name="label_edit"),
                path("labels/<int:pk>/active/", manage_views.label_active, name="label_active"),
                # A label's attributes; an attribute's and a choice's own URLs name them alone.
                path("labels/<int:pk>/attributes/", manage_views.attribute_list, name="attributes"),
                path(
                    "labels/<int:pk>/attributes/new/",
                    manage_views.attribute_create,
                    name="attribute_create",
                ),
                path("attributes/<int:pk>/", manage_views.attribute_edit, name="attribute_edit"),
                path(
                    "attributes/<int:pk>/active/",
                    manage_views.attribute_active,
                    name="attribute_active",
                ),
                path(
                    "attributes/<int:pk>/delete/",
                    manage_views.attribute_delete,
                    name="attribute_delete",
                ),
                path(
                    "attributes/<int:pk>/choices/new/",
                    manage_views.choice_create,
                    name="choice_create",
                ),
                path("choices/<int:pk>/", manage_views.choice_edit, name="choice_edit"),
                path("choices/<int:pk>/active/", manage_views.choice_active, name="choice_active"),
                path("choices/<int:pk>/delete/", manage_views.choice_delete, name="choice_delete"),
                path("workflow/", manage_views.workflow, name="workflow"),
            ]
        ),
    ),
]
