"""Benchmark: the FHIR bulk export ($export, NDJSON) of 100,000 intakes (run by hand).

    python bench/fhir_export.py [--intakes 100000] [--database-url URL] [--keep]

Creates its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/iop_api_bench),
migrates it, seeds the intakes quickly with bulk_create (answers from a few dozen generated
cases, each screened once by the engine for its recommendation), then downloads the whole
range through the real endpoint (token, audit, streaming) with Django's test client, reading
the stream line by line as a client would. Reports, for one plain run: wall time, intakes and
resources a second, bytes, and peak RSS growth (VmHWM after, less VmRSS before, the high-water
mark reset through /proc/self/clear_refs), for the first tenth of the intakes and for all of
them (flat memory: the two peaks are about the same); and, over the first tenth under
tracemalloc (too slow for all of them), the peak of Python memory allocated while streaming. Results go into docs/performance.md ("FHIR bulk export").
"""

import argparse
import os
import random
import resource
import secrets
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iop_api_bench"
BATCH = 2000


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def ensure_database(url: str, *, fresh: bool) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    admin = psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432,
                            user=config["USER"], password=config["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    with admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                             [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def drop_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from django.db import connections

    connections.close_all()
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432,
                         user=config["USER"], dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


def _cases(count: int) -> list[dict]:
    """Varied valid answers: symptoms, safety, substances, and the optional instruments."""
    from tests.factories import answers

    rng = random.Random(18)
    cases = []
    for _ in range(count):
        concerns = rng.sample(["alcohol", "drugs", "depression", "anxiety", "bipolar",
                               "trauma", "eating", "chronic_pain"], rng.randint(0, 3))
        case = answers(
            age=rng.randint(16, 80), concerns=concerns,
            phq9=[rng.randint(0, 3) for _ in range(9)],
            gad7=[rng.randint(0, 3) for _ in range(7)],
            auditc=[rng.randint(0, 4) for _ in range(3)],
            dast10=[rng.random() < 0.2 for _ in range(10)],
            cssrs={"wish_dead": rng.random() < 0.2, "suicidal_thoughts": False,
                   "behavior_lifetime": False},
            functioning=rng.choice(["independent", "some_difficulty", "unable"]),
            pcptsd5={"exposure": True, "items": [rng.random() < 0.5 for _ in range(5)]},
        )
        if "eating" in concerns:
            case.update(height_cm=rng.randint(150, 190), weight_kg=rng.randint(45, 110),
                        scoff=[rng.random() < 0.4 for _ in range(5)])
        if "bipolar" in concerns:
            case["mdq"] = {"items": [rng.random() < 0.5 for _ in range(13)],
                           "same_period": True, "problem": "moderate"}
        if "chronic_pain" in concerns:
            case["peg"] = [rng.randint(0, 10) for _ in range(3)]
        cases.append(case)
    return cases


def seed(intakes: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from intake.models import Intake, IntakeFlag
    from screening.engine import screen
    from screening.models import Recommendation
    from screening.selectors import criteria_compiled, criteria_version_published

    version = criteria_version_published()
    criteria = criteria_compiled(version)
    words = {flag.id: flag.reason for flag in criteria.flags}
    cases = []
    for case in _cases(40):
        result = screen(case, criteria, "bench")
        out = result.to_dict()
        cases.append((case, {
            "level": out["level"], "rules": out["rules"], "flags": out["flags"],
            "flag_reasons": [{"id": flag, "reason": words[flag]} for flag in out["flags"]],
            "reasons": [{"id": r.id, "level": r.level, "reason": r.reason}
                        for r in result.reasons],
            "severity": out["severity"], "suicide_risk": out["suicide_risk"],
            "withdrawal_risk": out["withdrawal_risk"], "scores": out["scores"],
            "bands": out["bands"]}))
    patients = User.objects.bulk_create(
        # "!" is Django's mark of an unusable password: nobody signs in as these people.
        [User(email=f"person{n}@example.org", full_name=f"Person {n}", password="!")  # noqa: S106
         for n in range(intakes // 5 + 1)], batch_size=BATCH)
    group = Group.objects.get(name="patient")
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.pk, group_id=group.pk) for p in patients],
        batch_size=BATCH)
    start = timezone.now() - timezone.timedelta(days=365)
    step = timezone.timedelta(seconds=365 * 24 * 3600 / intakes)
    for first in range(0, intakes, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, intakes)):
            case, out = cases[n % len(cases)]
            rows.append(Intake(patient_id=patients[n // 5].pk, status=Intake.Status.CLOSED,
                               answers=case, steps_done=[], signature_name="Person",
                               consented_at=start + step * n, submitted_at=start + step * n,
                               urgent="urgent" in out["flags"],
                               recommended_level=out["level"]))
        made = Intake.objects.bulk_create(rows, batch_size=BATCH)
        Recommendation.objects.bulk_create(
            [Recommendation(intake_id=row.pk, criteria_version=version,
                            **cases[(first + i) % len(cases)][1])
             for i, row in enumerate(made)], batch_size=BATCH)
        IntakeFlag.objects.bulk_create(
            [IntakeFlag(intake_id=row.pk, flag=flag) for i, row in enumerate(made)
             for flag in cases[(first + i) % len(cases)][1]["flags"]], batch_size=BATCH)
    return start, step


def export_once(client, until, *, traced: bool) -> dict:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        hwm_reset = True
    except OSError:
        hwm_reset = False
    rss_before = _status_kb("VmRSS")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/api/v1/fhir/$export?_since=2000-01-01&_until="
                          + quote(until.isoformat()))
    assert response.status_code == 200, response.status_code
    lines = size = 0
    questionnaire_responses = 0
    for chunk in response.streaming_content:
        lines += 1
        size += len(chunk)
        if chunk.startswith(b'{"resourceType":"QuestionnaireResponse"'):
            questionnaire_responses += 1
    seconds = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
    if traced:
        tracemalloc.stop()
    return {"seconds": seconds, "resources": lines, "intakes": questionnaire_responses,
            "bytes": size, "traced_peak": traced_peak, "hwm_reset": hwm_reset,
            "rss_growth_kb": _status_kb("VmHWM") - rss_before,
            "rss_before_kb": rss_before,
            "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    ensure_database(args.database_url, fresh=True)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    os.environ["DEBUG"] = "0"  # as in production: no SQL kept per query
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from accounts.services import user_create_with_role
    from api.services import api_token_create

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    start, step = seed(args.intakes)
    print(f"seeded {args.intakes:,} intakes in {time.perf_counter() - started:.1f} s")
    admin = user_create_with_role(email="bench-admin@example.org", full_name="Bench",
                                  password=secrets.token_urlsafe(16), role="admin")
    _, token = api_token_create(actor=admin, name="bench", scope="read", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    tenth = start + step * (args.intakes // 10 - 0.5)  # the first tenth of the intakes
    everything = start + step * args.intakes
    try:
        small = export_once(client, tenth, traced=False)
        plain = export_once(client, everything, traced=False)
        traced = export_once(client, tenth, traced=True)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    print(f"a tenth: {small['intakes']:,} intakes in {small['seconds']:.1f} s, peak RSS "
          f"growth {small['rss_growth_kb'] / 1024:.1f} MB")
    print(f"plain run: {plain['intakes']:,} intakes, {plain['resources']:,} resources, "
          f"{plain['bytes'] / 1e6:.0f} MB in {plain['seconds']:.1f} s: "
          f"{plain['intakes'] / plain['seconds']:,.0f} intakes/s, "
          f"{plain['resources'] / plain['seconds']:,.0f} resources/s, "
          f"{plain['bytes'] / 1e6 / plain['seconds']:.1f} MB/s")
    print(f"peak RSS growth {plain['rss_growth_kb'] / 1024:.1f} MB "
          f"(process {plain['rss_before_kb'] / 1024:.0f} MB before)"
          + ("" if plain["hwm_reset"] else " (VmHWM could not be reset)"))
    print(f"tracemalloc run over a tenth ({traced['intakes']:,} intakes): peak "
          f"{traced['traced_peak'] / 1e6:.1f} MB allocated while streaming "
          f"({traced['seconds']:.1f} s under tracing)")


if __name__ == "__main__":
    main()
