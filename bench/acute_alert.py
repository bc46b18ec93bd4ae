"""Benchmark: from the risky save to the urgent alert (run by hand, never in the suite).

    python bench/acute_alert.py [--runs 20] [--database-url URL] [--broker-url URL]

SPEC §8b: the save of the safety step that first shows acute risk alerts the on-call
clinicians at once. For each run a new person fills the steps before the safety questions
through the real views (Django's test client, in process), then saves the safety step with
C-SSRS intent; the script times, from just before that POST:
  - outbox: the urgent row committed (the POST has returned: the row is written in the
    save's own transaction, and handed to the broker on commit);
  - e-mail: the message received by a local SMTP server from a real Celery worker
    (tests/workers.py) listening on the "urgent" queue, as in production.
Creates its own database (default postgres://postgres@127.0.0.1:5432/iop_bench_alert) and
uses Redis db 14 unless told otherwise. Results go into docs/performance.md by hand.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iop_bench_alert"
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    admin = psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432,
                            user=config["USER"], password=config["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    with admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                             [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


class SMTPSink:
    """A local SMTP server that notes when each message arrives."""

    def __init__(self):
        import smtpd  # ships with Python 3.11 (deprecated, enough for a local sink)

        arrivals = self.arrivals = []

        class Server(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                arrivals.append((time.perf_counter(), data))

        self.server = Server(("127.0.0.1", 0), None, decode_data=True)
        self.port = self.server.socket.getsockname()[1]

    def __enter__(self):
        import asyncore

        self.thread = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.01},
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.close()
        self.thread.join(timeout=5)


def one_run(number: int, sink: SMTPSink) -> tuple[float, float]:
    from django.test import Client
    from django.urls import reverse

    from accounts.services import user_create_with_role
    from intake.models import Intake
    from review.models import Notification
    from tests.factories import HIGH_SUICIDE_RISK
    from tests.factories import answers as complete_answers
    from tests.intake.helpers import fill_steps, step_data

    stamp = f"{os.getpid()}-{number}-{time.time_ns()}"
    person = user_create_with_role(email=f"bench-{stamp}@example.org", full_name="Bench Person",
                                   password=None, role="patient")
    client = Client()
    client.force_login(person)
    client.post(reverse("intake:start"))
    intake = Intake.objects.get(patient=person)
    fill_steps(client, intake.pk, complete_answers(), upto="contact")
    before = len(sink.arrivals)
    data = step_data("safety", complete_answers(**HIGH_SUICIDE_RISK))

    start = time.perf_counter()
    response = client.post(reverse("intake:step", args=[intake.pk, "safety"]), data)
    committed = time.perf_counter()
    assert response.status_code == 302, response.status_code
    assert Notification.objects.filter(intake=intake, kind="urgent").count() == 1
    deadline = start + 60
    while len(sink.arrivals) == before and time.perf_counter() < deadline:
        time.sleep(0.002)
    if len(sink.arrivals) == before:
        raise SystemExit("no e-mail within 60 s: is the worker running?")
    mailed = sink.arrivals[before][0]
    return (committed - start) * 1000, (mailed - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER)
    args = parser.parse_args()

    ensure_database(args.database_url)
    sink = SMTPSink()
    os.environ.update({
        "DATABASE_URL": args.database_url, "CELERY_BROKER_URL": args.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0", "DJANGO_SETTINGS_MODULE": "iop.settings",
        "LOG_LEVEL": "WARNING", "DEBUG": "0",
        # The worker, started from this environment, sends real SMTP to the sink.
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port), "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from accounts.models import User
    from accounts.services import user_create_with_role
    from tests.workers import celery_worker

    if not User.objects.filter(email="bench-oncall@example.org").exists():
        user_create_with_role(email="bench-oncall@example.org", full_name="Bench On Call",
                              password=None, role="clinician", on_call=True)

    with sink, celery_worker("urgent"):
        time.sleep(3)  # the worker connects to the broker
        one_run(0, sink)  # warm-up: imports, first connections
        results = [one_run(n, sink) for n in range(1, args.runs + 1)]
    outbox = sorted(r[0] for r in results)
    mailed = sorted(r[1] for r in results)
    for name, values in (("risky save -> urgent row committed in the outbox", outbox),
                         ("risky save -> e-mail received (real worker, SMTP)", mailed)):
        print(f"{name}: median {statistics.median(values):.0f} ms, "
              f"p90 {values[int(0.9 * (len(values) - 1))]:.0f} ms, "
              f"max {values[-1]:.0f} ms over {len(values)} runs")


if __name__ == "__main__":
    main()
