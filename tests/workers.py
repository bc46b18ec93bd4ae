"""A real Celery worker in a child process, for the tests that must see one run a task."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from celery.backends.redis import RedisBackend
from celery.result import AsyncResult
from django.conf import settings
from django.db import connection as django_connection

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def celery_worker(queue: str, env: dict | None = None, *, purge_first: bool = False):
    """Run `celery worker` on its own queue against the test broker; yields a function
    that waits for a task's result. Results are stored in Redis for the test to read.

    `queue` may name several, comma separated ("urgent,mail"), as `celery worker -Q` takes
    them: the app's queues are "urgent", "mail", "default" and "bulk" (CELERY_TASK_ROUTES).

    `env` adds to (or overrides) the worker's environment; its database is this test's.

    `purge_first` empties the queues before the worker starts: for the app's own queues,
    where every earlier test's never-taken tasks (notifications, webhooks, mail whose rows are
    gone) wait, and a worker would work through them before the one the test waits for."""
    from iop.celery import app

    if purge_first:
        with app.connection_for_write() as connection:
            for name in queue.split(","):
                connection.default_channel.queue_purge(name)
    # The worker reads and writes this test's database (pytest-django's, not the configured
    # one), unless the test names another.
    db = django_connection.settings_dict
    environment = {**os.environ, "CELERY_RESULT_BACKEND": settings.CELERY_BROKER_URL,
                   "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                   **(env or {})}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "iop", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-heartbeat", "--without-gossip",
         "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    # The app's own result backend is cached once any test touches it, so results are read
    # through an explicit Redis backend, the one the worker writes to.
    backend = RedisBackend(app=app, url=settings.CELERY_BROKER_URL)

    def result(task_id: str, timeout: float = 60):
        return AsyncResult(task_id, backend=backend, app=app).get(timeout=timeout)

    result.process = worker  # a test that kills the worker mid-task (SIGKILL) reaches it here

    try:
        yield result
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
