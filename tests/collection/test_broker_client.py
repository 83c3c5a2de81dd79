"""The worker's Redis broker channel: one client object for its commands, rebuilt with its pool."""

import influence.worker  # noqa: F401  (what every worker imports)
from influence.celery import app


def test_a_broker_channel_reuses_one_client_until_its_pool_is_replaced():
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        first = channel._create_client()
        assert channel._create_client() is first
        # The shared client still runs commands, each on a connection from the pool.
        assert first.ping() is True
        with channel.conn_or_acquire() as client, client.pipeline() as pipe:
            pipe.ping().ping()
            assert pipe.execute() == [True, True]

        channel._pool = None  # what kombu does when it drops its connections
        rebuilt = channel._create_client()
        assert rebuilt is not first
        assert rebuilt.connection_pool is channel.pool
        assert rebuilt.ping() is True
        # The consumer's blocking client is still its own.
        assert channel._create_client(asynchronous=True) is not rebuilt
