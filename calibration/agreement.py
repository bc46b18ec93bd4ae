"""Agreement between raters beyond chance: Cohen's kappa (two raters), Fleiss' kappa (many).

Plain Python, no Django: the calibration pages feed it levels, the tests feed it textbook
tables. Arithmetic is done in exact fractions, so "chance agreement is 1" (every rating in
one level, where kappa is 0/0) is seen exactly and never divided by; results are floats.

Cohen's kappa (Cohen J. A coefficient of agreement for nominal scales. Educational and
Psychological Measurement 1960;20:37-46), for two raters over the same N cases:

    p_o = (1/N) * sum_k n_kk                     the share of cases both put in the same level
    p_e = sum_k (n_k. / N) * (n_.k / N)          the share expected by chance from each
                                                 rater's own use of the levels
    kappa = (p_o - p_e) / (1 - p_e)

Fleiss' kappa (Fleiss JL. Measuring nominal scale agreement among many raters.
Psychological Bulletin 1971;76(5):378-382), for N cases each rated by the same number n of
raters (not necessarily the same people), n_ij raters putting case i in level j:

    P_i  = (sum_j n_ij^2 - n) / (n (n - 1))      agreeing rater pairs on case i, as a share
    Pbar = (1/N) * sum_i P_i
    p_j  = (1/(N n)) * sum_i n_ij                the share of all ratings in level j
    Pe   = sum_j p_j^2
    kappa = (Pbar - Pe) / (1 - Pe)

Kappa is undefined (None, with the reason in words) when chance agreement is 1: every
rating fell in one level, so there was nothing to agree on beyond chance.

The words for a kappa ("moderate", "substantial") are Landis JR, Koch GG. The measurement
of observer agreement for categorical data. Biometrics 1977;33(1):159-174: benchmarks they
call arbitrary, shown as a reading aid only.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations


class AgreementError(ValueError):
    """The ratings cannot be compared as given (lengths differ, an unknown level, ...)."""


@dataclass(frozen=True)
class Agreement:
    """Kappa and its parts. `observed` is the raw agreement (Cohen's p_o, Fleiss' Pbar) as a
    proportion; `chance` the agreement expected by chance; `kappa` None when undefined, then
    `undefined` says why."""

    cases: int
    raters: int
    observed: float | None
    chance: float | None
    kappa: float | None
    undefined: str = ""

    @property
    def percent(self) -> float | None:
        """Raw agreement in percent (for Fleiss: the mean share of agreeing rater pairs)."""
        return None if self.observed is None else 100 * self.observed

    @property
    def words(self) -> str:
        """Landis & Koch's (1977) benchmark word for this kappa, or "" when undefined."""
        return landis_koch(self.kappa)


NO_CASES = "no case was rated by both"
ONE_LEVEL = ("every rating is the same one level: chance agreement is 1, so agreement "
             "beyond chance cannot be measured")


def _ratio(numerator: Fraction, denominator: Fraction) -> float:
    return float(numerator / denominator)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable],
                categories: Sequence[Hashable] | None = None) -> Agreement:
    """Cohen's kappa between two raters; `first[i]` and `second[i]` rate the same case i.

    `categories`, when given, are the only levels allowed. Returns an Agreement (kappa None
    with the reason when no case is given or chance agreement is 1). Raises AgreementError
    when the two lists differ in length or hold a level outside `categories`.
    """
    if len(first) != len(second):
        raise AgreementError(f"the raters rated {len(first)} and {len(second)} cases: "
                             "each case needs a rating from both")
    _check_levels([*first, *second], categories)
    total = len(first)
    if total == 0:
        return Agreement(0, 2, None, None, None, NO_CASES)
    observed = Fraction(sum(a == b for a, b in zip(first, second, strict=True)), total)
    levels = set(first) | set(second)
    chance = sum((Fraction(list(first).count(level), total)
                  * Fraction(list(second).count(level), total) for level in levels),
                 Fraction(0))
    if chance == 1:
        return Agreement(total, 2, float(observed), 1.0, None, ONE_LEVEL)
    return Agreement(total, 2, float(observed), float(chance),
                     _ratio(observed - chance, 1 - chance))


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> Agreement:
    """Fleiss' kappa from a table: one row per case, one column per level, each cell the
    number of raters who put that case in that level. Every row must add up to the same
    number of raters, at least two.

    Returns an Agreement (kappa None with the reason when there is no case or chance
    agreement is 1). Raises AgreementError on a negative count, rows of different widths
    or different rater totals, or fewer than two raters.
    """
    if not counts:
        return Agreement(0, 0, None, None, None, "no case was rated")
    width = len(counts[0])
    raters = sum(counts[0])
    for number, row in enumerate(counts, start=1):
        if len(row) != width:
            raise AgreementError(f"case {number} has {len(row)} levels, the first has {width}")
        if any(not isinstance(cell, int) or cell < 0 for cell in row):
            raise AgreementError(f"case {number} has a count that is not a whole number >= 0")
        if sum(row) != raters:
            raise AgreementError(f"case {number} was rated by {sum(row)} raters, the first by "
                                 f"{raters}: Fleiss' kappa needs the same number on each")
    if raters < 2:
        raise AgreementError("Fleiss' kappa needs at least two raters per case")
    cases = len(counts)
    pair_share = [Fraction(sum(cell * cell for cell in row) - raters, raters * (raters - 1))
                  for row in counts]
    observed = sum(pair_share, Fraction(0)) / cases
    level_share = [Fraction(sum(row[j] for row in counts), cases * raters)
                   for j in range(width)]
    chance = sum((share * share for share in level_share), Fraction(0))
    if chance == 1:
        return Agreement(cases, raters, float(observed), 1.0, None, ONE_LEVEL)
    return Agreement(cases, raters, float(observed), float(chance),
                     _ratio(observed - chance, 1 - chance))


def fleiss_table(ratings: Sequence[Sequence[Hashable]],
                 categories: Sequence[Hashable]) -> list[list[int]]:
    """The counts table fleiss_kappa reads, from each case's list of ratings (one per rater).

    Raises AgreementError on a level outside `categories`."""
    for case in ratings:
        _check_levels(case, categories)
    return [[list(case).count(level) for level in categories] for case in ratings]


def pairs_of(raters: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    """Each unordered pair of raters once, in the order given."""
    return list(combinations(raters, 2))


def landis_koch(kappa: float | None) -> str:
    """Landis & Koch's (1977) word for a kappa: poor (< 0), slight (0-0.20), fair
    (0.21-0.40), moderate (0.41-0.60), substantial (0.61-0.80), almost perfect (0.81-1)."""
    if kappa is None:
        return ""
    if kappa < 0:
        return "poor"
    for top, word in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"),
                      (0.80, "substantial")):
        if kappa <= top:
            return word
    return "almost perfect"


def _check_levels(ratings: Sequence[Hashable], categories: Sequence[Hashable] | None) -> None:
    if categories is None:
        return
    allowed = set(categories)
    for rating in ratings:
        if rating not in allowed:
            raise AgreementError(f"{rating!r} is not one of the levels {list(categories)}")
