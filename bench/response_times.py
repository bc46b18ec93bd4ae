"""Benchmark: review.clocks.response_report over a range of days, and its plan; or the
report's page in process (run by hand).

    DATABASE_URL=... python bench/response_times.py [--days 30] [--runs 10]
    DATABASE_URL=... python bench/response_times.py --page [--days 30] [--runs 10]

Against a seeded database (`manage.py seed_intakes 100000`: five years of intakes, about
1,600 clocks started in 30 days; a million over five years has ten times as many, about what
300 days hold at 100,000). Prints the median of the report's time in process and
EXPLAIN (ANALYZE, BUFFERS) of its one query.

--page: GET /review/response-times/ through the test client as the first clinician, with no
range chosen (the default, the last 30 days: what almost every request is) and with the last
--days chosen; the median CPU of this process (time.process_time) and wall time (the
database's own work shows in the wall time only). Results go into docs/performance.md by hand.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402


def page(start, end, runs: int) -> None:
    from bench.metrics_page import clinician_client, median_ms

    try:
        from review.clocks import response_report_refresh
    except ImportError:  # before the snapshot
        response_report_refresh = None
    else:
        response_report_refresh()  # as the beat has, so the page finds a fresh one
    client = clinician_client()
    chosen = {"start": start.isoformat(), "end": end.isoformat()}
    for name, query in (("default (no range chosen)", {}), (f"chosen {start} to {end}", chosen)):
        for _ in range(2):  # warm-up (and, with a snapshot, the first one worked out)
            assert client.get("/review/response-times/", query).status_code == 200
        def request(query=query) -> None:
            assert client.get("/review/response-times/", query).status_code == 200

        print(f"page, {name}: {median_ms(request, runs)}")
    if response_report_refresh is None:
        return
    print(f"refresh (beat task): {median_ms(response_report_refresh, runs)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--page", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from review.clocks import response_report

    end = timezone.localdate()
    start = end - timedelta(days=args.days - 1)
    if args.page:
        page(start, end, args.runs)
        return
    for _ in range(2):
        response_report(start=start, end=end)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response_report(start=start, end=end)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response_report(start=start, end=end)
    print(f"{args.days} days: response_report median {statistics.median(times):.1f} ms, "
          f"{len(queries.captured_queries)} query")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries.captured_queries[0]["sql"])
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
