from django.contrib.auth import views as auth_views
from django.urls import path

from dashboard.views import auth

urlpatterns = [
    path("auth/login/", auth.LoginView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "auth/password/change/",
        auth_views.PasswordChangeView.as_view(template_name="auth/password_change.html"),
        name="password_change",
    ),
    path(
        "auth/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="auth/password_change_done.html"),
        name="password_change_done",
    ),
]
