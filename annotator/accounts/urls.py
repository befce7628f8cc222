from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    # The administration pages for people (the rest of /manage/ is annotations').
    path(
        "manage/users/",
        include(
            [
                path("", views.user_list, name="users"),
                path("new/", views.user_create, name="user_create"),
                path("<int:pk>/", views.user_edit, name="user_edit"),
                path("<int:pk>/active/", views.user_active, name="user_active"),
            ]
        ),
    ),
]
