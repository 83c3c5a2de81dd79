"""`Authorization: Bearer <token>`: a personal access token, found by its secret's hash."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from influence.apitokens import tokens

KEYWORD = b"bearer"


class AccessTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # no token: the permission check answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as “Authorization: Bearer <token>”.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Unknown access token.") from None
        try:
            token = tokens.find_token(secret)
        except tokens.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.user, token

    def authenticate_header(self, request):
        # Makes refusals 401 (with this challenge) rather than 403.
        return 'Bearer realm="api"'


class AccessTokenScheme(OpenApiAuthenticationExtension):
    """How the schema (and the docs' "Authorize" button) describe the token."""

    target_class = AccessTokenAuthentication
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token created on the settings page (/settings/).",
        }
