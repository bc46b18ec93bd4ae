"""Benchmark: the review queue at a million intakes (run by hand, never in the suite).

    python bench/review_queue.py [--intakes 1000000] [--runs 7] [--database-url URL] [--refill]

Creates its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/iop_bench),
migrates it, fills it with INSERT ... SELECT generate_series (patients, intakes over five
years in every state, flag rows), then times `review.selectors.queue_page` (every query a
page runs) for: the first page, a deep page, every state (first and deep), a filtered page,
searches by name, e-mail and number; and, for contrast, LIMIT/OFFSET at the same depth and a
COUNT(*). Prints EXPLAIN (ANALYZE) of each page's key query to show the index used.
Results go into docs/performance.md ("Review queue") by hand.
"""

import sys
from pathlib import Path

# This file is named queue.py: keep its folder off the path, or it hides the standard
# library's queue module from everything imported after it.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iop_bench"


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    admin = psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432,
                            user=config["USER"], password=config["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                               [config["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"created database {config['NAME']}")


FILL = [
    # Patients: one for every five intakes, with names and e-mails to search.
    """
    INSERT INTO accounts_user (password, is_superuser, email, full_name, is_active, is_staff,
                               date_joined)
    SELECT '!', false, 'person' || g || '@example.org',
           (ARRAY['Alex','Blake','Casey','Dana','Eli','Frankie','Gray','Harper','Indy','Jules']
             )[1 + g %% 10] || ' ' ||
           (ARRAY['Smith','Nguyen','Garcia','Okafor','Kowalski','Haddad','Larsen','Moreau',
                  'Tanaka','Silva','Novak','Ibrahim'])[1 + (g / 10) %% 12] || '-' || g,
           true, false, now()
    FROM generate_series(1, %(patients)s) AS g
    """,
    # Clinicians to assign to.
    """
    INSERT INTO accounts_user (password, is_superuser, email, full_name, is_active, is_staff,
                               date_joined)
    SELECT '!', false, 'clinician' || g || '@example.org', 'Clinician ' || g, true, false,
           now()
    FROM generate_series(1, 10) AS g
    """,
    """
    INSERT INTO accounts_user_groups (user_id, group_id)
    SELECT u.id, (SELECT id FROM auth_group WHERE name = 'clinician')
    FROM accounts_user u WHERE u.email LIKE 'clinician%%@example.org'
    """,
    # Intakes over five years. Most are closed long ago; the open queue is a few percent.
    # Urgent about 4%%; levels about 55%% outpatient, 33%% IOP, 12%% inpatient.
    """
    INSERT INTO intake_intake (patient_id, status, answers, steps_done, signature_name,
        consented_at, created_at, updated_at, submitted_at, reminders_sent, urgent,
        recommended_level, decided_level, assigned_to_id, first_opened_at, decided_at,
        last_alerted_at, clock_started_at, respond_by)
    SELECT p.first_id + (g %% %(patients)s), s.status, '{}'::jsonb, '[]'::jsonb, 'Signed',
           t.at, t.at, t.at, t.at, 0, r.u < 0.04,
           CASE WHEN r.l < 0.55 THEN 'outpatient' WHEN r.l < 0.88 THEN 'iop'
                ELSE 'inpatient' END,
           CASE WHEN s.status IN ('decided', 'closed') THEN 'iop' ELSE '' END,
           CASE WHEN s.status = 'submitted' AND r.a < 0.7 THEN NULL
                ELSE c.first_id + (g %% 10) END,
           CASE WHEN s.status = 'submitted' AND r.a < 0.5 THEN NULL
                ELSE t.at + interval '40 minutes' END,
           CASE WHEN s.status IN ('decided', 'closed') THEN t.at + interval '1 day' END,
           NULL, t.at,
           -- The response deadline (review/clocks.py), near enough for the index's shape.
           t.at + CASE WHEN r.u < 0.04 THEN interval '1 hour' WHEN r.l < 0.2
                       THEN interval '1 day' ELSE interval '14 days' END
    FROM generate_series(1, %(intakes)s) AS g
    CROSS JOIN LATERAL (SELECT random() AS u, random() AS l, random() AS a,
                               random() AS st, g AS gg) AS r
    CROSS JOIN LATERAL (SELECT CASE WHEN r.st < 0.04 THEN 'submitted'
                                    WHEN r.st < 0.05 THEN 'in_review'
                                    WHEN r.st < 0.09 THEN 'decided'
                                    ELSE 'closed' END AS status) AS s
    CROSS JOIN LATERAL (SELECT now() - interval '5 years' * (1 - g::float8 / %(intakes)s)
                               - interval '1 second' * (r.gg %% 7) AS at) AS t
    CROSS JOIN (SELECT min(id) AS first_id FROM accounts_user
                WHERE email LIKE 'person%%@example.org') AS p
    CROSS JOIN (SELECT min(id) AS first_id FROM accounts_user
                WHERE email LIKE 'clinician%%@example.org') AS c
    """,
    # Flag rows, as recommendation_record writes them.
    """
    INSERT INTO intake_intakeflag (intake_id, flag)
    SELECT id, 'urgent' FROM intake_intake WHERE urgent
    UNION ALL
    SELECT id, 'safety_followup' FROM intake_intake WHERE urgent OR id %% 4 = 0
    UNION ALL
    SELECT id, 'withdrawal_monitoring' FROM intake_intake WHERE id %% 9 = 0
    """,
    "ANALYZE",
]


