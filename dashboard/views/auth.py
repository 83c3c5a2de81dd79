"""Sign-up, log-in and password reset: the public side of accounts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from dashboard.forms.auth import LoginForm, ResetForm, SignUpForm

REDIRECT_FIELD = "next"


def safe_next(request: HttpRequest) -> str:
    """The `next` page asked for, when it is a path on this site; "" otherwise.

    Only a path (starting with /) is taken: redirect() would read any other text as
    the name of a view, and an unknown name is a server error.
    """
    target = request.POST.get(REDIRECT_FIELD) or request.GET.get(REDIRECT_FIELD) or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_not_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponseBase:
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    # The invitation page may pass the invited address along.
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except IntegrityError:
            # Another sign-up with the same email won the race since the form checked.
            form.add_error("email", "An account with this email already exists. Log in, or reset its password.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            workspace = user.current_workspace
            assert workspace is not None  # the form created it
            messages.success(request, f"Welcome! Your workspace “{workspace.name}” is ready.")
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "auth/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    # Django's LoginView is public already and passes the request to the form,
    # which the lock-out backend needs to count failures per address.
    template_name = "auth/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    # The same page and redirect follow whether or not the email has an account.
    form_class = ResetForm
    template_name = "auth/password_reset.html"
    subject_template_name = "auth/password_reset-subject.txt"
    email_template_name = "auth/password_reset-body.txt"
    html_email_template_name = "auth/password_reset-body.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "auth/password_reset_confirm.html"
