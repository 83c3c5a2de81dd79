"""The simulated users of bench/load.py (a locustfile; locust imports it, not Django).

Each user logs in through the login form found at the site's login address
(its fields read from the page, so a change of login form needs no change
here), then goes round: home, one of its subjects, that subject's chart data,
a new activity through the activity form, and "what changed". Every request
is named by its page, so that locust reports times per page. Anything but the
expected answer is counted as an error.

bench/load.py passes, in the environment: LOAD_USERS_FILE (a JSON list of
{"email", "password", "subjects": [ids]}) and LOAD_LOGIN_PATH.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import threading
from html.parser import HTMLParser
from urllib.parse import urljoin

from locust import HttpUser, between, task

_accounts = json.loads(open(os.environ["LOAD_USERS_FILE"]).read())
_next_account = itertools.count()
_lock = threading.Lock()
LOGIN_PATH = os.environ.get("LOAD_LOGIN_PATH", "/auth/login/")


class Forms(HTMLParser):
    """The forms of a page: each one's action, method and inputs (name, type, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "inputs": []})
        elif tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else tag).lower()
            self.forms[-1]["inputs"].append((a["name"], kind, a.get("value", "")))


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def login_fields(form: dict, email: str, password: str) -> dict[str, str]:
    """The login form filled in: hidden fields as they are, the password, and the one text-like field for the email."""
    data: dict[str, str] = {}
    for name, kind, value in form["inputs"]:
        if kind == "hidden":
            data[name] = value
        elif kind == "password":
            data[name] = password
        elif kind in ("email", "text") or name in ("username", "login", "email"):
            data[name] = email
    return data


class Reader(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        with _lock:
            me = _accounts[next(_next_account) % len(_accounts)]
        self.subjects = me["subjects"]
        page = self.client.get(LOGIN_PATH, name="login form")
        form = next((f for f in forms_of(page.text) if any(k == "password" for _, k, _ in f["inputs"])), None)
        if form is None:
            raise RuntimeError(f"no login form at {LOGIN_PATH}")
        action = urljoin(page.url, form["action"] or page.url)
        with self.client.post(
            action, data=login_fields(form, me["email"], me["password"]), name="log in",
            headers={"Referer": page.url}, allow_redirects=False, catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"log in answered {answer.status_code}, not a redirect")

    def _get(self, url: str, name: str, expect: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{name} answered {answer.status_code}")
            elif "/auth/" in answer.url and "login" in answer.url:
                answer.failure(f"{name} sent back to the login page")
            elif expect and expect not in answer.text:
                answer.failure(f"{name} lacks {expect!r}")
            return answer.text

    @task
    def round(self) -> None:
        subject = random.choice(self.subjects)
        self._get("/", "home")
        self._get(f"/subjects/{subject}/", "subject", expect='id="accounts"')
        self._get(f"/subjects/{subject}/series.json?range=1y", "chart data", expect='"days"')
        self._add_activity(subject)
        self._get(f"/subjects/{subject}/changes/", "what changed")

    def _add_activity(self, subject: int) -> None:
        url = f"/subjects/{subject}/activities/new/?kind=talk"
        page = self._get(url, "activity form", expect='name="title"')
        posted = [f for f in forms_of(page) if f["method"] == "post"]
        form = next((f for f in posted if any(name == "title" for name, _, _ in f["inputs"])), None)
        if form is None:  # counted as the activity form's failure above
            return
        data = {name: value for name, kind, value in form["inputs"] if kind == "hidden"}
        data.update(kind="talk", title=f"Load talk {random.randrange(10**6)}", date=dt.date.today().isoformat(),
                    audience=str(random.randrange(20, 400)))
        with self.client.post(
            urljoin(self.host + url, form["action"] or url), data=data, name="add activity",
            headers={"Referer": self.host + url}, allow_redirects=False, catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"add activity answered {answer.status_code}, not a redirect")
