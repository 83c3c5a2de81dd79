"""Waiting for another process (a Celery worker, a server) to get somewhere: the one polling loop of the tests.

Another process runs at its own pace and on its own clock, so a test cannot freeze it; it polls
what that process leaves behind (rows, answers) until a bounded timeout. time.monotonic is not
moved by time_machine, so the timeout holds inside a frozen test too.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float = 30.0, interval: float = 0.1, what: str = "") -> T:
    """Call `condition()` until it returns something true, and return that.

    Fails with an AssertionError naming what was awaited (`what`, else the condition's name or
    source line) once `timeout` seconds have passed. An exception raised by the condition (a worker
    that exited, say) ends the wait at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what or _describe(condition)}, in vain")
        time.sleep(interval)


def _describe(condition: Callable) -> str:
    name = getattr(condition, "__name__", "")
    if name and name != "<lambda>":
        return f"{name}()"
    try:
        line = inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)
    return line[line.find("lambda"):] if "lambda" in line else line
