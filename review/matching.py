"""Which programs fit a person, best first, and why (SPEC §8b): pure Python, no Django.

Programs are ranked by level first (only the level being placed fits at all), then by how
much of their weekly schedule falls in the times the person said they can come, then by
whether their hours fit the hours the person can give, then language and age, then open
places. Each program comes with the reasons in words a clinician can read to the person.
"""

from dataclasses import dataclass, field
from datetime import time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The times of day the intake asks about (catalogue "availability"), by when a session starts.
SLOT_WORDS = {"weekday_morning": "weekday mornings", "weekday_afternoon": "weekday afternoons",
              "weekday_evening": "weekday evenings", "weekend": "weekends"}
_PART_OF_DAY = {"weekday_morning": "mornings", "weekday_afternoon": "afternoons",
                "weekday_evening": "evenings", "weekend": "weekends"}
AFTERNOON_FROM = time(12, 0)
EVENING_FROM = time(17, 0)


@dataclass(frozen=True)
class Session:
    """One weekly session: `weekday` 0 (Monday) to 6 (Sunday)."""

    weekday: int
    start: time
    end: time

    @property
    def hours(self) -> float:
        return ((self.end.hour * 60 + self.end.minute)
                - (self.start.hour * 60 + self.start.minute)) / 60

    @property
    def slot(self) -> str:
        if self.weekday >= 5:
            return "weekend"
        if self.start >= EVENING_FROM:
            return "weekday_evening"
        if self.start >= AFTERNOON_FROM:
            return "weekday_afternoon"
        return "weekday_morning"


@dataclass(frozen=True)
class ProgramFacts:
    key: int
    name: str
    level: str
    sessions: tuple[Session, ...]
    languages: tuple[str, ...] = ()  # empty: taught in the clinic's usual language only
    min_age: int | None = None
    max_age: int | None = None
    capacity: int | None = None  # None: no limit recorded
    census: int = 0

    @property
    def hours(self) -> float:
        return sum(session.hours for session in self.sessions)

    @property
    def open_places(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.census, 0)


@dataclass(frozen=True)
class PersonFacts:
    level: str  # the level being placed (the start level)
    availability: frozenset[str] = frozenset()  # empty: not asked or not answered
    hours_available: int | None = None
    age: int | None = None
    language: str | None = None  # e.g. "es"; None: not known


@dataclass
class Fit:
    program: ProgramFacts
    fits: bool  # level, schedule, hours, language and age all fit, and a place is open
    schedule_share: float  # the share of the weekly sessions in times the person can come
    hours_ok: bool = True
    language_ok: bool = True
    age_ok: bool = True
    reasons: list[str] = field(default_factory=list)

    @property
    def has_place(self) -> bool:
        places = self.program.open_places
        return places is None or places > 0


def schedule_words(sessions: tuple[Session, ...]) -> str:
    """e.g. "evenings Mon/Wed/Thu" or "mornings Tue/Thu, weekends Sat"."""
    by_slot: dict[str, list[int]] = {}
    for session in sorted(sessions, key=lambda s: (s.weekday, s.start)):
        days = by_slot.setdefault(session.slot, [])
        if session.weekday not in days:
            days.append(session.weekday)
    return ", ".join(f"{_PART_OF_DAY[slot]} {'/'.join(WEEKDAYS[d] for d in days)}"
                     for slot, days in by_slot.items()) or "round the clock"


def _hours_words(hours: float) -> str:
    return f"{hours:g} h a week"


def program_fit(program: ProgramFacts, person: PersonFacts) -> Fit:
    """How `program` fits `person`, with the reasons in words."""
    reasons = []
    level_ok = program.level == person.level
    if not level_ok:
        reasons.append("another level of care")
    slots = [session.slot for session in program.sessions]
    if person.availability and slots:
        inside = [slot for slot in slots if slot in person.availability]
        share = len(inside) / len(slots)
    else:
        share = 1.0  # round-the-clock care, or nothing said: the schedule does not narrow it
    described = f"{schedule_words(program.sessions)}, {_hours_words(program.hours)}"
    if not program.sessions:
        reasons.append("round-the-clock care (no weekly sessions)")
    elif not person.availability:
        reasons.append(f"{described}: the person did not say when they can come")
    elif share == 1:
        matched = sorted(set(slots), key=list(SLOT_WORDS).index)
        reasons.append(f"{described}: matches your "
                       f"{' and '.join(SLOT_WORDS[s] for s in matched)}")
    else:
        missing = sorted({slot for slot in slots if slot not in person.availability},
                         key=list(SLOT_WORDS).index)
        reasons.append(f"{described}: not free {' or '.join(SLOT_WORDS[s] for s in missing)}")
    hours_ok = (person.hours_available is None or not program.sessions
                or program.hours <= person.hours_available)
    if not hours_ok:
        reasons.append(f"needs {_hours_words(program.hours)}, the person has "
                       f"{person.hours_available}")
    language_ok = (person.language is None or not program.languages
                   or person.language in program.languages)
    if not language_ok:
        reasons.append(f"not offered in {person.language} ({', '.join(program.languages)})")
    age_ok = person.age is None or (
        (program.min_age is None or person.age >= program.min_age)
        and (program.max_age is None or person.age <= program.max_age))
    if not age_ok:
        reasons.append(f"ages {program.min_age or 0}\u2013{program.max_age or 'any'}")
    places = program.open_places
    if places == 0:
        reasons.append("no open places")
    elif places is not None:
        reasons.append(f"{places} open place{'s' if places != 1 else ''}")
    fits = level_ok and share == 1 and hours_ok and language_ok and age_ok and places != 0
    return Fit(program=program, fits=fits, schedule_share=share, hours_ok=hours_ok,
               language_ok=language_ok, age_ok=age_ok, reasons=reasons)


def programs_ranked(programs: list[ProgramFacts], person: PersonFacts) -> list[Fit]:
    """Every program with how it fits, best first: level, schedule overlap, hours, language,
    age, then open places (most first; no limit recorded counts as open), then name."""
    fits = [program_fit(program, person) for program in programs]

    def order(fit: Fit):
        program = fit.program
        places = program.open_places
        return (program.level != person.level, not fit.fits, -fit.schedule_share,
                not fit.hours_ok, not fit.language_ok, not fit.age_ok,
                places == 0, -(places if places is not None else 10**6), program.name)

    return sorted(fits, key=order)


def no_place_at_level(fits: list[Fit], level: str) -> bool:
    """True when no program at `level` fits the person with a place open: the decision then
    records "no capacity at the indicated level" and a wait-list entry."""
    return not any(fit.fits for fit in fits if fit.program.level == level)
