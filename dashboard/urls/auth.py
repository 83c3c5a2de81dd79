from django.urls import path

from dashboard.views import auth

# Sign-up, log-in, password and email pages are django-allauth's, under /auth/ (influence/urls.py).
urlpatterns = [
    path("auth/email/resend/", auth.resend_confirmation, name="resend_confirmation"),
]
