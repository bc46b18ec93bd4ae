"""Settings of the app as bench/load.py serves it: the app's own, plus a trivial page.

The trivial page (bench/loadsite/urls.py) goes through the same middleware as every page and
is the yardstick each page's throughput is read against. It exists only here, never in the
product's URL conf. Sign-in's rate limits are off: one client address signs twenty people in
within a second, which in production is exactly what they stop.
"""

from iop.settings import *  # noqa: F403

ROOT_URLCONF = "bench.loadsite.urls"
RATELIMIT_ENABLE = False
