"""Benchmark: review.clocks.response_report over a range of days, and its plan (by hand).

    DATABASE_URL=... python bench/response_times.py [--days 30] [--runs 10]

Against a seeded database (`manage.py seed_intakes 100000`: five years of intakes, about
1,600 clocks started in 30 days; a million over five years has ten times as many, about what
300 days hold at 100,000). Prints the median of the report's time in process and
EXPLAIN (ANALYZE, BUFFERS) of its one query. Results go into docs/performance.md by hand.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10)
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
