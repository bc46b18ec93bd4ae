"""The operations the condition editor makes, one node at a time, at any depth (no Django)."""

import json
from pathlib import Path

import pytest

from screening import condition_tree as tree
from screening.engine import load_criteria

SHIPPED = json.loads((Path(__file__).resolve().parents[2] / "screening" / "criteria"
                      / "default-2.json").read_text())


def shipped(rule_id: str):
    return next(r for r in SHIPPED["rules"] if r["id"] == rule_id)["when"]


def t(fact, op, value):
    return {"fact": fact, "op": op, "value": value}


SEVERE = t("severity", "gte", "moderate")
NO_SUPPORT = t("support", "eq", "none")
HOMELESS = t("housing", "eq", "homeless")
UNSAFE = t("home_safe", "eq", False)
YOUNG = t("age", "lt", 18)


def deep():
    """all[ severity, any[ support, all[ housing, any[ home, age ] ] ] ]: depth 4."""
    return {"all": [SEVERE, {"any": [NO_SUPPORT, {"all": [HOMELESS, {"any": [UNSAFE,
                                                                              YOUNG]}]}]}]}


def valid(when) -> bool:
    """The engine's own check of a rule with this condition."""
    document = {**SHIPPED, "rules": [{"id": "X", "level": "iop", "reason": "r",
                                      "when": when}]}
    return load_criteria(document) is not None


def test_it_builds_ip_no_safe_base_from_one_test_in_the_same_shape_as_shipped():
    when = SEVERE
    when, added = tree.add(when, (), {"any": [NO_SUPPORT]})
    assert added == (1,)
    when, _ = tree.add(when, (1,), HOMELESS)
    when, last = tree.add(when, (1,), UNSAFE)
    assert last == (1, 2)
    assert when == shipped("IP-NO-SAFE-BASE") and valid(when)


def test_a_top_group_of_one_test_is_stored_as_that_test_and_a_single_test_is_a_group():
    assert tree.as_group(SEVERE) == {"all": [SEVERE]}
    assert tree.remove({"any": [SEVERE, YOUNG]}, (1,)) == SEVERE
    # A group of one group is kept: only a lone test is unwrapped.
    assert tree.remove({"all": [SEVERE, {"any": [YOUNG, UNSAFE]}]}, (0,)) == {
        "all": [{"any": [YOUNG, UNSAFE]}]}


def test_it_adds_replaces_moves_and_removes_four_levels_deep():
    when = deep()
    when, added = tree.add(when, (1, 1, 1), t("score.phq9", "gte", 20))
    assert added == (1, 1, 1, 2)
    assert tree.node_at(tree.as_group(when), added) == t("score.phq9", "gte", 20)
    when = tree.replace(when, (1, 1, 1, 0), t("home_safe", "ne", True))
    when, moved = tree.move(when, (1, 1, 1, 2), -1)
    assert moved == (1, 1, 1, 1)
    assert tree.children_of(tree.node_at(tree.as_group(when), (1, 1, 1))) == [
        t("home_safe", "ne", True), t("score.phq9", "gte", 20), YOUNG]
    when, moved = tree.move(when, (1, 1), -1)  # a whole group moved up past a test
    assert moved == (1, 0) and tree.is_group(tree.node_at(tree.as_group(when), (1, 0)))
    when = tree.set_combinator(when, (1, 0, 1), "all")
    assert tree.combinator_of(tree.node_at(tree.as_group(when), (1, 0, 1))) == "all"
    when = tree.remove(when, (1, 0, 1, 2))
    when = tree.remove(when, (1, 0))  # a group with what it holds
    assert when == {"all": [SEVERE, {"any": [NO_SUPPORT]}]}
    assert valid(when)


def test_the_order_of_the_others_is_kept_when_one_part_moves():
    when = {"any": [SEVERE, NO_SUPPORT, HOMELESS, UNSAFE]}
    when, _ = tree.move(when, (2,), 1)
    assert tree.children_of(when) == [SEVERE, NO_SUPPORT, UNSAFE, HOMELESS]
    when, _ = tree.move(when, (1,), -1)
    assert tree.children_of(when) == [NO_SUPPORT, SEVERE, UNSAFE, HOMELESS]


def test_all_and_any_switch_at_the_top_and_deep_down():
    assert tree.set_combinator(shipped("IP-NO-SAFE-BASE"), (), "any") == {
        "any": shipped("IP-NO-SAFE-BASE")["all"]}
    changed = tree.set_combinator(deep(), (1, 1, 1), "all")
    assert changed["all"][1]["any"][1]["all"][1] == {"all": [UNSAFE, YOUNG]}


def test_the_original_is_never_changed_in_place():
    original = deep()
    before = json.dumps(original)
    tree.add(original, (1,), YOUNG)
    tree.replace(original, (0,), YOUNG)
    tree.move(original, (1, 1), -1)
    tree.remove(original, (1, 0))
    tree.set_combinator(original, (1,), "all")
    assert json.dumps(original) == before


@pytest.mark.parametrize(("operation", "message"), [
    (lambda: tree.remove(SEVERE, (0,)), "only condition left"),
    (lambda: tree.remove({"all": [SEVERE, {"any": [YOUNG]}]}, (1, 0)),
     "only condition in its group"),
    (lambda: tree.remove(deep(), ()), "top group cannot be removed"),
    (lambda: tree.move(deep(), (0,), -1), "already first"),
    (lambda: tree.move(deep(), (1, 1, 1, 1), 1), "already last"),
    (lambda: tree.move(deep(), (), 1), "nowhere to move"),
    (lambda: tree.add(deep(), (0,), YOUNG), "added to a group"),
    (lambda: tree.add(deep(), (1, 5), YOUNG), "no longer there"),
    (lambda: tree.replace(deep(), (1,), YOUNG), "That part is a group"),
    (lambda: tree.replace(deep(), (), YOUNG), "top of the condition is a group"),
    (lambda: tree.set_combinator(deep(), (1,), "not"), "all or any"),
    (lambda: tree.set_combinator(deep(), (0,), "any"), "added to a group"),
])
def test_what_cannot_be_done_is_said_in_words(operation, message):
    with pytest.raises(tree.TreeError, match=message):
        operation()


@pytest.mark.parametrize("text", ["x", "1.", ".1", "-1", "1..2", "1.a", "99999", "1" * 300,
                                  None, "1 .2", "\u0661"])
def test_a_path_that_is_not_one_is_refused(text):
    with pytest.raises(tree.TreeError):
        tree.parse_path(text)


def test_paths_read_and_write_the_same():
    assert tree.parse_path("") == ()
    assert tree.parse_path("1.0.12") == (1, 0, 12)
    assert tree.path_text((1, 0, 12)) == "1.0.12"


def test_the_revision_changes_with_the_condition_only():
    assert tree.revision(deep()) == tree.revision(deep())
    assert tree.revision(deep()) != tree.revision(tree.set_combinator(deep(), (1,), "all"))


def test_the_nodes_shown_name_every_part_with_its_path_and_place():
    root = tree.nodes(deep())
    assert root["kind"] == "group" and root["path"] == "" and root["combinator"] == "all"
    inner = root["parts"][1]["parts"][1]["parts"][1]
    assert inner["path"] == "1.1.1" and inner["label"] == "2.2.2" and inner["depth"] == 3
    assert [p["first"] for p in inner["parts"]] == [True, False]
    assert [p["last"] for p in inner["parts"]] == [False, True]
    assert tree.nodes(SEVERE)["parts"][0]["node"] == SEVERE
