"""Clinically meaningful change between two scores of one instrument (measurement-based care).

Pure Python, no Django: codes and numbers only; the templates put them in words. The
thresholds are data (THRESHOLDS), one row per instrument that has a published one; each row's
source is in docs/instruments.md ("Clinically meaningful change"). An instrument without a
published threshold has no row, and no change of its score is marked.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from screening.engine.catalogue import INSTRUMENTS

# The marks, strongest first: Change.headline is the first one that applies.
REMISSION = "remission"  # now below the remission score, from a score where it was a goal
RESPONSE = "response"  # fell by at least the response fraction, from such a score
BELOW_CUTOFF = "below_cutoff"  # fell from the cut-off or above to below it, by the MCID or more
IMPROVED = "improved"  # fell by at least the minimal clinically important difference
WORSENED = "worsened"  # rose by at least that difference
MARKS = (REMISSION, RESPONSE, BELOW_CUTOFF, IMPROVED, WORSENED)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """One instrument's published change thresholds (None: no published threshold).

    meaningful: the minimal clinically important difference, a change of at least this many
    points either way. response_fraction: a fall of at least this share of the earlier score.
    remission_below: remission is a score below this. cutoff: the screening cut-off; falling
    from it or above to below it is marked when the fall is also meaningful (10 to 9 is
    within the test's own noise: "reliable recovery" in NHS Talking Therapies' terms). Response and remission are measured only from a
    score at or above `index_from`, as the quality measures that define them do (a score
    already low cannot "respond" or "remit").
    """

    meaningful: Decimal
    response_fraction: Decimal | None = None
    remission_below: Decimal | None = None
    cutoff: Decimal | None = None
    index_from: Decimal | None = None
    source: str = ""


THRESHOLDS: dict[str, Thresholds] = {
    "phq9": Thresholds(
        meaningful=Decimal(5), response_fraction=Decimal("0.5"), remission_below=Decimal(5),
        cutoff=Decimal(10), index_from=Decimal(10),
        source="MCID 5 points: Löwe et al., Med Care 2004;42:1194-1201. Response (50% fall) "
               "and remission (below 5) from an index score of 10 or more: NQF 1885 and "
               "NQF 0710 / CMS159 (MN Community Measurement), NCQA HEDIS DRR-E. Cut-off 10: "
               "Kroenke et al., J Gen Intern Med 2001;16:606-613."),
    "gad7": Thresholds(
        meaningful=Decimal(4), cutoff=Decimal(10),
        source="MCID 4 points: Toussaint et al., J Affect Disord 2020;265:395-401. Cut-off "
               "10: Spitzer et al., Arch Intern Med 2006;166:1092-1097."),
    "peg": Thresholds(
        meaningful=Decimal(1),
        source="Minimally important difference about 1 point (anchor-based estimates 1.0 to "
               "1.75): Reed et al., J Pain 2024;25(1):142-152."),
}


@dataclass(frozen=True, slots=True)
class Change:
    """A clinically meaningful change from `before` to `after` (points; after minus before
    in `difference`). `marks` holds the codes of MARKS that apply, strongest first;
    `percent` is the change as a whole-number percentage of `before` (None from 0)."""

    instrument: str
    before: float
    after: float
    difference: float
    percent: int | None
    marks: tuple[str, ...]

    @property
    def headline(self) -> str:
        """The strongest mark: the one a sentence for the person names."""
        return self.marks[0]

    @property
    def better(self) -> bool:
        return self.difference < 0


def describe_change(instrument: str, before: float, after: float) -> Change | None:
    """The clinically meaningful change from one score to a later one, or None when the
    change reaches no published threshold or the instrument has none (THRESHOLDS).

    Lower is better on every instrument here. Raises ValueError for an unknown instrument
    or a score outside the instrument's range.
    """
    check_score(instrument, before, "before")
    check_score(instrument, after, "after")
    spec = INSTRUMENTS[instrument]
    thresholds = THRESHOLDS.get(instrument)
    if thresholds is None:
        return None
    # Decimal from the written number: PEG's 6.3 - 5.3 is exactly 1.0, not 0.9999...
    was, now = Decimal(repr(before)), Decimal(repr(after))
    marks = _marks(thresholds, was, now)
    if not marks:
        return None
    difference = now - was
    percent = None if was == 0 else int((difference * 100 / was).to_integral_value(ROUND_HALF_UP))
    return Change(instrument=instrument, before=before, after=after,
                  difference=float(difference) if spec.key == "peg" else int(difference),
                  percent=percent, marks=marks)


def check_score(instrument: str, score: object, field: str) -> None:
    """Raises ValueError, naming `field`, unless `score` is a score of `instrument`: a whole
    number in its range, or for PEG (a mean, one decimal) any number in it. Raises it too
    for an unknown instrument."""
    spec = INSTRUMENTS.get(instrument)
    if spec is None:
        raise ValueError(f"unknown instrument: {instrument!r}")
    low, high = spec.score_range
    kinds = (int, float) if instrument == "peg" else (int,)
    if type(score) not in kinds or not low <= score <= high:  # type: ignore[operator]
        kind = "a number" if instrument == "peg" else "a whole number"
        raise ValueError(f"{field}: expected a {spec.name} score, {kind} from {low:g} to "
                         f"{high:g}, got {score!r}")


def _marks(thresholds: Thresholds, was: Decimal, now: Decimal) -> tuple[str, ...]:
    found = set()
    fall = was - now
    from_index = thresholds.index_from is not None and was >= thresholds.index_from
    if thresholds.remission_below is not None and from_index and now < thresholds.remission_below:
        found.add(REMISSION)
    if (thresholds.response_fraction is not None and from_index
            and fall >= was * thresholds.response_fraction):
        found.add(RESPONSE)
    if (thresholds.cutoff is not None and was >= thresholds.cutoff > now
            and fall >= thresholds.meaningful):
        found.add(BELOW_CUTOFF)
    if fall >= thresholds.meaningful:
        found.add(IMPROVED)
    if -fall >= thresholds.meaningful:
        found.add(WORSENED)
    return tuple(mark for mark in MARKS if mark in found)
