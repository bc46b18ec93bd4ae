import pytest

from tests.review.test_queues import waiting_tasks


@pytest.fixture
def bulk_queue():
    """The test broker's "bulk" queue, empty before and after: what a page showing a snapshot
    asks of it (review/snapshots.py). Returns the names of the tasks waiting there."""
    from iop.celery import app

    def purge():
        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge("bulk")

    purge()
    yield lambda: waiting_tasks("bulk")
    purge()
