"""`python manage.py screen` as SPEC §7 says: lines out, error lines, exit 0/1/2, no traceback."""

import json
import subprocess
import sys

import pytest

from .conftest import CASES_DIR, DEFAULT_FILE, ROOT, public_cases, well


def run(*args: str, stdin: str | None = None, env: dict | None = None):
    import os

    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "manage.py", "screen", *args], cwd=ROOT,
                          input=stdin, capture_output=True, text=True, timeout=120,
                          env=environment)


def lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_it_screens_case_files_one_line_each():
    paths = sorted(str(path) for path in CASES_DIR.glob("*.json"))
    result = run("--criteria-file", str(DEFAULT_FILE), *paths)
    assert result.returncode == 0, result.stderr
    out = lines(result)
    expected = {case["id"]: case["expect"] for case in public_cases()}
    assert [line["id"] for line in out] == sorted(expected)
    for line in out:
        assert line["level"] == expected[line["id"]]["level"]
        assert set(line["rules"]) == set(expected[line["id"]]["rules"])


def test_it_screens_json_lines_from_stdin_and_keeps_going_after_a_bad_case(tmp_path):
    stdin = "\n".join([
        json.dumps({"id": "good-1", "answers": well()}),
        json.dumps({"id": "bad-age", "answers": well(age="30")}),
        "{not json",
        "",
        json.dumps({"id": "no-answers"}),
        json.dumps({"id": "typo", "answers": well(), "anwsers": {}}),
        json.dumps({"id": "good-2", "answers": well(harm_to_others="intent")}),
    ]) + "\n"
    result = run("--jsonl", "-", "--criteria-file", str(DEFAULT_FILE), stdin=stdin)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    out = lines(result)
    assert [line["id"] for line in out] == ["good-1", "bad-age", None, "no-answers", "typo",
                                            "good-2"]
    assert out[0]["level"] == "outpatient" and out[5]["level"] == "inpatient"
    assert out[1]["error"].startswith("age: expected a whole number")
    assert out[2]["error"].startswith("line 3: not valid JSON")
    assert out[3]["error"] == "answers: required"
    assert out[4]["error"].startswith("anwsers: unknown field")


def test_it_reads_a_jsonl_file_and_a_case_file_holding_a_list(tmp_path):
    cases = [{"id": f"c{n}", "answers": well(age=20 + n)} for n in range(3)]
    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text("".join(json.dumps(case) + "\n" for case in cases))
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(cases))
    for args in (("--jsonl", str(jsonl)), (str(listed),)):
        result = run(*args, "--criteria-file", str(DEFAULT_FILE))
        assert result.returncode == 0, result.stderr
        assert [line["id"] for line in lines(result)] == ["c0", "c1", "c2"]


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    case = json.dumps({"id": "bom", "answers": well()})
    jsonl, single = tmp_path / "cases.jsonl", tmp_path / "case.json"
    jsonl.write_text(case + "\n" + case + "\n", encoding="utf-8-sig")
    single.write_text(case, encoding="utf-8-sig")
    for args in (("--jsonl", str(jsonl)), (str(single),)):
        result = run(*args, "--criteria-file", str(DEFAULT_FILE))
        assert result.returncode == 0, result.stdout
        assert all(line["level"] == "outpatient" for line in lines(result))


