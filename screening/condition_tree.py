"""A rule's condition as a tree the editor changes one node at a time.

Plain Python, no Django: each operation takes a condition (the `when` of a rule or flag)
and returns a new one, or raises TreeError saying in words what cannot be done. Whether the
result is valid criteria is the engine's to say (load_criteria); these operations only keep
the shape the engine expects: a test {"fact", "op", "value"} or a group {"all"|"any": [...]}.

A node is named by its path from the top: "" is the top group, "1" its second part, "1.0"
the first part of that. A condition that is a single test is edited as the top group "all of
these" holding that one test, and a top group left with one test is stored as that test again
(the shipped criteria write single tests that way).
"""

import copy
import hashlib
import json
import re

COMBINATORS = ("all", "any")
_PATH = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,4})*")


class TreeError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_group(node) -> bool:
    return isinstance(node, dict) and len(node) == 1 and next(iter(node)) in COMBINATORS \
        and isinstance(next(iter(node.values())), list)


def combinator_of(group: dict) -> str:
    return next(iter(group))


def children_of(group: dict) -> list:
    return group[combinator_of(group)]


def as_group(when) -> dict:
    """The condition as a top group (a single test is "all of" that one test)."""
    return copy.deepcopy(when) if is_group(when) else {"all": [copy.deepcopy(when)]}


def stored(group: dict):
    """The top group as it is saved: a group of one test is that test."""
    parts = children_of(group)
    if len(parts) == 1 and not is_group(parts[0]):
        return parts[0]
    return group


def revision(when) -> str:
    """A short fingerprint of a condition: a form posted from a page showing another
    version of the rule (a second tab, a colleague) is refused instead of changing the
    wrong part."""
    text = json.dumps(when, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_path(text) -> tuple[int, ...]:
    if not isinstance(text, str) or len(text) > 200:
        raise TreeError("That part of the condition is not on this page.")
    if text == "":
        return ()
    if not _PATH.fullmatch(text):  # ASCII digits only: str.isdigit() takes "\u0661" too
        raise TreeError("That part of the condition is not on this page.")
    return tuple(int(part) for part in text.split("."))


def path_text(path) -> str:
    return ".".join(str(index) for index in path)


def node_at(group: dict, path: tuple[int, ...]):
    node = group
    for index in path:
        if not is_group(node) or index >= len(children_of(node)):
            raise TreeError("That part of the condition is no longer there: the page was "
                            "out of date. Here is the rule as it is now.")
        node = children_of(node)[index]
    return node


def group_at(group: dict, path) -> dict:
    node = node_at(group, path)
    if not is_group(node):
        raise TreeError("Tests are added to a group (all of / any of), not to a test.")
    return node


def test_at(group: dict, path) -> dict:
    if not path:
        raise TreeError("The top of the condition is a group, not a test.")
    node = node_at(group, path)
    if is_group(node):
        raise TreeError("That part is a group: change its tests one by one, or its "
                        "all / any.")
    return node


def add(when, path, part) -> tuple[object, tuple[int, ...]]:
    """`part` (a test or a group) added last in the group at `path`. Returns the new
    condition and the path of the part added."""
    group = as_group(when)
    target = group_at(group, path)
    children_of(target).append(copy.deepcopy(part))
    return stored(group), (*path, len(children_of(target)) - 1)


def replace(when, path, test: dict):
    """The test at `path` replaced by `test`."""
    group = as_group(when)
    test_at(group, path)
    parent = group_at(group, path[:-1])
    children_of(parent)[path[-1]] = copy.deepcopy(test)
    return stored(group)


def remove(when, path):
    """The part at `path` (a test or a whole group) removed."""
    if not path:
        raise TreeError("The top group cannot be removed: a rule needs a condition.")
    group = as_group(when)
    node_at(group, path)
    parent = group_at(group, path[:-1])
    if len(children_of(parent)) == 1:
        if not path[:-1]:
            raise TreeError("This is the only condition left: change it instead of "
                            "removing it (a rule needs at least one condition).")
        raise TreeError("This is the only condition in its group: remove the whole group, "
                        "or add another condition to it first.")
    del children_of(parent)[path[-1]]
    return stored(group)


def move(when, path, step: int) -> tuple[object, tuple[int, ...]]:
    """The part at `path` moved one place up (step -1) or down (+1) in its group.
    Returns the new condition and the part's new path."""
    if not path:
        raise TreeError("The top group has nowhere to move.")
    group = as_group(when)
    node_at(group, path)
    siblings = children_of(group_at(group, path[:-1]))
    index, to = path[-1], path[-1] + step
    if to < 0:
        raise TreeError("That part is already first in its group.")
    if to >= len(siblings):
        raise TreeError("That part is already last in its group.")
    siblings[index], siblings[to] = siblings[to], siblings[index]
    return stored(group), (*path[:-1], to)


def set_combinator(when, path, combinator: str):
    """The group at `path` made an "all of" or an "any of" group."""
    if combinator not in COMBINATORS:
        raise TreeError("Choose whether all or any of the conditions must hold.")
    group = as_group(when)
    target = group_at(group, path)
    parts = children_of(target)
    target.clear()
    target[combinator] = parts
    return stored(group)


def nodes(when) -> dict:
    """The condition as nested dicts for showing it: each has `path`, `kind` ("group" or
    "test"), its `node`, `first`/`last` among its siblings and, for a group, `combinator`
    and `parts`. The top is always a group."""
    def walk(node, path, first, last, depth):
        out = {"path": path_text(path), "node": node, "first": first, "last": last,
               "depth": depth, "label": ".".join(str(index + 1) for index in path)}
        if is_group(node):
            parts = children_of(node)
            out.update(kind="group", combinator=combinator_of(node), parts=[
                walk(child, (*path, index), index == 0, index == len(parts) - 1, depth + 1)
                for index, child in enumerate(parts)])
        else:
            out["kind"] = "test"
        return out
    return walk(as_group(when), (), True, True, 0)
