"""Benchmark: what would change the level, per intake, as the clinician's page works it out.

    python bench/level_changes.py [--cases 2000] [--runs 5] [--seed 2026]

In one process, no database: the public cases and `--cases` generated ones
(screening.engine.properties.generate_cases, spread over the whole answer space), each
searched up and down with the default criteria (screening/engine/counterfactual.py), as
review.display.level_change_rows does for the intake page: the criteria looked up in the
engine's compiled cache (a JSON dump of the document, as on every page view), then the
search. Prints the time per intake (median, 95th percentile, slowest) of the best run, the
same in CPU time of the thread (the machine may be shared), the share of searches that went
on to pairs, and the most changed worlds one intake needed. Target
(issue 16): under 20 ms per intake at the 95th percentile, so the page stays fast. Results go
into docs/performance.md by hand.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.engine import counterfactual, load_criteria  # noqa: E402
from screening.engine.properties import generate_cases  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    document = json.loads((ROOT / "screening" / "criteria" / "default-2.json").read_text())
    public = sorted((ROOT / "screening" / "criteria" / "cases").glob("*.json"))
    cases = [json.loads(path.read_text())["answers"] for path in public]
    cases += generate_cases(options.cases, seed=options.seed)

    runs = 0
    real = counterfactual.applied

    def counted(*args):
        nonlocal runs
        runs += 1
        return real(*args)

    counterfactual.applied = counted  # type: ignore[assignment]
    most_runs, pairs, searches = 0, 0, 0
    best: list[float] | None = None
    best_cpu: list[float] = []
    for run in range(options.runs):
        times, cpu = [], []
        for answers in cases:
            runs = 0
            start, start_cpu = time.perf_counter(), time.thread_time()
            result = counterfactual.level_changes(answers, load_criteria(document))
            times.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
            if run == 0:
                most_runs = max(most_runs, runs)
                for direction in (result.up, result.down):
                    if direction is not None:
                        searches += 1
                        pairs += direction.size != 1
        if best is None or statistics.median(times) < statistics.median(best):
            best, best_cpu = times, cpu
    counterfactual.applied = real  # type: ignore[assignment]
    assert best is not None
    print(f"{len(cases)} intakes ({len(public)} public, {options.cases} generated), "
          f"best of {options.runs} runs")
    for label, times in (("wall clock", best), ("CPU (this thread)", best_cpu)):
        ordered = sorted(times)
        p95 = ordered[int(len(ordered) * 0.95)]
        print(f"{label}, per intake: median {statistics.median(times) * 1000:.2f} ms, "
              f"p95 {p95 * 1000:.2f} ms, slowest {ordered[-1] * 1000:.2f} ms")
    print(f"searches that went on to two facts: {pairs} of {searches}; "
          f"most changed worlds tried for one intake: {most_runs}")


if __name__ == "__main__":
    main()
