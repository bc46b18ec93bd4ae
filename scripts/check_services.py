"""Check that PostgreSQL and Redis answer before the tests run; start them if installed.

Run by `make test`. Exits 1 with a message naming what is missing, so nobody reads a page of
connection errors from pytest to learn that a service is down.
"""

import os
import shutil
import subprocess
import sys
import time
from glob import glob
from urllib.parse import urlparse

import psycopg
import redis

DATABASE_URL = os.environ["DATABASE_URL"]
BROKER_URL = os.environ["CELERY_BROKER_URL"]


def postgres_ok() -> bool:
    url = urlparse(DATABASE_URL)
    try:
        with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username,
                             password=url.password, dbname="postgres", connect_timeout=3,
                             autocommit=True) as conn:
            name = url.path.lstrip("/")
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.Error:
        return False


def redis_ok() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


def start_postgres() -> None:
    versions = [os.path.basename(p) for p in glob("/etc/postgresql/*")]
    if shutil.which("pg_ctlcluster") and versions:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main",
                        "start"], check=False)


def start_redis() -> None:
    if shutil.which("redis-server"):
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
                        "--port", "6379", "--save", "", "--appendonly", "no"], check=False)


def wait_for(check, start, name: str, hint: str) -> bool:
    if check():
        return True
    print(f"{name} is not answering; trying to start it...", file=sys.stderr)
    start()
    for _ in range(20):
        time.sleep(0.5)
        if check():
            return True
    print(f"ERROR: {name} is not reachable. {hint}", file=sys.stderr)
    return False


def main() -> int:
    ok = wait_for(postgres_ok, start_postgres, f"PostgreSQL ({DATABASE_URL})",
                  "Install PostgreSQL 14+ (e.g. `apt-get install postgresql`), start it, and "
                  "allow user postgres on 127.0.0.1:5432, or set DATABASE_URL.")
    ok = wait_for(redis_ok, start_redis, f"Redis ({BROKER_URL})",
                  "Install Redis 6+ (e.g. `apt-get install redis-server`) and start it on "
                  "127.0.0.1:6379, or set CELERY_BROKER_URL.") and ok
    if ok:
        print("PostgreSQL and Redis are reachable.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
