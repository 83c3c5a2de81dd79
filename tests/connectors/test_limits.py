"""Bounded answers: a byte cap counted after decompression, and one deadline for the whole request."""

import gzip
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from influence.connectors import BadResponse, TemporaryError, get_connector
from influence.core.choices import AccountStatus, Network
from tests.connectors.conftest import stored_bytes
from tests.factories import AccountFactory

ROOT = Path(__file__).resolve().parents[2]
BOMB_ZEROS = 1 << 30  # 1 GiB of zeros once inflated
MB = 1_000_000


def gzip_bomb(size: int = BOMB_ZEROS) -> bytes:
    """A valid gzip member of `size` zeros (about 1 MB for 1 GiB), built without holding the zeros.

    After a full flush the deflate stream is byte-aligned and every further
    mebibyte of zeros compresses to the same bytes, so one block is repeated.
    """
    step = 1 << 20
    zeros = bytes(step)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // step):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = crc.to_bytes(4, "little") + (size % (1 << 32)).to_bytes(4, "little")
    return header + first + repeated * (size // step - 1) + deflate.flush() + trailer


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb()


def test_the_bomb_is_small_and_inflates_to_zeros(bomb):
    assert len(bomb) < 1.1 * MB
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
    assert inflater.decompress(bomb[:20_000], 5 * MB) == bytes(5 * MB)
    small = gzip_bomb(4 << 20)
    assert gzip.decompress(small) == bytes(4 << 20)


# The child process: Django set up, one small fetch to load every module, then the bomb.
CHILD = """
import json, resource, sys
import django
django.setup()
from influence.collection.runner import fetch
from influence.connectors import ConnectorError

fetch("rss", sys.argv[1] + "/small.xml", "", {})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    fetch("rss", sys.argv[1] + "/bomb.xml", "", {})
    error = ""
except ConnectorError as exc:
    error = str(exc)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_kb": after - before, "error": error}))
"""


def test_a_gzip_bomb_fails_with_the_caps_message_and_the_process_stays_small(fake_api, bomb):
    fake_api.route("GET", "/small.xml", body=gzip.compress(stored_bytes("rss", "feed.xml")),
                   headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml")
    fake_api.route("GET", "/bomb.xml", body=bomb, headers={"Content-Encoding": "gzip"},
                   content_type="application/rss+xml")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="influence.settings", COLLECT_MAX_RESPONSE_BYTES=str(5 * MB),
               COLLECT_ALLOWED_PRIVATE_HOSTS="127.0.0.1:*")

    child = subprocess.run([sys.executable, "-c", CHILD, fake_api.url], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)

    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["error"] == "RSS: the answer was larger than 5 MB (127.0.0.1)."
    grew = result["grew_kb"] * 1024  # ru_maxrss is in KiB on Linux
    print(f"gzip bomb of {len(bomb)} bytes ({BOMB_ZEROS} inflated): the child grew by {grew / MB:.1f} MB")
    assert grew < 5 * MB + 50 * MB


def test_a_gzip_bomb_is_recorded_on_the_account_as_a_failed_collection(db, fake_api, bomb):
    from influence.collection.runner import collect_account

    fake_api.route("GET", "/bomb.xml", body=bomb, headers={"Content-Encoding": "gzip"})
    account = AccountFactory(network=Network.RSS, handle=f"{fake_api.url}/bomb.xml")

    outcome = collect_account(account.pk)

    account.refresh_from_db()
    assert outcome.result == "failed"
    assert account.last_error == "RSS: the answer was larger than 5 MB (127.0.0.1)."
    assert account.consecutive_failures == 1 and account.status == AccountStatus.OK
    assert not account.observations.exists()


def test_a_plain_answer_over_the_cap_is_refused_and_one_under_it_is_read(fake_api, settings):
    settings.COLLECT_MAX_RESPONSE_BYTES = 1000
    fake_api.route("GET", "/big.json", json={"pad": "x" * 2000})
    fake_api.route("GET", "/ok.json", json={"pad": "x" * 900})
    with pytest.raises(BadResponse, match="the answer was larger than 0.001 MB"):
        _get(fake_api, "/big.json")
    assert _get(fake_api, "/ok.json") == {"pad": "x" * 900}


def test_gzip_and_deflate_answers_are_read_decompressed(fake_api):
    body = json.dumps({"followers": 12}).encode()
    fake_api.route("GET", "/gzip.json", body=gzip.compress(body), headers={"Content-Encoding": "gzip"})
    fake_api.route("GET", "/deflate.json", body=zlib.compress(body), headers={"Content-Encoding": "deflate"})
    fake_api.route("GET", "/broken.json", body=b"\x1f\x8bnot gzip at all", headers={"Content-Encoding": "gzip"})
    fake_api.route("GET", "/brotli.json", body=b"??", headers={"Content-Encoding": "br"})
    assert _get(fake_api, "/gzip.json") == {"followers": 12}
    assert _get(fake_api, "/deflate.json") == {"followers": 12}
    with pytest.raises(BadResponse, match="a compressed answer that does not decompress"):
        _get(fake_api, "/broken.json")
    with pytest.raises(BadResponse, match="an answer encoded as “br”"):
        _get(fake_api, "/brotli.json")
    assert fake_api.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_a_server_that_drips_its_answer_misses_the_overall_deadline(fake_api, settings):
    settings.COLLECT_HTTP_TIMEOUT = 1
    fake_api.route("GET", "/drip.xml", body=b"x" * 100, drip=0.2)  # 20 s in all, each byte well within a read timeout
    started = time.monotonic()
    with pytest.raises(TemporaryError, match="RSS did not answer in time \\(127.0.0.1\\)."):
        get_connector("rss").fetch(f"{fake_api.url}/drip.xml")
    assert time.monotonic() - started < 2.5


def _get(api, path: str):
    """GET a JSON path of the fake API through a connector, as a feed address would be."""
    connector = get_connector("rss")
    with connector:
        return connector.get_json(f"{api.url}{path}")
