"""The programs that fit a person, read from the database for review/matching.py."""

from django.core.exceptions import ObjectDoesNotExist

from intake.models import Intake

from .matching import Fit, PersonFacts, ProgramFacts, Session, programs_ranked
from .models import Program

# The person writes their language in their own words (contacts: "English", "Spanish"...);
# programs list language codes. The words a clinic sees most, read as codes.
LANGUAGE_CODES = {"english": "en", "inglés": "en", "ingles": "en", "spanish": "es",
                  "español": "es", "espanol": "es", "castellano": "es"}


def language_code(words: str | None) -> str | None:
    """The code of a language written in words, or None when it is not one we can read (then
    no program is ruled out on language: the clinician reads the person's own words)."""
    text = (words or "").strip().lower()
    if text in LANGUAGE_CODES:
        return LANGUAGE_CODES[text]
    return text if text.isalpha() and 2 <= len(text) <= 3 else None


def preferred_language(intake: Intake) -> str | None:
    """The code of the person's preferred language, from their contact details (SPEC §8b);
    None before they gave them or when it is not a language we can read. The staff access
    helper joins the details: no query of its own there."""
    try:
        details = intake.patient.contact_details
    except ObjectDoesNotExist:
        return None
    return language_code(details.preferred_language)


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