def test_a_missing_or_broken_case_file_is_a_bad_case_not_a_crash(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    good = CASES_DIR / "v01-well.json"
    result = run("--criteria-file", str(DEFAULT_FILE), str(tmp_path / "missing.json"),
                 str(broken), str(good))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    out = lines(result)
    assert "cannot read" in out[0]["error"] and "not valid JSON" in out[1]["error"]
    assert out[2]["level"] == "outpatient"


@pytest.mark.parametrize("args, message", [
    ((), "nothing to screen"),
    (("--jsonl", "-", "x.json"), "not both"),
    (("--criteria-file", "/no/such/file.json", "x.json"), "--criteria-file"),
    (("--criteria-file", str(DEFAULT_FILE), "--criteria", "default-1", "x.json"), "not both"),
    (("--no-such-option",), "unrecognized arguments"),
    (("--jsonl", "/no/such/input.jsonl", "--criteria-file", str(DEFAULT_FILE)), "--jsonl"),
])
def test_bad_usage_exits_2_with_a_message(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_invalid_criteria_file_exits_2_naming_the_bad_part(tmp_path):
    document = json.loads(DEFAULT_FILE.read_text())
    document["rules"][0]["level"] = "sometimes"
    bad = tmp_path / "criteria.json"
    bad.write_text(json.dumps(document))
    result = run("--criteria-file", str(bad), str(CASES_DIR / "v01-well.json"))
    assert result.returncode == 2
    assert "rules[0] (IP-SUICIDE).level" in result.stderr


def test_it_uses_the_shipped_default_when_there_is_no_database_yet(tmp_path):
    result = run(str(CASES_DIR / "v07-high-suicide-risk.json"),
                 env={"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"})
    assert result.returncode == 0, result.stderr
    assert lines(result)[0]["level"] == "inpatient"
    assert "using default-2.json" in result.stderr


@pytest.mark.django_db
def test_it_screens_with_a_stored_version_and_the_published_one_by_default(capsys):
    from django.core.management import call_command

    from screening.models import CriteriaVersion

    document = json.loads(DEFAULT_FILE.read_text())
    document["version"] = "stricter-1"
    document["bands"]["phq9"].update(mild=3, moderate=6)
    CriteriaVersion.objects.create(version="stricter-1", document=document,
                                   status=CriteriaVersion.Status.DRAFT)
    case = str(CASES_DIR / "v02-mild-depression.json")  # PHQ-9 7
    call_command("screen", case, "--criteria", "stricter-1")
    stricter = json.loads(capsys.readouterr().out)
    call_command("screen", case)
    published = json.loads(capsys.readouterr().out)
    assert (stricter["criteria_version"], stricter["level"]) == ("stricter-1", "iop")
    assert (published["criteria_version"], published["level"]) == ("default-2", "outpatient")


def test_a_long_input_screened_on_several_processes_gives_the_same_lines_in_order(tmp_path):
    from screening.engine.properties import generate_cases

    lines = [json.dumps({"id": n, "answers": answers})
             for n, answers in enumerate(generate_cases(15000, seed=11))]
    lines[5000] = "{broken"
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    args = ("--jsonl", str(path), "--criteria-file", str(DEFAULT_FILE))
    parallel = run(*args, env={"SCREEN_PROCESSES": "2"})
    single = run(*args, env={"SCREEN_PROCESSES": "1"})
    assert parallel.returncode == single.returncode == 1
    assert parallel.stdout == single.stdout
    out = lines_of = parallel.stdout.splitlines()
    assert len(lines_of) == 15000  # 8 chunks: more than the 6 kept in flight by 2 processes
    assert json.loads(out[5000])["error"].startswith("line 5001: not valid JSON")
    assert [json.loads(line)["id"] for line in out[:3]] == [0, 1, 2]


def with_repeat(case: dict, inner: str, kept: str, spaced: bool = False) -> str:
    """The case as JSON text with `inner` written just before `kept` inside its object: the
    same key twice, the last one (a no) the one a plain parser keeps."""
    text = json.dumps(case, separators=(",", ": ") if spaced else (",", ":"))
    assert kept in text
    return text.replace(kept, inner + "," + kept, 1)


def test_a_key_given_twice_is_refused_not_read_as_its_last_value(tmp_path):
    risky = {"id": "twice", "answers": well(cssrs={"wish_dead": False,
                                                   "suicidal_thoughts": False,
                                                   "behavior_lifetime": False,
                                                   "intent": False})}
    stdin = "\n".join([
        with_repeat(risky, '"intent":true', '"intent":false'),
        with_repeat(risky, '"intent": true', '"intent": false', spaced=True),
        with_repeat({"id": "top", "answers": well()}, '"support":"none"', '"support":"adequate"'),
        json.dumps({"id": "fine", "answers": well(), "note": {"a": '"quoted": x'}}),
    ]) + "\n"
    result = run("--jsonl", "-", "--criteria-file", str(DEFAULT_FILE), stdin=stdin)
    assert result.returncode == 1, result.stderr
    out = lines(result)
    assert out[0] == {"id": "twice", "error": "cssrs.intent: given twice (each field may "
                                              "appear once)"}
    assert out[1]["error"].startswith("cssrs.intent: given twice")
    assert out[2]["error"].startswith("support: given twice")
    assert out[3]["level"] == "outpatient"

    case_file = tmp_path / "cases.json"
    case_file.write_text("[" + json.dumps({"id": "ok", "answers": well()}) + ","
                         + with_repeat(risky, '"intent":true', '"intent":false') + "]")
    result = run("--criteria-file", str(DEFAULT_FILE), str(case_file))
    assert result.returncode == 1
    out = lines(result)
    assert out[0]["level"] == "outpatient"
    assert out[1]["id"] == "twice" and out[1]["error"].startswith("cssrs.intent: given twice")


def test_a_line_nested_too_deeply_is_one_bad_line_and_the_rest_are_screened():
    deep = '{"id": "deep", "answers": ' + "[" * 5000 + "]" * 5000 + "}"
    stdin = "\n".join([json.dumps({"id": "before", "answers": well()}), deep,
                       json.dumps({"id": "after", "answers": well()})]) + "\n"
    result = run("--jsonl", "-", "--criteria-file", str(DEFAULT_FILE), stdin=stdin)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    out = lines(result)
    assert [line.get("level") for line in out] == ["outpatient", None, "outpatient"]
    assert out[1]["error"] == "line 2: not valid JSON (nested too deeply)"


def test_a_criteria_file_with_a_key_given_twice_is_bad_usage(tmp_path):
    text = DEFAULT_FILE.read_text()
    path = tmp_path / "twice.json"
    path.write_text(text.replace('"version"', '"version": "x", "version"', 1))
    result = run("--criteria-file", str(path), "--jsonl", "-", stdin="")
    assert result.returncode == 2
    assert "version: given twice" in result.stderr


def test_a_case_refused_for_nan_still_says_which_case_it_was(tmp_path):
    text = json.dumps({"id": "nan-weight", "answers": well(height_cm=170, weight_kg=60)})
    weight = '"weight_kg": 60'
    assert weight in text
    stdin = "".join(text.replace(weight, f'"weight_kg": {bad}') + "\n"
                    for bad in ("NaN", "Infinity"))
    result = run("--jsonl", "-", "--criteria-file", str(DEFAULT_FILE), stdin=stdin)
    assert result.returncode == 1
    out = lines(result)
    assert out[0] == {"id": "nan-weight",
                      "error": "line 1: not valid JSON (NaN is not a JSON number)"}
    assert out[1]["id"] == "nan-weight" and "Infinity is not a JSON number" in out[1]["error"]
