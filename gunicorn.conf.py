"""gunicorn settings for production (docs/deploy.md); read from the working directory.

Options on the command line override these. Values come from the environment like the
app's own settings.
"""

import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Threads in each worker: a request waiting on PostgreSQL, or on a password hash (which
# releases the GIL), no longer holds its process's only slot while others queue behind it
# (docs/performance.md, "Fourth session": the p95 of every page was requests waiting behind
# a sign-in or a report). Each thread keeps its own database connection.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# gthread keeps connections open between requests. The side that closes an idle connection
# must be the client's (the proxy's, 60-75 s in nginx): when gunicorn closes first (its
# default is 2 s), a request sent in that moment fails with no response at all. Seen in the
# load bench: five step saves of 383 lost with 1-3 s between a user's requests.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "90"))
# A request that takes longer is ended: the app's own timeouts (database 5 s to connect and
# 30 s a statement, mail sent by workers, never in a request) are shorter.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"

# Every response says `Server: gunicorn` otherwise: it names the software (and invites its
# known bugs) for nothing. gunicorn has no setting for it; its response class reads this.
gunicorn.http.wsgi.SERVER = "intake"
