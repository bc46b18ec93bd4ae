"""One rule (or flag) on its page: id, level and reason, and its condition as a tree.

`ItemPage` turns one posted form into the new criteria document (or into the form to show
again, with what was typed and what is wrong); the view saves the document through
criteria_draft_update, which runs the engine's validator first. Every change to the
condition is one node: add a test or a group to a group, change a test, change a group's
all / any, move a part up or down, remove it.
"""

import copy

from screening.engine.words import condition_words, part_words

from . import condition_tree as tree
from .condition_forms import (
    ADD_WHAT,
    TestForm,
    annotate,
    fact_choices,
    facts_for,
    posted_fact,
    test_initial,
)
from .forms import NOUN, WHEN, ItemForm

TREE_ACTIONS = ("add-start", "add", "edit", "remove", "up", "down", "combine")


class ItemPage:
    """What the page shows and what a post changes. `error` is a refusal said at the top of
    the condition; `active` is the test form open at one node (adding or changing)."""

    def __init__(self, kind: str, document: dict, item: dict | None):
        self.kind, self.noun = kind, NOUN[kind]
        self.document = document
        self.item = item
        self.facts = facts_for(kind)
        self.fact_choices = fact_choices(self.facts)
        self.add_what = list(ADD_WHAT.items())
        taken = {i.get("id") for i in document.get(kind, [])} - {(item or {}).get("id")}
        initial = {"id": "", "level": "iop", "reason": ""} if item is None else {
            "id": item.get("id", ""), "level": item.get("level", "iop"),
            "reason": item.get("reason", "")}
        self.taken = taken
        self.form = ItemForm(kind=kind, taken=taken, initial=initial)
        self.active: dict | None = None  # {"mode": "add"|"edit"|"first", "at": path, "form"}
        self.error = ""
        self.error_at: str | None = None  # the part a refusal is said beside, when one
        self.message = ""  # what the post did, for the redirect
        self.anchor = ""
        self.new_id = (item or {}).get("id")

    # --- what is shown ---------------------------------------------------------------------

    @property
    def when(self):
        return (self.item or {}).get(WHEN)

    @property
    def rev(self) -> str:
        return tree.revision(self.when)

    @property
    def root(self) -> dict | None:
        return annotate(tree.nodes(self.when)) if self.item is not None else None

    @property
    def words(self) -> str:
        return condition_words(self.when) if self.item is not None else ""

    def _form(self, data=None, *, fact: str | None, initial: dict) -> TestForm:
        return TestForm(data, facts=self.facts, document=self.document,
                        fact=fact or "severity", initial=initial)

    def open_edit(self, path_text: str) -> None:
        """The test at this path opened for changing (a GET with ?edit=path)."""
        try:
            path = tree.parse_path(path_text)
            test = tree.test_at(tree.as_group(self.when), path)
        except tree.TreeError as error:
            self.error = error.message
            return
        initial = {**test_initial(test), "node": path_text, "rev": self.rev, "current": test}
        self.active = {"mode": "edit", "at": path_text,
                       "form": self._form(fact=test.get("fact"), initial=initial)}

    def open_first(self, data=None) -> None:
        """The first test of a new rule, chosen with its id, level and reason."""
        fact = posted_fact(data, self.facts) if data is not None else None
        self.active = {"mode": "first", "at": "",
                       "form": self._form(data, fact=fact, initial={"what": "test"})}

    # --- posts -----------------------------------------------------------------------------

    def refuse(self, message: str) -> None:
        self.error = message

    @property
    def has_errors(self) -> bool:
        """A refusal to show (400), as against a fact just chosen (200)."""
        form = self.active["form"] if self.active else None
        return bool(self.error or (self.form.is_bound and self.form.errors)
                    or (form is not None and form.is_bound and form.errors))

    def add_error(self, field, message: str) -> None:
        """Where the view puts the engine's refusal (forms.attach_error)."""
        text = str(message)
        if self.active is not None:
            self.active["form"].add_error(None, text)
        else:
            self.error = text

    def post(self, data) -> dict | None:
        """The new document for this post, or None when nothing is to be saved (the page
        is shown again, with the form open and what is wrong)."""
        action = data.get("action", "")
        if self.item is None:
            return self._create(data)
        if action == "item":
            return self._item(data)
        if action not in TREE_ACTIONS:
            self.refuse("That button is not one this page has: nothing was changed.")
            return None
        if data.get("rev") != self.rev and data.get("test-rev") != self.rev:
            self.refuse(f"This {self.noun} was changed since the page was shown (in another "
                        "tab, or by a colleague): nothing was changed. Here it is as it is "
                        "now.")
            return None
        try:
            if action == "add-start":
                return self._add_start(data)
            if action in ("add", "edit"):
                return self._test(data, action)
            return self._change_node(data, action)
        except tree.TreeError as error:
            self.refuse(error.message)
            node = data.get("node")
            if action in ("remove", "up", "down", "combine", "add-start") and \
                    isinstance(node, str) and node in self._paths():
                self.error_at = node  # said where the admin pressed the button
            return None

    def _paths(self) -> set[str]:
        def walk(part):
            yield part["path"]
            for child in part.get("parts", ()):
                yield from walk(child)
        return set(walk(tree.nodes(self.when)))

    def _with_item(self, item: dict) -> dict:
        document = copy.deepcopy(self.document)
        items = document.setdefault(self.kind, [])
        for index, existing in enumerate(items):
            if self.item is not None and existing.get("id") == self.item.get("id"):
                items[index] = item
                break
        else:
            items.append(item)
        return document

    def _with_when(self, when) -> dict:
        item = copy.deepcopy(self.item)
        item[WHEN] = when
        return self._with_item(item)

    def _create(self, data) -> dict | None:
        form = ItemForm(data, kind=self.kind, taken=self.taken)
        self.open_first(data)
        test_form = self.active["form"]
        if test_form.choosing:
            # The fact was chosen: show its operators and values, keep what was typed.
            self.form = ItemForm(kind=self.kind, taken=self.taken, initial={
                "id": data.get("id", ""), "level": data.get("level", "iop"),
                "reason": data.get("reason", "")})
            self.active["form"] = self._form(fact=test_form.fact_name, initial={
                "what": "test", "op": data.get("test-op")})
            return None
        self.form = form
        valid = form.is_valid() & test_form.is_valid()
        if not valid:
            return None
        item = form.apply({})
        item[WHEN] = test_form.test()
        self.new_id = item["id"]
        self.message = (f"{self.noun.capitalize()} {item['id']} added, when "
                        f"{condition_words(item[WHEN])}. Add more to its condition below.")
        return self._with_item(item)

    def _item(self, data) -> dict | None:
        self.form = ItemForm(data, kind=self.kind, taken=self.taken)
        if not self.form.is_valid():
            return None
        item = self.form.apply(self.item)
        self.new_id = item["id"]
        self.message = f"{self.noun.capitalize()} {item['id']} saved."
        return self._with_item(item)

    def _add_start(self, data) -> None:
        """A group's "add" form: the fact is chosen, its operators and values come next."""
        path = tree.parse_path(data.get("node", ""))
        tree.group_at(tree.as_group(self.when), path)
        what = data.get("what") if data.get("what") in ADD_WHAT else "test"
        fact = data.get("fact") if data.get("fact") in self.facts else None
        if fact is None:
            self.refuse("Choose a fact from the list to add a test.")
            return None
        self.active = {"mode": "add", "at": tree.path_text(path), "what": what,
                       "form": self._form(
            fact=fact, initial={"node": tree.path_text(path), "what": what, "rev": self.rev})}
        return None

    def _test(self, data, action: str) -> dict | None:
        path_text = data.get("test-node", "")
        path = tree.parse_path(path_text)
        group = tree.as_group(self.when)
        if action == "add":
            tree.group_at(group, path)
        else:
            tree.test_at(group, path)
        fact = posted_fact(data, self.facts)
        form = self._form(data, fact=fact, initial={})
        what = data.get("test-what") if data.get("test-what") in ADD_WHAT else "test"
        self.active = {"mode": action, "at": path_text, "form": form, "what": what}
        if fact is None:
            form.add_error("fact", "Choose a fact from the list.")
            return None
        if form.choosing:
            self.active["form"] = self._form(fact=fact, initial={
                "node": path_text, "what": what, "rev": self.rev, "op": data.get("test-op")})
            return None
        if not form.is_valid():
            return None
        test = form.test()
        if action == "edit":
            self.message = f"Test changed: {condition_words(test)}."
            self.anchor = path_text
            return self._with_when(tree.replace(self.when, path, test))
        what = form.cleaned_data.get("what") or "test"
        part = test if what == "test" else {what: [test]}
        when, added = tree.add(self.when, path, part)
        self.message = (f"Added: {condition_words(part)}." if what == "test" else
                        f"Group added ({'all' if what == 'all' else 'any'} of): "
                        f"{condition_words(test)}. Add more to it below.")
        self.anchor = tree.path_text(added)
        return self._with_when(when)

    def _change_node(self, data, action: str) -> dict | None:
        path = tree.parse_path(data.get("node", ""))
        if action == "remove":
            part = tree.node_at(tree.as_group(self.when), path) if path else None
            when = tree.remove(self.when, path)
            self.message = f"Removed: {condition_words(part)}."
            self.anchor = tree.path_text(path[:-1])
        elif action in ("up", "down"):
            when, moved = tree.move(self.when, path, -1 if action == "up" else 1)
            self.message = f"Moved {action}."
            self.anchor = tree.path_text(moved)
        else:
            combinator = data.get("combinator")
            when = tree.set_combinator(self.when, path, combinator)
            self.message = ("The group now holds when all of its conditions hold."
                            if combinator == "all" else
                            "The group now holds when any of its conditions holds.")
            self.anchor = tree.path_text(path)
        return self._with_when(when)


def refusal_words(error) -> str:
    """The engine's CriteriaError as the page says it: "Not saved: rule X, its condition,
    part 2 of the any group, value: ..."."""
    where = part_words(error.field)
    return f"Not saved: {where}: {error.message}." if where else f"Not saved: {error.message}."
