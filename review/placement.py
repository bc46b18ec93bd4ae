"""The programs that fit a person, read from the database for review/matching.py."""

from django.core.exceptions import ObjectDoesNotExist

from intake.models import Intake

from .matching import Fit, PersonFacts, ProgramFacts, Session, programs_ranked
from .models import Program


def preferred_language(intake: Intake) -> str | None:
    """The person's preferred language, once contact details are kept beside the intake
    (SPEC §8b); None while they are not."""
    try:
        contact = getattr(intake, "contact_details", None) or getattr(intake, "contact", None)
    except ObjectDoesNotExist:
        return None
    language = getattr(contact, "preferred_language", None)
    return language if isinstance(language, str) and language else None


def person_facts(intake: Intake, level: str, language: str | None = None) -> PersonFacts:
    answers = intake.answers or {}
    hours = answers.get("hours_available_per_week")
    age = answers.get("age")
    return PersonFacts(level=level, availability=frozenset(answers.get("availability") or ()),
                       hours_available=hours if isinstance(hours, int) else None,
                       age=age if isinstance(age, int) else None, language=language)


def programs_open() -> list[ProgramFacts]:
    """Every program taking people, with its sessions (two queries)."""
    return [ProgramFacts(
        key=program.pk, name=program.name, level=program.level,
        sessions=tuple(Session(s.weekday, s.starts_at, s.ends_at)
                       for s in program.sessions.all()),
        languages=tuple(program.languages or ()), min_age=program.min_age,
        max_age=program.max_age, capacity=program.capacity, census=program.census)
        for program in Program.objects.filter(active=True).prefetch_related("sessions")]


def programs_fitting(intake: Intake, level: str, language: str | None = None) -> list[Fit]:
    """Every open program ranked for the person at `level`, best first, with its reasons."""
    return programs_ranked(programs_open(), person_facts(intake, level, language))
