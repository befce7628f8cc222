from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.export_page, name="index"),
    path("download/", views.download, name="download"),
    path("import/", views.import_spans, name="import"),
]
