"""Writes of the programs admins keep: a program with its weekly sessions. Each audited."""

import re
from datetime import time

from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from review.matching import WEEKDAYS, Session, schedule_words
from review.models import Program, ProgramSession

_LINE = re.compile(r"^(?P<day>[A-Za-z]{3})\w*\s+(?P<start>\d{1,2}:\d{2})\s*[-–]\s*"
                   r"(?P<end>\d{1,2}:\d{2})$")


class ProgramError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _clock(text: str) -> time | None:
    hours, minutes = (int(part) for part in text.split(":"))
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


def sessions_parse(text: str) -> list[Session]:
    """The weekly sessions typed one a line ("Mon 18:00-21:00"). Raises ProgramError naming
    the line at fault."""
    sessions = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        day = match and match["day"].title()
        if not match or day not in WEEKDAYS:
            raise ProgramError(f"Line {number}, \u201c{line}\u201d: write a session as a day "
                               "and two times, e.g. Mon 18:00-21:00.", "sessions")
        start, end = _clock(match["start"]), _clock(match["end"])
        if start is None or end is None:
            raise ProgramError(f"Line {number}, \u201c{line}\u201d: a time is not a time of "
                               "day (00:00 to 23:59).", "sessions")
        if end <= start:
            raise ProgramError(f"Line {number}, \u201c{line}\u201d: the end must be after the "
                               "start.", "sessions")
        sessions.append(Session(WEEKDAYS.index(day), start, end))
    return sessions


def sessions_text(program: Program) -> str:
    return "\n".join(f"{WEEKDAYS[s.weekday]} {s.starts_at:%H:%M}-{s.ends_at:%H:%M}"
                     for s in program.sessions.all())


def program_problem(*, min_age: int | None, max_age: int | None,
                    sessions: list[Session]) -> ProgramError | None:
    if min_age is not None and max_age is not None and min_age > max_age:
        return ProgramError("The youngest age is above the oldest.", "max_age")
    return None


@transaction.atomic
def program_save(*, actor: User, program: Program | None, sessions: list[Session],
                 request: HttpRequest | None = None, **fields) -> Program:
    """Add a program or change one, with its weekly sessions (replaced as a whole). Its hours
    a week and its schedule in words follow from the sessions."""
    problem = program_problem(min_age=fields.get("min_age"), max_age=fields.get("max_age"),
                              sessions=sessions)
    if problem:
        raise problem
    created = program is None
    program = program or Program()
    for name, value in fields.items():
        setattr(program, name, value)
    hours = sum(session.hours for session in sessions)
    program.hours_per_week = round(hours) if sessions else None
    program.schedule = (f"{schedule_words(tuple(sessions))}, {hours:g} h a week" if sessions
                        else "round the clock")[:200]
    program.save()
    program.sessions.all().delete()
    ProgramSession.objects.bulk_create([
        ProgramSession(program=program, weekday=s.weekday, starts_at=s.start, ends_at=s.end)
        for s in sessions])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created
                 else AuditEvent.Action.CHANGE, object_type="program", object_id=program.pk,
                 request=request, detail={"level": program.level, "sessions": len(sessions),
                                          "capacity": program.capacity,
                                          "census": program.census,
                                          "active": program.active})
    return program
