"""A local HTTP server playing GitHub's or Google's OAuth 2 endpoints, for the social login tests.

It answers like the real provider, with its paths:

- GitHub: `GET /login/oauth/authorize` (the person says yes: a redirect back with a code),
  `POST /login/oauth/access_token`, `GET /api/v3/user` and `GET /api/v3/user/emails`
  (GitHub Enterprise's layout, which allauth's `GITHUB_URL` setting uses);
- Google: `GET /o/oauth2/v2/auth`, `POST /token` (with an OpenID Connect `id_token`) and
  `GET /oauth2/v2/userinfo`.

The token endpoint checks the client's id and secret, the code it issued (once) and the
redirect address, and for PKCE the verifier against the challenge, as the provider would;
the API answers only the access token it issued. `person` is who signs in at the provider.

    with FakeOAuthProvider("github", client_id="id", client_secret="secret") as provider:
        provider.person = OAuthPerson(uid="42", email="ada@example.com", verified=True)
        point_provider_at(monkeypatch, provider)
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass
class OAuthPerson:
    uid: str
    email: str
    verified: bool = True
    name: str = "Ada Lovelace"
    login: str = "ada"


@dataclass
class _Grant:
    redirect_uri: str
    challenge: str | None
    method: str | None


class FakeOAuthProvider:
    def __init__(self, kind: str, client_id: str, client_secret: str) -> None:
        assert kind in ("github", "google")
        self.kind = kind
        self.client_id = client_id
        self.client_secret = client_secret
        self.person = OAuthPerson(uid="1", email="someone@example.com")
        self.grants: dict[str, _Grant] = {}
        self.tokens: set[str] = set()
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, status: int, body: object | None = None, location: str | None = None) -> None:
                raw = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                parts = urlsplit(self.path)
                with provider._lock:
                    provider.requests.append(("GET", parts.path))
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path in ("/login/oauth/authorize", "/o/oauth2/v2/auth"):
                    status, body, location = provider._authorize(query)
                    return self._answer(status, body, location)
                token = (self.headers.get("Authorization") or "").split(" ")[-1]
                if token not in provider.tokens:
                    return self._answer(401, {"message": "Bad credentials"})
                answer = provider._api(parts.path)
                return self._answer(200, answer) if answer is not None else self._answer(404, {"message": "Not Found"})

            def do_POST(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                with provider._lock:
                    provider.requests.append(("POST", parts.path))
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if parts.path in ("/login/oauth/access_token", "/token"):
                    status, body = provider._token(form)
                    return self._answer(status, body)
                return self._answer(404, {"message": "Not Found"})

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # The endpoints.

    def _authorize(self, query: dict[str, str]) -> tuple[int, object | None, str | None]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}, None
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.endswith(f"/{self.kind}/login/callback/"):
            return 400, {"error": "redirect_uri_mismatch"}, None
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.grants[code] = _Grant(redirect_uri, query.get("code_challenge"), query.get("code_challenge_method"))
        return 302, None, f"{redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def _token(self, form: dict[str, str]) -> tuple[int, object]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        if grant.challenge:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (digest if grant.method == "S256" else verifier) != grant.challenge:
                return 400, {"error": "invalid_grant", "error_description": "code_verifier"}
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self.tokens.add(access_token)
        body: dict[str, object] = {"access_token": access_token, "token_type": "bearer"}
        if self.kind == "google":
            body.update(expires_in=3599, scope="openid email profile", id_token=self._id_token())
        else:
            body["scope"] = "read:user,user:email"
        return 200, body

    def _id_token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": GOOGLE_ISSUER,
            "aud": self.client_id,
            "sub": self.person.uid,
            "email": self.person.email,
            "email_verified": self.person.verified,
            "name": self.person.name,
            "iat": now,
            "exp": now + 3600,
            "jti": secrets.token_hex(8),
        }
        # Received straight from the token endpoint, the token's signature is not checked (OpenID
        # Connect Core 3.1.3.7): any key does here.
        return jwt.encode(claims, "a-fake-google-signing-key-of-32-bytes!", algorithm="HS256")

    def _api(self, path: str) -> object | None:
        person = self.person
        if self.kind == "github" and path == "/api/v3/user":
            return {"id": int(person.uid), "login": person.login, "name": person.name, "email": None}
        if self.kind == "github" and path == "/api/v3/user/emails":
            return [{"email": person.email, "primary": True, "verified": person.verified, "visibility": "private"}]
        if self.kind == "google" and path == "/oauth2/v2/userinfo":
            return {"id": person.uid, "email": person.email, "verified_email": person.verified, "name": person.name}
        return None

    def start(self) -> FakeOAuthProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeOAuthProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def point_provider_at(monkeypatch, provider: FakeOAuthProvider) -> None:
    """Send allauth's adapter for the provider to the local server. allauth reads these addresses
    from settings (`GITHUB_URL`; Google's `AUTHORIZE_URL`, `ACCESS_TOKEN_URL`, `IDENTITY_URL`) once,
    when the provider's views are imported, so a test sets them on the adapter class instead."""
    if provider.kind == "github":
        from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter

        adapter: type = GitHubOAuth2Adapter
        urls = {
            "authorize_url": "/login/oauth/authorize",
            "access_token_url": "/login/oauth/access_token",
            "profile_url": "/api/v3/user",
            "emails_url": "/api/v3/user/emails",
        }
    else:
        from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter

        adapter = GoogleOAuth2Adapter
        urls = {
            "authorize_url": "/o/oauth2/v2/auth",
            "access_token_url": "/token",
            "identity_url": "/oauth2/v2/userinfo",
        }
    for attribute, path in urls.items():
        monkeypatch.setattr(adapter, attribute, provider.url + path)
