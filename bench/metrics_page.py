"""Benchmark: GET /review/metrics/ in process, through the test client (run by hand).

    DATABASE_URL=... python bench/metrics_page.py [expired|kept] [--runs 5]

Against a seeded database (`manage.py seed_intakes 100000`), as its first clinician. "kept":
the page as most requests find it; "expired": the cache cleared before each request, as the
request that found the minute over did before the snapshot (review/metrics.py). Prints the
median CPU of this process (time.process_time) and wall time; the database's own work shows
in the wall time only. Also times clinic_metrics_refresh(), the beat task's work.
Results go into docs/performance.md by hand.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402


def clinician_client():
    """A test client signed in, second factor and all, as the seeded database's first
    clinician (after django.setup())."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.filter(groups__name="clinician", is_active=True).first()
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench",
                                                 defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def median_ms(call, runs: int, *, before=None) -> str:
    """`call()` run `runs` times, each after `before()` (not timed) if given: the median CPU
    of this process and wall time, in words."""
    cpu, wall = [], []
    for _ in range(runs):
        if before is not None:
            before()
        started_cpu, started = time.process_time(), time.perf_counter()
        call()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return (f"CPU median {statistics.median(cpu):.1f} ms, "
            f"wall median {statistics.median(wall):.1f} ms, {runs} runs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["expired", "kept"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    import django

    django.setup()
    from django.core.cache import cache

    client = clinician_client()
    for _ in range(2):  # warm-up (and, with the snapshot, the first one worked out)
        assert client.get("/review/metrics/").status_code == 200

    def request() -> None:
        assert client.get("/review/metrics/").status_code == 200

    before = cache.clear if args.mode == "expired" else None
    print(f"page ({args.mode}): {median_ms(request, args.runs, before=before)}")
    try:
        from review.metrics import clinic_metrics_refresh
    except ImportError:  # before the snapshot
        return
    print(f"refresh (beat task): {median_ms(clinic_metrics_refresh, 3)}")

if __name__ == "__main__":
    main()
