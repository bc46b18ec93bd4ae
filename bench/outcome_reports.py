"""Benchmark: the outcome reports at a million intakes (run by hand, never in the suite).

    python bench/outcome_reports.py [--intakes 1000000] [--runs 5] [--database-url URL] [--refill]

Creates its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/iop_bench_outcomes),
migrates it, fills it with INSERT ... SELECT generate_series: intakes over three years with
an age and sex at birth, a recommendation pinned to one of the two criteria versions, a
decision for 90% of them (overrides, different start levels for no capacity, six programs)
and their outcome history (scheduled, started, no-show, declined). Then times each report of
review/reports.py (every query it runs) over every decision and over the page's default
period, and counts its queries. Results go into
docs/performance.md ("Outcome reports") by hand.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iop_bench_outcomes"

FILL = [
    """
    INSERT INTO accounts_user (password, is_superuser, email, full_name, is_active, is_staff,
                               date_joined)
    SELECT '!', false, 'person' || g || '@example.org', 'Person ' || g, true, false, now()
    FROM generate_series(1, %(patients)s) AS g
    """,
    """
    INSERT INTO accounts_user (password, is_superuser, email, full_name, is_active, is_staff,
                               date_joined)
    VALUES ('!', false, 'clinician@example.org', 'Clinician', true, false, now())
    """,
    """
    INSERT INTO review_program (name, level, schedule, hours_per_week, next_steps, contact,
                                active, languages, census)
    SELECT name, level, '', 9, '', '', true, '[]'::jsonb, 0
    FROM (VALUES ('Evening IOP', 'iop'), ('Morning IOP', 'iop'), ('Weekend IOP', 'iop'),
                 ('Weekly therapy', 'outpatient'), ('Group therapy', 'outpatient'),
                 ('Inpatient unit', 'inpatient')) AS p(name, level)
    """,
    # Intakes over three years: a fifth of them decided, the rest closed after a decision;
    # 10%% still open (no decision).
    """
    INSERT INTO intake_intake (patient_id, status, answers, steps_done, signature_name,
        consented_at, created_at, updated_at, submitted_at, reminders_sent, urgent,
        recommended_level, decided_level, first_opened_at, decided_at)
    SELECT p.first_id + (g %% %(patients)s),
           CASE WHEN r.st < 0.1 THEN 'submitted' WHEN r.st < 0.3 THEN 'decided'
                ELSE 'closed' END,
           jsonb_build_object('age', 14 + (g::bigint * 7919) %% 66,
                              'sex_at_birth', CASE WHEN g %% 2 = 0 THEN 'female'
                                                   ELSE 'male' END),
           '[]'::jsonb, 'Signed', t.at, t.at, t.at, t.at, 0, false,
           CASE WHEN r.l < 0.55 THEN 'outpatient' WHEN r.l < 0.88 THEN 'iop'
                ELSE 'inpatient' END, '', t.at + interval '1 hour', NULL
    FROM generate_series(1, %(intakes)s) AS g
    -- `g AS gg` ties the draw to each row: uncorrelated, it would run once for all rows.
    CROSS JOIN LATERAL (SELECT random() AS l, random() AS st, g AS gg) AS r
    CROSS JOIN LATERAL (SELECT now() - interval '3 years' * (1 - g::float8 / %(intakes)s)
                        AS at) AS t
    CROSS JOIN (SELECT min(id) AS first_id FROM accounts_user
                WHERE email LIKE 'person%%@example.org') AS p
    """,
    """
    INSERT INTO screening_recommendation (level, rules, reasons, flags, severity, suicide_risk,
        withdrawal_risk, scores, bands, created_at, criteria_version_id, intake_id, flag_reasons)
    SELECT i.recommended_level, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, 'moderate', 'low',
           'low', '{}'::jsonb, '{}'::jsonb, i.submitted_at,
           CASE WHEN i.id %% 3 = 0 THEN v.old_id ELSE v.new_id END, i.id, '{}'::jsonb
    FROM intake_intake i
    CROSS JOIN (SELECT min(id) AS old_id, max(id) AS new_id FROM screening_criteriaversion)
        AS v
    """,
    # Decisions: 80%% accepted; 8%% of IOP indications start at outpatient for no capacity.
    """
    INSERT INTO review_decision (recommended_level, indicated_level, start_level, accepted,
        reason_code, reason_text, next_steps, decided_at, decided_by_id, intake_id, program_id,
        version, outcome, first_session_at)
    SELECT i.recommended_level, ind.level,
           CASE WHEN ind.level = 'iop' AND r.cap < 0.08 THEN 'outpatient' ELSE ind.level END,
           ind.level = i.recommended_level,
           CASE WHEN ind.level = 'iop' AND r.cap < 0.08 THEN 'no_capacity'
                WHEN ind.level <> i.recommended_level THEN 'clinical_judgement' ELSE '' END,
           '', '', i.submitted_at + interval '1 hour' * (1 + r.h * 200),
           c.id, i.id,
           (SELECT id FROM review_program pr
             WHERE pr.level = CASE WHEN ind.level = 'iop' AND r.cap < 0.08 THEN 'outpatient'
                                   ELSE ind.level END
             ORDER BY id OFFSET (i.id %% 2) LIMIT 1),
           1,
           CASE WHEN r.o < 0.5 THEN 'started' WHEN r.o < 0.65 THEN 'no_show'
                WHEN r.o < 0.75 THEN 'declined' WHEN r.o < 0.85 THEN 'scheduled'
                ELSE 'awaiting' END,
           CASE WHEN r.o < 0.85 THEN i.submitted_at + interval '1 day' * (3 + r.h * 30) END
    FROM intake_intake i
    CROSS JOIN LATERAL (SELECT random() AS cap, random() AS h, random() AS o,
                               random() AS ov, i.id AS iid) AS r
    CROSS JOIN LATERAL (SELECT CASE WHEN r.ov < 0.8 THEN i.recommended_level
                                    WHEN i.recommended_level = 'outpatient' THEN 'iop'
                                    ELSE 'outpatient' END AS level) AS ind
    CROSS JOIN (SELECT id FROM accounts_user WHERE email = 'clinician@example.org') AS c
    WHERE i.status <> 'submitted'
    """,
    """
    UPDATE intake_intake i SET decided_level = d.start_level, decided_at = d.decided_at
    FROM review_decision d WHERE d.intake_id = i.id
    """,
    # As intake_decide copies it: the reports read the submit time from the decision.
    """
    UPDATE review_decision d SET submitted_at = i.submitted_at
    FROM intake_intake i WHERE d.intake_id = i.id
    """,
    # The outcome history each current outcome implies.
    """
    INSERT INTO review_outcomeevent (move, outcome, decline_reason, referred_to,
        referred_level, note, recorded_at, decision_id, recorded_by_id, first_session_at)
    SELECT e.move, e.outcome, '', '', '', '', d.decided_at, d.id, d.decided_by_id, NULL
    FROM review_decision d
    CROSS JOIN LATERAL (VALUES ('schedule', 'scheduled', 1), ('start', 'started', 2),
                               ('no_show', 'no_show', 3), ('decline', 'declined', 4))
        AS e(move, outcome, k)
    WHERE (e.k = 1 AND d.outcome IN ('scheduled', 'started', 'no_show'))
       OR (e.k = 2 AND d.outcome = 'started')
       OR (e.k = 3 AND d.outcome = 'no_show')
       OR (e.k = 4 AND d.outcome = 'declined')
    """,
    "ANALYZE",
]


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
            print(f"created database {config['NAME']}")


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
        cursor.execute("TRUNCATE review_outcomeevent, review_decisionversion, review_decision, "
                       "screening_recommendation, intake_intakeflag, intake_intake, "
                       "review_programsession, review_program CASCADE")
        cursor.execute("DELETE FROM accounts_user WHERE email LIKE '%@example.org'")
        for statement in FILL:
            step = time.perf_counter()
            cursor.execute(statement, {"intakes": intakes, "patients": max(1, intakes // 5)})
            print(f"  {' '.join(statement.split()[:3])} ... {time.perf_counter() - step:.1f} s")
    print(f"filled {intakes:,} intakes in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intakes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--refill", action="store_true")
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

    from review import reports

    call_command("migrate", verbosity=0)
    fill(args.intakes, args.refill)
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM intake_intake), "
                       "(SELECT count(*) FROM review_decision), "
                       "(SELECT count(*) FROM review_outcomeevent)")
        intakes, decisions, events = cursor.fetchone()
    print(f"\n{intakes:,} intakes, {decisions:,} decisions, {events:,} outcome events; "
          f"median of {args.runs} runs after one warm-up\n")
    from datetime import timedelta

    from django.utils import timezone

    from review.report_views import DEFAULT_DAYS

    now = timezone.now()
    periods = (("every decision", None),
               (f"last {DEFAULT_DAYS} days (the page's default)",
                (now - timedelta(days=DEFAULT_DAYS), now)))
    for label, period in periods:
        print(f"\n{label}")
        print(f"{'report':48} {'queries':>7} {'median ms':>10} {'rows':>6}")
        for name, function in (
                ("time to decision and first session",
                 reports.time_to_decision_and_first_session),
                ("service gap (by reason, by program)", reports.service_gap),
                ("no-shows and declines by program", reports.no_show_and_decline_by_program),
                ("overrides by version, age band, sex",
                 reports.overrides_by_version_and_group)):
            function(period)
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    result = function(period)
                    times.append((time.perf_counter() - start) * 1000)
            rows = (len(result) if isinstance(result, list)
                    else sum(len(v) for v in result.values()))
            print(f"{name:48} {len(queries.captured_queries):>7} "
                  f"{statistics.median(times):>10.0f} {rows:>6}")

if __name__ == "__main__":
    main()
