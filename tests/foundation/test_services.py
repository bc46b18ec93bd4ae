"""The suite runs against the real services it claims to: PostgreSQL and a Redis broker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from celery.backends.redis import RedisBackend
from celery.result import AsyncResult
from django.conf import settings
from django.db import connection

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

    env = {**os.environ, "CELERY_RESULT_BACKEND": settings.CELERY_BROKER_URL}
    queue = f"test-ping-{os.getpid()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "iop", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-heartbeat", "--without-gossip",
         "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    # The app's own result backend is cached once any test touches it, so the result is
    # read through an explicit Redis backend, the one the worker writes to.
    backend = RedisBackend(app=app, url=settings.CELERY_BROKER_URL)
    try:
        task_id = app.send_task("iop.ping", queue=queue).id
        assert AsyncResult(task_id, backend=backend, app=app).get(timeout=60) == "pong"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
