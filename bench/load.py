"""Benchmark: the app as users get it, under load (issue 19; run by hand).

    python bench/load.py [--users 20] [--think 0|1-3] [--run-time 60] [--max-requests 20000]
        [--database-url URL] [--broker-url URL] [--workers 3] [--worker-class gthread]
        [--threads 4] [--warm-up 20] [--port 8019]

Against a database seeded beforehand (`manage.py seed_intakes N --staff-password ...`, then
ANALYZE, which the command runs), it starts, on loopback only: gunicorn (gunicorn.conf.py's
workers, the app's settings plus a trivial page: bench/loadsite) and one Celery worker (with
beat), both on the given database and Redis; prepares what the traffic needs (signed-up
patients with a draft each, intakes in review to decide, an API token); runs locust headless
(bench/locustfile.py) bounded in time and in requests, after a warm-up whose timings are
dropped; stops what it started; and prints, per page, requests/s, p50, p95, p99, errors and
the ratio of its requests/s to the trivial view's in the same run.

Staff sign in without the second factor here (REQUIRE_2FA=0: a TOTP code per virtual
clinician would measure the bench), and sign-in's rate limits are off (one address signs
twenty people in at once). Everything else is the app as deployed, DEBUG off.
"""

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-load-password-19"  # noqa: S105  # nosec B105: bench accounts on loopback


SATURATION = [
    ("trivial", ["Clinician"], ["--tags", "trivial"]),
    ("queue", ["Clinician"], ["--tags", "queue"]),
    ("filtered", ["Clinician"], ["--tags", "filtered"]),
    ("search", ["Clinician"], ["--tags", "search"]),
    ("intake", ["Clinician"], ["--tags", "intake"]),
    ("decide", ["Clinician"], ["--tags", "decide"]),
    ("metrics", ["Clinician"], ["--tags", "metrics"]),
    ("response_times", ["Clinician"], ["--tags", "response_times"]),
    ("api", ["Clinician"], ["--tags", "api"]),
    ("trivial_patient", ["Patient"], ["--tags", "trivial_patient"]),
    ("step", ["Patient"], ["--tags", "step"]),
    ("sign_in", ["SigningIn"], ["--tags", "sign_in"]),
    # The machine drifts: the yardstick twice.
    ("trivial_again", ["Clinician"], ["--tags", "trivial"]),
]
PATIENT_PAGES = {"trivial view (patient)", "intake step submit"}


