"""The program ranking on a table of schedules and availabilities (review/matching.py)."""

from datetime import time

import pytest

from review.matching import (
    PersonFacts,
    ProgramFacts,
    Session,
    no_place_at_level,
    program_fit,
    programs_ranked,
    schedule_words,
)


def sessions(*specs: str) -> tuple[Session, ...]:
    """ "Mon 18-21" -> a Monday session from 18:00 to 21:00."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    out = []
    for spec in specs:
        day, hours = spec.split()
        start, end = (int(h) for h in hours.split("-"))
        out.append(Session(days.index(day), time(start), time(end)))
    return tuple(out)


EVENINGS = ProgramFacts(1, "Evening IOP", "iop", sessions("Mon 18-21", "Wed 18-21", "Thu 18-21"))
MORNINGS = ProgramFacts(2, "Morning IOP", "iop", sessions("Tue 9-12", "Thu 9-12", "Fri 9-12"))
WEEKEND = ProgramFacts(3, "Weekend IOP", "iop", sessions("Sat 9-14", "Sun 9-14"))
MIXED = ProgramFacts(4, "Mixed IOP", "iop", sessions("Mon 13-16", "Wed 18-21", "Sat 10-13"))
LONG = ProgramFacts(5, "Day program", "iop", sessions(*(f"{d} 9-13" for d in
                                                        ("Mon", "Tue", "Wed", "Thu", "Fri"))))
WEEKLY = ProgramFacts(6, "Weekly group", "outpatient", sessions("Tue 18-19"))
ALL = [EVENINGS, MORNINGS, WEEKEND, MIXED, LONG, WEEKLY]


@pytest.mark.parametrize(("availability", "hours", "best", "fitting"), [
    ({"weekday_evening"}, 10, "Evening IOP", {"Evening IOP"}),
    ({"weekday_morning"}, 12, "Morning IOP", {"Morning IOP"}),
    ({"weekday_morning"}, 20, "Day program", {"Morning IOP", "Day program"}),  # tie: by name
    ({"weekend"}, 10, "Weekend IOP", {"Weekend IOP"}),
    ({"weekend"}, 9, "Weekend IOP", set()),  # 10 h a week is more than 9
    ({"weekday_afternoon", "weekday_evening", "weekend"}, 20, "Evening IOP",
     {"Evening IOP", "Weekend IOP", "Mixed IOP"}),
    ({"weekday_afternoon"}, 20, "Mixed IOP", set()),  # a third of Mixed, none of the rest
    (set(), None, "Day program", {"Evening IOP", "Morning IOP", "Weekend IOP", "Mixed IOP",
                                  "Day program"}),  # nothing said: every IOP, most places first
])
def test_the_ranking_fits_the_schedule_to_the_person_s_week(availability, hours, best,
                                                            fitting):
    ranked = programs_ranked(ALL, PersonFacts(level="iop", availability=frozenset(availability),
                                              hours_available=hours))
    assert {fit.program.name for fit in ranked if fit.fits} == fitting
    if fitting:
        assert ranked[0].program.name == best
    else:
        # Nothing fits: the best overlap still comes first for the clinician to weigh.
        assert ranked[0].program.name == best and not ranked[0].fits
    assert ranked[-1].program.name == "Weekly group"  # another level always last


def test_it_says_why_in_the_clinic_s_words():
    fit = program_fit(EVENINGS, PersonFacts("iop", frozenset({"weekday_evening"}), 9))
    assert fit.reasons == ["evenings Mon/Wed/Thu, 9 h a week: matches your weekday evenings"]
    fit = program_fit(MIXED, PersonFacts("iop", frozenset({"weekday_evening"}), 9))
    assert fit.reasons[0] == ("afternoons Mon, evenings Wed, weekends Sat, 9 h a week: "
                              "not free weekday afternoons or weekends")
    assert not fit.fits and fit.schedule_share == pytest.approx(1 / 3)
    fit = program_fit(LONG, PersonFacts("iop", frozenset({"weekday_morning"}), 12))
    assert "needs 20 h a week, the person has 12" in fit.reasons


def test_language_age_and_places_narrow_the_fit():
    spanish = ProgramFacts(7, "IOP en español", "iop", EVENINGS.sessions, languages=("es",),
                           capacity=10, census=4)
    teens = ProgramFacts(8, "Teen IOP", "iop", EVENINGS.sessions, min_age=13, max_age=17)
    full = ProgramFacts(9, "Full IOP", "iop", EVENINGS.sessions, capacity=8, census=8)
    person = PersonFacts("iop", frozenset({"weekday_evening"}), 12, age=30, language="es")
    ranked = programs_ranked([full, teens, spanish, EVENINGS], person)
    # A full program the person could wait for ranks before one they are too old for.
    assert [fit.program.name for fit in ranked] == ["Evening IOP", "IOP en español",
                                                    "Full IOP", "Teen IOP"]
    # No limit recorded ranks before 6 open places; both fit.
    assert [fit.fits for fit in ranked] == [True, True, False, False]
    assert "6 open places" in ranked[1].reasons
    assert "no open places" in ranked[2].reasons and "ages 13–17" in ranked[3].reasons
    english = PersonFacts("iop", frozenset({"weekday_evening"}), 12, age=30, language="en")
    assert "not offered in en (es)" in program_fit(spanish, english).reasons


def test_no_fitting_program_with_a_place_means_no_capacity_at_the_level():
    full = ProgramFacts(9, "Full IOP", "iop", EVENINGS.sessions, capacity=8, census=9)
    person = PersonFacts("iop", frozenset({"weekday_evening"}), 12)
    assert no_place_at_level(programs_ranked([full, WEEKLY], person), "iop")
    assert not no_place_at_level(programs_ranked([full, EVENINGS], person), "iop")
    assert no_place_at_level([], "iop")


def test_schedule_words():
    assert schedule_words(WEEKEND.sessions) == "weekends Sat/Sun"
    assert schedule_words(()) == "round the clock"


def test_round_the_clock_care_is_not_narrowed_by_the_person_s_week():
    unit = ProgramFacts(10, "Residential unit", "inpatient", ())
    fit = program_fit(unit, PersonFacts("inpatient", frozenset({"weekend"}), 2))
    assert fit.fits and fit.reasons == ["round-the-clock care (no weekly sessions)"]


@pytest.mark.parametrize(("words", "code"), [
    ("English", "en"), ("Spanish", "es"), ("Español", "es"), (" es ", "es"),
    ("Haitian Creole", None), ("", None), (None, None)])
def test_the_person_s_language_in_words_is_read_as_a_code(words, code):
    from review.placement import language_code

    assert language_code(words) == code