def fill(intakes: int, refill: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intake_intake")
        have = cursor.fetchone()[0]
    if have >= intakes and not refill:
        print(f"{have:,} intakes already there (--refill to start again)")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The audit trigger guards audit rows only; these tables can be emptied.
        cursor.execute("TRUNCATE intake_intakeflag, intake_intake CASCADE")
        cursor.execute("DELETE FROM accounts_user_groups WHERE user_id IN (SELECT id FROM "
                       "accounts_user WHERE email LIKE '%@example.org')")
        cursor.execute("DELETE FROM accounts_user WHERE email LIKE '%@example.org'")
        for statement in FILL:
            step = time.perf_counter()
            cursor.execute(statement, {"intakes": intakes, "patients": max(1, intakes // 5)})
            print(f"  {' '.join(statement.split()[:3])} ... {time.perf_counter() - step:.1f} s")
    print(f"filled {intakes:,} intakes in {time.perf_counter() - started:.0f} s")


def timed(function, runs: int) -> tuple[float, object]:
    function()  # warm the cache and the plan
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]


def indexes_in(plan: list[str]) -> list[str]:
    found = []
    for line in plan:
        for marker in (" using ", " on "):
            if "Index" in line and marker in line:
                name = line.split(marker, 1)[1].split()[0]
                if name not in found:
                    found.append(name)
                break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intakes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--plans", action="store_true", help="print the full EXPLAIN plans")
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from intake.models import Intake
    from review.selectors import OPEN_STATES, REVIEW_STATES, Cursor, QueueFilters, queue_page

    call_command("migrate", verbosity=0)
    fill(args.intakes, args.refill)

    clinician = User.objects.get(email="clinician1@example.org")
    order = ("-urgent", "respond_by", "pk")

    def cursor_at(states, depth: int) -> str:
        intake = (Intake.objects.filter(status__in=states).order_by(*order)
                  .only("pk", "urgent", "respond_by")[depth])
        return Cursor.of(intake).encode()

    open_total = Intake.objects.filter(status__in=OPEN_STATES).count()
    all_total = Intake.objects.filter(status__in=REVIEW_STATES).count()
    open_deep = min(open_total - 60, 40_000)
    all_deep = min(all_total - 60, 900_000)
    people = User.objects.filter(email__startswith="person").order_by("pk")
    person = people[min(12345, people.count() - 1)]
    some_intake = Intake.objects.filter(status="closed").order_by("pk")[all_total // 2]
    cases = [
        ("first page (open intakes)", QueueFilters(), None),
        (f"page at row {open_deep:,} of the open queue", QueueFilters(),
         cursor_at(OPEN_STATES, open_deep)),
        ("first page, every state", QueueFilters(state="all"), None),
        (f"page at row {all_deep:,}, every state", QueueFilters(state="all"),
         cursor_at(REVIEW_STATES, all_deep)),
        ("filtered: IOP + safety follow-up + assigned to me, every state",
         QueueFilters(state="all", level="iop", flag="safety_followup", assignee="me"), None),
        ("filtered: submitted this month, unassigned",
         QueueFilters(state="submitted", assignee="none",
                      submitted_from=(django.utils.timezone.localdate()
                                      - django.utils.timezone.timedelta(days=30))), None),
        ("search: part of a name (every state)",
         QueueFilters(state="all", q=person.full_name.split("-")[0].split()[1] + "-"
                      + person.full_name.split("-")[1]), None),
        ("search: a common surname, 16,000 people (capped at 500)",
         QueueFilters(state="all", q="Nguyen"), None),
        ("search: part of an e-mail (every state)",
         QueueFilters(state="all", q=person.email.split("@")[0]), None),
        ("search: intake number", QueueFilters(state="all", q=some_intake.number), None),
    ]
    print(f"\n{all_total:,} submitted intakes, {open_total:,} open; "
          f"PostgreSQL {connection.pg_version // 10000}; median of {args.runs} runs\n")
    print("| page | queries | rows | median ms | indexes used (all its queries) |")
    print("| --- | --- | --- | --- | --- |")
    for name, filters, after in cases:
        with CaptureQueriesContext(connection) as captured:
            queue_page(user=clinician, filters=filters, after=after)
        ms, page = timed(lambda f=filters, a=after: queue_page(user=clinician, filters=f,
                                                               after=a), args.runs)
        # The key query is the first one ordered on the queue (a search finds people first).
        key_sql = next(q["sql"] for q in captured.captured_queries
                       if 'FROM "intake_intake"' in q["sql"] and "ORDER BY" in q["sql"])
        plan = explain(key_sql)
        used = []
        for query in captured.captured_queries:
            if query["sql"].startswith(("SELECT", "(SELECT")):
                used += [i for i in indexes_in(explain(query["sql"])) if i not in used]
        print(f"| {name} | {len(captured.captured_queries)} | {len(page.rows)} | {ms:.1f} | "
              f"{', '.join(used) or 'none'} |")
        if args.plans:
            print("\n    " + "\n    ".join(plan) + "\n")

    print("\nFor contrast, what the queue does not do:\n")
    print("| query | median ms |")
    print("| --- | --- |")
    base = Intake.objects.filter(status__in=REVIEW_STATES).order_by(*order)
    ms, _ = timed(lambda: list(base.values_list("pk")[all_deep:all_deep + 50]), args.runs)
    print(f"| LIMIT 50 OFFSET {all_deep:,}, every state | {ms:.1f} |")
    ms, _ = timed(lambda: list(Intake.objects.filter(status__in=OPEN_STATES).order_by(*order)
                               .values_list("pk")[open_deep:open_deep + 50]), args.runs)
    print(f"| LIMIT 50 OFFSET {open_deep:,}, open intakes | {ms:.1f} |")
    ms, _ = timed(lambda: base.count(), args.runs)
    print(f"| COUNT(*) of every submitted intake | {ms:.1f} |")
    if args.plans:
        with CaptureQueriesContext(connection) as captured:
            list(base.values_list("pk")[all_deep:all_deep + 50])
        print("\n    " + "\n    ".join(explain(captured.captured_queries[0]["sql"])))


if __name__ == "__main__":
    main()