def prepare(patients: int, decides: int) -> dict:
    """The people and rows the traffic needs, made through the app's own services."""
    import django

    django.setup()
    from accounts.models import User
    from accounts.services import user_create_with_role
    from api.services import api_token_create
    from intake.models import Intake
    from intake.services import intake_start

    clinicians = list(User.objects.filter(groups__name="clinician",
                                          email__endswith="@bench.example.org")
                      .values_list("email", flat=True))
    if not clinicians:
        sys.exit("No seeded clinicians: run `manage.py seed_intakes N` first.")
    for user in User.objects.filter(email__in=clinicians):
        user.set_password(PASSWORD)
        user.email_confirmed_at = user.email_confirmed_at or user.date_joined
        user.save(update_fields=["password", "email_confirmed_at"])
    people = []
    seats = [_signed_in(User.objects.get(email=email)) for email in clinicians
             for _ in range(max(1, patients // len(clinicians) + 1))]
    for n in range(patients):
        person = user_create_with_role(email=f"load-patient{n}@bench.example.org",
                                       full_name=f"Load Patient {n}", password=PASSWORD,
                                       role="patient")
        person.email_confirmed_at = person.email_confirmed_at or person.date_joined
        person.save(update_fields=["email_confirmed_at"])
        people.append({"email": person.email, "draft": intake_start(patient=person).pk,
                       **_signed_in(person)})
    admin = user_create_with_role(email="load-admin@bench.example.org", full_name="Load Admin",
                                  password=PASSWORD, role="admin")
    _, token = api_token_create(actor=admin, name="bench load", scope="read", days=1)
    # The report pages read snapshots the beat works out every minute (the bench's worker
    # runs beat too); the first ones are made here, as a deployed beat would have.
    from review.clocks import response_report_refresh
    from review.metrics import clinic_metrics_refresh

    clinic_metrics_refresh()
    response_report_refresh()
    # Intakes to decide: open ones moved into review (a decide needs "in review").
    to_decide = list(Intake.objects.filter(status__in=["submitted", "in_review"])
                     .order_by("-id").values_list("id", flat=True)[:decides])
    Intake.objects.filter(pk__in=to_decide).update(status="in_review")
    top = Intake.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = set()
    rng = random.Random(19)
    while len(sample) < 2000 and top:
        sample.add(rng.randint(1, top))
    intakes = list(Intake.objects.filter(pk__in=sample).exclude(status="draft")
                   .values_list("id", flat=True))
    return {"clinicians": clinicians, "seats": seats, "patients": people, "password": PASSWORD,
            "api_token": token, "to_decide": to_decide, "intakes": intakes}


def _signed_in(user) -> dict:
    """A session for `user` made beforehand, so the phases measure pages, not password
    hashing: twenty sign-ins at the start of every phase were most of its CPU. Sign-in
    itself is measured in a phase of its own."""
    import secrets

    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"email": user.email, "session": client.cookies["sessionid"].value,
            "csrf": secrets.token_hex(16)}  # an unmasked CSRF secret: 32 characters


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # Loopback only: the URL is ours.
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  # nosec B310
                return
        except OSError:  # not up yet
            time.sleep(0.5)
    sys.exit(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def report(stats_csv: Path) -> list[dict]:
    rows = []
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] in ("Aggregated", "(form for a token)", "(sign-in at start)"):
                continue
            rows.append({"page": row["Name"], "requests": int(row["Request Count"]),
                         "errors": int(row["Failure Count"]),
                         "rps": float(row["Requests/s"]), "p50": row["50%"],
                         "p95": row["95%"], "p99": row["99%"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think", default="", help="seconds between a user's requests, "
                        "e.g. 1-3 (default: none, saturation)")
    parser.add_argument("--run-time", type=int, default=120,
                        help="seconds of the mixed run (with --think)")
    parser.add_argument("--phase-time", type=int, default=20,
                        help="seconds each page has the server alone (at saturation)")
    parser.add_argument("--max-requests", type=int, default=30000)
    parser.add_argument("--warm-up", type=int, default=20,
                        help="seconds of traffic before measuring, not reported (0: none)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class (default: "
                        "gunicorn.conf.py's, as deployed)")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads a worker with gthread (default: gunicorn.conf.py's)")
    parser.add_argument("--port", type=int, default=8019)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iop_load"))
    parser.add_argument("--broker-url", default=os.environ.get(
        "BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database_url,
           "CELERY_BROKER_URL": args.broker_url, "CELERY_TASK_ALWAYS_EAGER": "0",
           "DJANGO_SETTINGS_MODULE": "bench.loadsite.settings", "DEBUG": "0",
           "REQUIRE_2FA": "0", "ALLOWED_HOSTS": "127.0.0.1", "API_RATE": "1000000/min",
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    os.environ.update(env)
    patients = max(1, args.users)
    plan = prepare(patients, decides=min(args.max_requests, 5000))
    work = Path(tempfile.mkdtemp(prefix="iop-load-"))
    (work / "plan.json").write_text(json.dumps(plan))
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603  (our own commands)
        [str(VENV_BIN / "gunicorn"), "iop.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         *(["--worker-class", args.worker_class] if args.worker_class else []),
         *(["--threads", str(args.threads)] if args.threads else []),
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(work / "gunicorn.log").open("w"))
    worker = subprocess.Popen(  # noqa: S603
        # With beat (-B), as deployed: the snapshots' refreshes cost what they cost at this
        # size, every minute, during the run.
        [str(VENV_BIN / "celery"), "-A", "iop", "worker", "--pool", "solo", "--loglevel",
         "WARNING", "-Q", "urgent,mail,default,bulk", "-B",
         "--schedule", str(work / "celerybeat-schedule")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(work / "celery.log").open("w"))
    # At saturation each page has the whole server to itself for a phase (its throughput
    # alone is what "share of the trivial view" compares); as a clinic uses it, everything
    # at once with think time, for the response times people get.
    seconds = args.phase_time if not args.think else args.run_time
    phases = [(label, users, selection, seconds) for label, users, selection in (
        SATURATION if not args.think else [("mixed", ["Clinician", "Patient", "SigningIn"], [])])]
    rows = []
    try:
        wait_for(host + "/login/")
        if args.warm_up:
            # A deployed server is warm: each worker thread's first requests (imports,
            # a connection, the first plans of every audit partition) are not what a
            # clinic gets, so they are made, and their timings dropped, before measuring.
            # Decide is left out: its intakes are the measured phases' own.
            phases = [("warm-up", ["Clinician", "Patient"], ["--exclude-tags", "decide"],
                       args.warm_up), *phases]
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        for label, users, selection, phase_seconds in phases:
            out = work / label
            subprocess.run(  # noqa: S603
                [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                 *users, *selection,
                 "--headless", "--host", host, "-u", str(args.users), "-r", str(args.users),
                 "-t", f"{phase_seconds}s", "--csv", str(out), "--only-summary",
                 "--stop-timeout", "5", "--loglevel", "WARNING"],
                cwd=ROOT, env={**env, "LOAD_PLAN": str(work / "plan.json"),
                               "LOAD_THINK": args.think,
                               "LOAD_MAX_REQUESTS": str(args.max_requests)},
                check=False, timeout=phase_seconds + 120, stdout=subprocess.DEVNULL,
                stderr=(work / f"{label}.log").open("w"))
            if label == "warm-up":
                continue
            for row in report(Path(f"{out}_stats.csv")):
                row["page"] += " (again, last)" if label == "trivial_again" else ""
                rows.append(row)
    finally:
        stop(server)
        stop(worker)
    trivial = {r["page"]: r["rps"] for r in rows if r["page"].startswith("trivial view")}
    print(f"{started}, {args.users} users, think {args.think or 'none'}, "
          f"{seconds} s {'a page' if not args.think else 'in all'}, {args.workers} gunicorn "
          f"workers ({args.worker_class or 'as configured'}, threads "
          f"{args.threads or 'as configured'}), {args.warm_up} s warm-up; logs in {work}")
    print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | share of trivial |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        yardstick = trivial.get("trivial view (patient)" if row["page"] in PATIENT_PAGES
                                else "trivial view (clinician)", 0)
        share = f"{row['rps'] / yardstick:.2f}" if yardstick and not args.think else ""
        print(f"| {row['page']} | {row['requests']} | {row['rps']:.1f} | {row['p50']} | "
              f"{row['p95']} | {row['p99']} | {row['errors']} | {share} |")


if __name__ == "__main__":
    main()
