"""Benchmark: the CPU one page costs in process, against the trivial view (issue 19; by hand).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop_h_queue \\
        python bench/page_cpu.py [--runs 20] [--warm 3] [--pages trivial,queue,...]
        [--root CHECKOUT] [--save DIR] [--profile PAGE]

Against a database seeded beforehand (`manage.py seed_intakes N --staff-password x`), it signs
in a seeded clinician with Django's test client (force_login; REQUIRE_2FA=0 as bench/load.py
runs the app, DEBUG off, the load site's URL conf with its trivial page), requests each page
`--runs` times after `--warm` unmeasured requests, and prints per page the median process CPU
(`time.process_time`: what a saturated server spends, the machine's other load aside), the
median wall time and the queries of one request. Pages are the ones bench/locustfile.py
requests: trivial view, queue first page, filtered, search (the POST and the page it leads
to), intake page (a fixed sample of intakes, in turn).

`--root` runs another checkout's code (e.g. `git archive main | tar -x -C /tmp/base`) on the
same database, so two versions can be measured alternately. `--save DIR` writes each page's
HTML (for a diff before and after a change); `--profile PAGE` prints a cProfile of that page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = ("trivial", "queue", "filtered", "search", "intake")
SEARCH = "garcia"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--save", default="")
    parser.add_argument("--profile", default="")
    parser.add_argument("--callers", default="", help="with --profile: who calls this")
    parser.add_argument("--clinician", default="clinician1@bench.example.org")
    args = parser.parse_args()

    sys.path.insert(0, args.root)
    os.chdir(args.root)
    os.environ.update({"DJANGO_SETTINGS_MODULE": "bench.loadsite.settings", "DEBUG": "0",
                       "REQUIRE_2FA": "0", "LOG_LEVEL": "WARNING",
                       "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from intake.models import Intake

    clinician = User.objects.get(email=args.clinician)
    client = Client()
    client.force_login(clinician)
    # The same intakes every run and every checkout: decided and closed ones, in turn.
    sample = list(Intake.objects.exclude(status="draft").order_by("pk")
                  .values_list("pk", flat=True)[1000:100000:5000])
    turn = {"n": 0}

    def intake_page():
        turn["n"] += 1
        return client.get(f"/review/intakes/{sample[turn['n'] % len(sample)]}/")

    requests = {
        "trivial": lambda: client.get("/bench/trivial/"),
        "queue": lambda: client.get("/review/"),
        "filtered": lambda: client.get("/review/?level=iop&assignee=me&state=all"),
        "search": lambda: client.post("/review/", {"q": SEARCH}, follow=True),
        "intake": intake_page,
    }

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    print(f"root {args.root}, {args.runs} runs after {args.warm} warm, "
          f"{Intake.objects.count()} intakes")
    print(f"{'page':10} {'CPU ms':>8} {'wall ms':>8} {'queries':>8} {'bytes':>7}")
    for name in args.pages.split(","):
        request = requests[name]
        for _ in range(args.warm):
            request()
        cpu, wall = [], []
        for _ in range(args.runs):
            queries.clear()
            c0, w0 = time.process_time(), time.perf_counter()
            with connection.execute_wrapper(count):
                response = request()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            assert response.status_code == 200, (name, response.status_code)
        print(f"{name:10} {statistics.median(cpu) * 1000:8.1f} "
              f"{statistics.median(wall) * 1000:8.1f} {len(queries):8} "
              f"{len(response.content):7}")
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            Path(args.save, f"{name}.html").write_bytes(response.content)
        if name == args.profile:
            import cProfile
            import pstats

            # Process CPU, not wall: waiting for PostgreSQL is not what a saturated server spends.
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.runs):
                request()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            if args.callers:
                pstats.Stats(profiler).sort_stats("cumulative").print_callers(args.callers)


if __name__ == "__main__":
    main()
