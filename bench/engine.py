"""Benchmark: `manage.py screen --jsonl` against a plain JSON round trip of the same lines.

    python bench/engine.py [--cases 50000] [--runs 5]

Generates the cases (seeded, spread over the whole answer space as the clinical catalogue
defines it: screening.engine.properties.generate_cases), writes them as JSON
Lines, then times whole processes, start-up included, each run to /dev/null:
  round trip: python -c "for line in file: print(json.dumps(json.loads(line)))"
  screen:     python manage.py screen --jsonl FILE --criteria-file default-2.json
and prints cases per second and the ratio of the medians. Target (issue 3): ratio <= 1.5.
Also timed: "screen 1p" (SCREEN_PROCESSES=1, one process) and "screen db" (no criteria
file: Django starts and reads the published version from the configured database).
Results go into docs/performance.md by hand.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.engine.properties import generate_cases  # noqa: E402

ROUND_TRIP = ("import json, sys\n"
              "out = sys.stdout.write\n"
              "for line in open(sys.argv[1]):\n"
              "    out(json.dumps(json.loads(line)) + '\\n')\n")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        with path.open("w") as out:
            for number, answers in enumerate(generate_cases(args.cases, seed=2026)):
                out.write(json.dumps({"id": f"bench-{number}", "answers": answers}) + "\n")
        size = path.stat().st_size
        commands = {
            "round trip": [sys.executable, "-c", ROUND_TRIP, str(path)],
            "screen": [sys.executable, "manage.py", "screen", "--jsonl", str(path),
                       "--criteria-file", "screening/criteria/default-2.json"],
            "screen 1p": ["env", "SCREEN_PROCESSES=1", sys.executable, "manage.py", "screen",
                          "--jsonl", str(path), "--criteria-file",
                          "screening/criteria/default-2.json"],
            "screen db": [sys.executable, "manage.py", "screen", "--jsonl", str(path)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            for name, command in commands.items():
                times[name].append(timed(command))

    print(f"{args.cases} cases, {size / 1e6:.1f} MB of JSON Lines, {args.runs} runs each, "
          f"Python {sys.version.split()[0]}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:10}  median {median:6.2f} s  best {min(values):6.2f} s  "
              f"{args.cases / median:9,.0f} cases/s")
    base = statistics.median(times["round trip"])
    for name in ("screen", "screen 1p", "screen db"):
        print(f"  ratio {name:9} / round trip: {statistics.median(times[name]) / base:.2f} "
              "(target <= 1.5)")


if __name__ == "__main__":
    main()
