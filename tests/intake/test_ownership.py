"""Which app owns what, read from the imports (issue 12): the intake app runs the screening
service and writes its own columns; it tells review of a submit through the functions review
exposes for that; screening's services know nothing of the intake app."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("intake", "review", "screening")


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for each import of the file at module level (not inside functions,
    where an import is made late on purpose)."""
    tree = ast.parse(path.read_text())
    found = []
    package = _module(path).rsplit(".", 1)[0]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            found.append((base, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
    return found


def _graph() -> dict[str, set[str]]:
    files = [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    modules = {_module(p): p for p in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for base, names in _imports(path):
            for target in [f"{base}.{n}" for n in names] + [base]:
                if target in modules:
                    targets.add(target)
                    break
                if f"{target}.__init__" in modules:
                    targets.add(f"{target}.__init__")
                    break
        graph[name] = targets
    return graph


def test_no_module_of_the_three_apps_imports_itself_back_at_module_level():
    graph, seen, stack = _graph(), set(), []

    def visit(node):
        if node in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(node):]
                                                               + [node]))
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for target in graph[node]:
            visit(target)
        stack.pop()

    for node in graph:
        visit(node)


def test_screening_services_know_nothing_of_the_intake_app():
    assert not {t for t in _graph()["screening.services"] if t.startswith("intake.")}


def test_intake_reaches_review_only_through_the_notify_functions():
    uses = {(base, tuple(names)) for path in (ROOT / "intake").rglob("*.py")
            if "migrations" not in path.parts
            for base, names in _imports(path) if base.startswith("review")}
    assert uses == {("review.notifications", ("notify_acute_risk", "notify_intake_reminder",
                                              "notify_intake_submitted"))}
    assert not {t for t in _graph()["review.notifications"] if t.startswith("intake.")}


def test_each_side_imports_first_without_a_cycle():
    # A fresh interpreter per starting point: a circular import fails only in some orders.
    for first in ("intake.services", "review.notifications", "screening.services",
                  "review.views", "intake.views"):
        code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                f"'iop.settings'); django.setup(); import {first}")
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, (first, result.stderr[-2000:])
