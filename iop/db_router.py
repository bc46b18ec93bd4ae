"""Reads that may go to a PostgreSQL replica, and the rule that keeps a person's own writes
in sight (docs/scaling.md, "Replicas").

Nothing is read from the replica unless its code asks for `replica_alias()`: the queue, the
reports and metrics, and the replay read through it; everything else (every write, and every
read that must see what was just written) stays on the primary. With no DATABASE_REPLICA_URL
there is no "replica" alias and `replica_alias()` is always "default".

A replica lags its primary by a moment. So a person who has just written (submitted an
intake, decided one, any POST) reads from the primary for REPLICA_PIN_SECONDS: the response
to the write carries a cookie with the end of that window, and while it lasts their marked
reads go to "default". Reads inside a transaction on the primary stay there too.
"""

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "iop_primary_until"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_pinned: ContextVar[bool] = ContextVar("iop_primary_pinned", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_alias() -> str:
    """The database a marked read uses: the replica, unless there is none, this person
    wrote a moment ago, or the read runs inside a transaction on the primary."""
    if not replica_configured() or _pinned.get():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextlib.contextmanager
def primary_pinned() -> Iterator[None]:
    """Within this block every marked read goes to the primary."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def _pin_window() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 10))


def _pinned_by_cookie(request) -> bool:
    try:
        until = int(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    now = time.time()
    # A stamp further ahead than one window was not set by us: ignored.
    return now < until <= now + _pin_window() + 1


class ReplicaPinMiddleware:
    """Reads of a write request, and of the same browser's requests for REPLICA_PIN_SECONDS
    after it, go to the primary (read-your-own-writes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        writing = request.method in UNSAFE_METHODS
        if not (writing or _pinned_by_cookie(request)):
            return self.get_response(request)
        with primary_pinned():
            response = self.get_response(request)
        if writing:
            window = _pin_window()
            response.set_cookie(PIN_COOKIE, str(int(time.time()) + window), max_age=window,
                                httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response


class PrimaryReplicaRouter:
    """Writes always go to the primary, whatever database the object was read from; the
    replica is never migrated (it copies the primary)."""

    def db_for_read(self, model, **hints):
        return None  # the primary, unless the read asked for an alias (or follows an object)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
