"""What can be abused is rate limited (memory by default, Redis when REDIS_URL is set)."""
import os

import pytest
import redis as redis_client

from participation import create_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def _app(storage):
    return create_app("testing", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage, RATELIMIT_KEY_PREFIX="test-lidzdaliba")


def _hammer_reset(app, times):
    client = app.test_client()
    return [client.post("/account/reset", data={"email": "not-an-address"}).status_code for _ in range(times)]


def test_password_reset_requests_are_limited():
    codes = _hammer_reset(_app("memory://"), 7)
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]


def test_limits_are_shared_through_redis():
    try:
        redis_client.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis_client.exceptions.ConnectionError:
        if os.environ.get("LIDZDALIBA_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required here but does not answer at 127.0.0.1:6379")
        pytest.skip("Redis is not running here (required in CI)")
    redis_client.Redis.from_url(REDIS_URL).flushdb()
    first, second = _app(REDIS_URL), _app(REDIS_URL)
    assert _hammer_reset(first, 3) == [400] * 3
    assert _hammer_reset(second, 3) == [400, 400, 429]  # the second process sees the first one's attempts
