"""The suite runs against the real services it claims to: PostgreSQL and a Redis broker."""

import os
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.workers import celery_worker

ROOT = Path(__file__).resolve().parents[2]


def test_it_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"


def test_it_uses_a_real_redis_broker():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).ping()


@pytest.mark.worker
def test_it_runs_a_task_on_a_real_worker():
    from iop.celery import app

    queue = f"test-ping-{os.getpid()}"
    with celery_worker(queue) as result:
        assert result(app.send_task("iop.ping", queue=queue).id) == "pong"
