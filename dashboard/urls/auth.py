from django.urls import include, path

from dashboard.views import auth

# Sign-up, log-in, password, email addresses, two factors, sessions and social log-in are
# django-allauth's pages under /auth/; the product's own come first (the confirmation page
# names the workspace an invited sign-up joins).
urlpatterns = [
    path("auth/confirm-email/<str:key>/", auth.ConfirmEmailView.as_view(), name="account_confirm_email"),
    path("auth/email/resend/", auth.resend_confirmation, name="resend_confirmation"),
    path("auth/", include("dashboard.urls.allauth_pages")),
]
