"""API_RATE_LIMIT is checked at start-up: a rate the throttle could not read stops the process, naming it."""

import sys

from tests.test_settings import production_environment, run


def test_a_malformed_api_rate_limit_stops_start_up_naming_it():
    env = production_environment()
    env["API_RATE_LIMIT"] = "lots"
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: API_RATE_LIMIT must read like 600/min "
        "(a count per s, min, hour or day)."
    )


def test_a_well_formed_api_rate_limit_starts():
    env = production_environment()
    env["API_RATE_LIMIT"] = "30/second"
    assert run([sys.executable, "-c", "import django; django.setup()"], env).returncode == 0
