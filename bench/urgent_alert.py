"""Benchmark: from an urgent submit to the alert in the outbox and to the e-mail delivered,
with a real Celery worker and a real SMTP server (run by hand, never in the suite).

    CELERY_BROKER_URL=redis://127.0.0.1:6379/N python bench/urgent_alert.py [--runs 20]
        [--database-url URL]

Creates its own PostgreSQL database (default .../iop_bench_urgent_alert) and refuses one that
already exists (it may be someone else's), migrates it, puts one clinician on call, starts a local SMTP server and `celery worker` on
the default queue, then submits `--runs` urgent intakes one after another, timing for each:
the submit (the intake, its recommendation and the urgent alert's outbox rows committed in
one transaction, and the task handed to the broker), and the time until the SMTP server has
the on-call clinician's alert. Results go into docs/performance.md ("Urgent alerts") by hand.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iop_bench_urgent_alert"


class SMTPSink:
    """A local SMTP server keeping (recipients, message, arrival time) of each mail."""

    def __init__(self):
        import asyncore  # noqa: F401 - smtpd's loop; both ship with Python 3.11
        import smtpd
        import warnings

        warnings.filterwarnings("ignore", category=DeprecationWarning)
        received = self.received = []

        class Server(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                received.append((rcpttos, data, time.perf_counter()))

        self.server = Server(("127.0.0.1", 0), None, decode_data=True)
        self.port = self.server.socket.getsockname()[1]

    def start(self):
        import asyncore
        import threading

        threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.05}, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.exit("Set CELERY_BROKER_URL to a Redis database of your own.")

    from bench.replay import _admin_connection, drop_database

    admin, name = _admin_connection(args.database_url)
    with admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            sys.exit(f"database {name} exists: drop it, or pass --database-url of a new one")
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        measure(args)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        drop_database(args.database_url)


def measure(args) -> None:
    sink = SMTPSink()
    sink.start()
    os.environ.update({"DATABASE_URL": args.database_url, "CELERY_TASK_ALWAYS_EAGER": "0",
                       "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port),
                       "EMAIL_USE_TLS": "0", "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
                       "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "iop.settings"})
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.services import user_create_with_role
    from intake.models import Intake
    from intake.services import intake_submit
    from intake.steps import STEPS
    from oncall.models import Shift
    from tests.factories import HIGH_SUICIDE_RISK, answers

    call_command("migrate", verbosity=0)
    clinician = user_create_with_role(email="bench-oncall@example.org", full_name="On Call",
                                      password="x" * 16, role="clinician")
    Shift.objects.create(clinician=clinician, starts_at=timezone.now() - timedelta(hours=1),
                         ends_at=timezone.now() + timedelta(hours=2))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "iop", "worker", "--pool=solo",
         "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "--loglevel=WARNING"], cwd=ROOT, env=os.environ.copy(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)  # the worker's start-up is not what is measured
        to_outbox, to_mail = [], []
        for run in range(args.runs):
            patient = user_create_with_role(email=f"bench-patient-{run}-{time.time_ns()}"
                                                  "@example.org", full_name="Bench Patient",
                                            password="x" * 16, role="patient")
            draft = Intake.objects.create(patient=patient, answers=answers(**HIGH_SUICIDE_RISK),
                                          steps_done=[step.slug for step in STEPS])
            start = time.perf_counter()
            intake_submit(intake=draft, signature_name="Bench Patient")
            to_outbox.append(time.perf_counter() - start)
            link = f"/review/intakes/{draft.pk}/"
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline:
                arrived = [at for to, data, at in sink.received
                           if link in data and "URGENT" in data and clinician.email in to]
                if arrived:
                    to_mail.append(arrived[0] - start)
                    break
                time.sleep(0.005)
            else:
                sys.exit(f"run {run}: no alert mail within 30 s")
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    def ms(values, fraction):
        ordered = sorted(values)
        return 1000 * ordered[max(int(round(fraction * len(ordered))) - 1, 0)]

    print(f"\n{args.runs} urgent submits, one worker (solo pool), local SMTP")
    print("| step | median ms | 90th percentile ms |\n| --- | --- | --- |")
    print(f"| submit committed, alert in the outbox | {1000 * statistics.median(to_outbox):.1f} "
          f"| {ms(to_outbox, 0.9):.1f} |")
    print(f"| submit to the alert mail delivered | {1000 * statistics.median(to_mail):.1f} "
          f"| {ms(to_mail, 0.9):.1f} |")


if __name__ == "__main__":
    main()
