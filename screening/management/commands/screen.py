"""python manage.py screen CASE.json ... | --jsonl FILE|- [--criteria-file PATH | --criteria VERSION]

SPEC §7: one JSON object per case on stdout; a bad case gives {"id", "error"} and the rest
are still screened; exit status 1 if any case was bad, 2 for bad usage; never a traceback.
With --criteria-file no database is touched.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening.engine import CriteriaError, load_criteria
from screening.engine.cases import jsonl_lines, text_lines

DEFAULT_CRITERIA_FILE = Path(__file__).resolve().parents[2] / "criteria" / "default-1.json"
BATCH = 2000


class UsageError(Exception):
    """Bad usage: exit status 2 with a message on stderr."""


class Command(BaseCommand):
    help = "Screen intake cases (JSON files or JSON Lines) and print one result per line."
    # No system checks: they import every view, which costs start-up time and ties a pure
    # screening run to the health of unrelated code.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("cases", nargs="*", metavar="CASE.json",
                            help="case files: {\"id\": ..., \"answers\": {...}} (or a list)")
        parser.add_argument("--jsonl", metavar="FILE", help="JSON Lines input; - for stdin")
        parser.add_argument("--criteria-file", metavar="PATH",
                            help="criteria from a JSON file (the default: "
                                 "screening/criteria/default-1.json)")
        parser.add_argument("--criteria", metavar="VERSION",
                            help="a stored criteria version (default: the published one)")

    def execute(self, *args, **options):
        # Every failure becomes a message and an exit status, never a traceback.
        try:
            return super().execute(*args, **options)
        except UsageError as error:
            sys.stderr.write(f"screen: {error}\n")
            sys.exit(2)
        except BrokenPipeError:
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(130)
        except CommandError:
            raise
        except Exception as error:  # a bug of ours: say so plainly, still no traceback
            sys.stderr.write(f"screen: internal error ({type(error).__name__}: {error})\n")
            sys.exit(2)

    def handle(self, *args, cases=(), jsonl=None, criteria_file=None, criteria=None, **options):
        if cases and jsonl:
            raise UsageError("give case files or --jsonl, not both")
        if not cases and not jsonl:
            raise UsageError("nothing to screen: give CASE.json files or --jsonl FILE|-")
        if criteria_file and criteria:
            raise UsageError("give --criteria-file or --criteria, not both")
        compiled = self._criteria(criteria_file, criteria)
        if jsonl:
            outputs = jsonl_lines(self._open_lines(jsonl), compiled)
        else:
            outputs = (line for path in cases for line in self._file_lines(path, compiled))
        bad = self._write(outputs)
        if bad:
            sys.stdout.flush()
            sys.exit(1)

    def _criteria(self, criteria_file, version):
        if criteria_file:
            try:
                document = json.loads(Path(criteria_file).read_text(encoding="utf-8"))
            except OSError as error:
                raise UsageError(f"--criteria-file {criteria_file}: {error.strerror}") from None
            except ValueError as error:
                raise UsageError(f"--criteria-file {criteria_file}: not valid JSON "
                                 f"({error})") from None
        else:
            document = self._stored_document(version)
        try:
            return load_criteria(document)
        except CriteriaError as error:
            raise UsageError(f"the criteria are not valid: {error}") from None

    def _stored_document(self, version) -> dict:
        # Imported here so that --criteria-file never needs the database.
        from django.db import DatabaseError

        from screening.models import CriteriaVersion

        try:
            if version:
                row = CriteriaVersion.objects.filter(version=version).first()
                if row is None:
                    raise UsageError(f"--criteria {version}: no such criteria version")
                return row.document
            row = CriteriaVersion.objects.filter(status=CriteriaVersion.Status.PUBLISHED).first()
        except DatabaseError:
            row = None
            if version:
                raise UsageError("--criteria needs the database: run `python manage.py "
                                 "migrate` first, or use --criteria-file") from None
        if row is None:
            # A fresh checkout with no database yet: the shipped default is what the first
            # migration would publish, so screen with it rather than refuse.
            sys.stderr.write("screen: no published criteria in the database; using "
                             f"{DEFAULT_CRITERIA_FILE.name}\n")
            return json.loads(DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8"))
        return row.document

    def _open_lines(self, jsonl):
        if jsonl == "-":
            return sys.stdin
        try:
            return open(jsonl, encoding="utf-8")  # noqa: SIM115 - read to the end, then exit
        except OSError as error:
            raise UsageError(f"--jsonl {jsonl}: {error.strerror}") from None

    def _file_lines(self, path, compiled):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            message = getattr(error, "strerror", None) or "not UTF-8 text"
            yield json.dumps({"id": None, "error": f"{path}: cannot read ({message})"}), False
            return
        yield from text_lines(text, compiled, path)

    def _write(self, outputs) -> int:
        bad = 0
        batch = []
        write = sys.stdout.write
        for line, ok in outputs:
            batch.append(line)
            bad += not ok
            if len(batch) >= BATCH:
                batch.append("")
                write("\n".join(batch))
                batch = []
        if batch:
            batch.append("")
            write("\n".join(batch))
        return bad
