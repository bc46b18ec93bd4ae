"""`manage.py criteria export VERSION` / `criteria import FILE`: moving criteria between sites."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import AuditEvent
from screening.models import CriteriaVersion


def export(name: str) -> dict:
    out = StringIO()
    call_command("criteria", "export", name, stdout=out)
    return json.loads(out.getvalue())


def test_it_exports_a_version_as_the_json_it_stores(db):
    published = CriteriaVersion.objects.get(status="published")
    assert export(published.version) == published.document


def test_it_writes_the_export_to_a_file_when_asked(db, tmp_path):
    target = tmp_path / "out.json"
    call_command("criteria", "export", "default-2", "--output", str(target), stderr=StringIO())
    assert json.loads(target.read_text())["version"] == "default-2"


def test_it_round_trips_an_export_as_a_new_draft(db, tmp_path):
    document = export("default-2")
    path = tmp_path / "site-a.json"
    path.write_text(json.dumps(document))
    out = StringIO()
    call_command("criteria", "import", str(path), "--version", "site-a-1", stdout=out)
    draft = CriteriaVersion.objects.get(version="site-a-1")
    assert draft.status == CriteriaVersion.Status.DRAFT
    assert {k: v for k, v in draft.document.items() if k != "version"} == \
        {k: v for k, v in document.items() if k != "version"}
    assert draft.document["version"] == "site-a-1"
    assert "site-a-1" in out.getvalue()
    assert export("site-a-1") == draft.document
    assert AuditEvent.objects.filter(object_type="criteria_version", object_id=str(draft.pk),
                                     action="create").exists()
    # The published version did not move.
    assert CriteriaVersion.objects.get(status="published").version == "default-2"


def test_it_names_an_import_after_its_own_version_when_that_is_free(db, tmp_path):
    document = export("default-2") | {"version": "from-elsewhere-3"}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document))
    call_command("criteria", "import", str(path), stdout=StringIO())
    assert CriteriaVersion.objects.filter(version="from-elsewhere-3", status="draft").exists()


def _import_error(path) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("criteria", "import", str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    return caught.value


def test_it_refuses_bad_imports_with_a_clear_message(db, tmp_path):
    before = CriteriaVersion.objects.count()
    missing = tmp_path / "missing.json"
    assert "Cannot read" in str(_import_error(missing))

    not_json = tmp_path / "broken.json"
    not_json.write_text("{not json")
    assert "not valid JSON" in str(_import_error(not_json))

    a_list = tmp_path / "list.json"
    a_list.write_text("[]")
    assert "one JSON object" in str(_import_error(a_list))

    bad = export("default-2")
    bad["rules"][0]["level"] = "sometimes"
    bad_path = tmp_path / "bad-level.json"
    bad_path.write_text(json.dumps(bad))
    message = str(_import_error(bad_path))
    assert "not valid criteria" in message
    assert CriteriaVersion.objects.count() == before


def test_it_refuses_a_taken_version_name(db, tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(export("default-2")))
    error = None
    with pytest.raises(CommandError) as caught:
        call_command("criteria", "import", str(path), "--version", "default-2",
                     stdout=StringIO())
    error = caught.value
    assert error.returncode == 2 and "already exists" in str(error)


def test_it_refuses_an_unknown_version_on_export(db):
    with pytest.raises(CommandError) as caught:
        call_command("criteria", "export", "no-such-version", stdout=StringIO())
    assert caught.value.returncode == 2 and "no-such-version" in str(caught.value)


def test_it_exits_2_without_a_traceback_from_the_command_line(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "x", "rules": "nope"}')
    root = Path(__file__).resolve().parents[2]
    # The child process must never touch a real database: point it at the test one.
    test_db = connection.settings_dict
    env = dict(os.environ, DATABASE_URL=(
        f"postgres://{test_db['USER']}@{test_db['HOST'] or '127.0.0.1'}:"
        f"{test_db['PORT'] or 5432}/{test_db['NAME']}")
        if connection.vendor == "postgresql" else f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run([sys.executable, "manage.py", "criteria", "import", str(bad)],
                            cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "not valid criteria" in result.stderr
