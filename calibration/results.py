"""A calibration round's results from plain data: each clinician against the engine, each
pair of clinicians, all of them together, and the rules the disagreements sit on.

No Django here either (calibration.selectors loads the rows and calls `round_results`), so
the tests give it fixed cases with answers worked out by hand.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from .agreement import Agreement, cohen_kappa, fleiss_kappa, fleiss_table, pairs_of

LEVELS = ("outpatient", "iop", "inpatient")
# A case where no rule matched is outpatient by default: a disagreement there sits on no
# rule, and is counted under this name so it is not lost from the table.
NO_RULE = "(no rule: outpatient by default)"


@dataclass(frozen=True)
class Case:
    id: str
    engine: str  # the level the round's criteria gave
    rules: tuple[str, ...]  # the rules that matched, highest level first
    expected: str | None = None  # the public case's expected level


@dataclass(frozen=True)
class RaterRow:
    rater: Hashable
    agreement: Agreement  # with the engine, over the cases this rater rated


@dataclass(frozen=True)
class PairRow:
    first: Hashable
    second: Hashable
    agreement: Agreement  # over the cases both rated


@dataclass(frozen=True)
class Disagreement:
    case: Case
    ratings: dict  # rater -> level, only the raters who differ from the engine


@dataclass(frozen=True)
class RuleRow:
    rule: str
    cases: int  # cases with a disagreement where this rule matched
    ratings: int  # ratings differing from the engine on those cases


@dataclass(frozen=True)
class RoundResults:
    cases: list[Case]
    with_engine: list[RaterRow]
    pairs: list[PairRow]
    all_raters: list  # the raters who rated every case: Fleiss' kappa is theirs
    fleiss: Agreement
    disagreements: list[Disagreement]
    by_rule: list[RuleRow]


def round_results(*, cases: Sequence[Case],
                  ratings: Mapping[Hashable, Mapping[str, str]]) -> RoundResults:
    """Agreement figures for one round. `ratings` maps each rater to {case id: level};
    raters are kept in the order given.

    Returns RoundResults. A rater's rating of a case not in `cases` is ignored. Fleiss'
    kappa is over the raters who rated every case (undefined, with the reason, when fewer
    than two did). Raises calibration.agreement.AgreementError on a level outside LEVELS.
    """
    by_id = {case.id: case for case in cases}
    ratings = {rater: {case_id: level for case_id, level in rated.items() if case_id in by_id}
               for rater, rated in ratings.items()}
    with_engine = []
    for rater, rated in ratings.items():
        ids = [case_id for case_id in by_id if case_id in rated]
        with_engine.append(RaterRow(rater, cohen_kappa(
            [rated[i] for i in ids], [by_id[i].engine for i in ids], LEVELS)))

    pairs = []
    for first, second in pairs_of(list(ratings)):
        ids = [case_id for case_id in by_id
               if case_id in ratings[first] and case_id in ratings[second]]
        pairs.append(PairRow(first, second, cohen_kappa(
            [ratings[first][i] for i in ids], [ratings[second][i] for i in ids], LEVELS)))

    complete = [rater for rater, rated in ratings.items() if cases and len(rated) == len(by_id)]
    if len(complete) >= 2:
        fleiss = fleiss_kappa(fleiss_table(
            [[ratings[rater][case_id] for rater in complete] for case_id in by_id], LEVELS))
    else:
        fleiss = Agreement(len(by_id), len(complete), None, None, None,
                           "fewer than two clinicians rated every case")

    disagreements = []
    for case in cases:
        differ = {rater: rated[case.id] for rater, rated in ratings.items()
                  if case.id in rated and rated[case.id] != case.engine}
        if differ:
            disagreements.append(Disagreement(case, differ))
    return RoundResults(list(cases), with_engine, pairs, complete, fleiss, disagreements,
                        _by_rule(disagreements))


def _by_rule(disagreements: list[Disagreement]) -> list[RuleRow]:
    cases: dict[str, int] = {}
    differing: dict[str, int] = {}
    for disagreement in disagreements:
        for rule in disagreement.case.rules or (NO_RULE,):
            cases[rule] = cases.get(rule, 0) + 1
            differing[rule] = differing.get(rule, 0) + len(disagreement.ratings)
    rows = [RuleRow(rule, cases[rule], differing[rule]) for rule in cases]
    return sorted(rows, key=lambda row: (-row.ratings, -row.cases, row.rule))
