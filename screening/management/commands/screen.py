"""python manage.py screen CASE.json ... | --jsonl FILE|- [--criteria-file PATH | --criteria VERSION]

The work is in screening/cli.py; this command adds stored criteria versions from the
database. (With --criteria-file, manage.py runs screening.cli without loading Django.)
"""

import json
import sys

from django.core.management.base import BaseCommand

from screening import cli


class Command(BaseCommand):
    help = "Screen intake cases (JSON files or JSON Lines) and print one result per line."
    # No system checks: they import every view, which costs start-up time and ties a pure
    # screening run to the health of unrelated code.
    requires_system_checks = []

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, cases=(), jsonl=None, criteria_file=None, criteria=None, **options):
        status = cli.guarded(lambda: cli.run(list(cases), jsonl, criteria_file, criteria,
                                             load_stored=self._stored_document))
        if status:
            sys.exit(status)

    def _stored_document(self, version: str | None) -> dict:
        # Imported here: --criteria-file never needs the models or the database.
        from django.db import DatabaseError

        from screening.models import CriteriaVersion

        try:
            if version:
                row = CriteriaVersion.objects.filter(version=version).first()
                if row is None:
                    raise cli.UsageError(f"--criteria {version}: no such criteria version")
                return row.document
            row = CriteriaVersion.objects.filter(status=CriteriaVersion.Status.PUBLISHED).first()
        except DatabaseError:
            if version:
                raise cli.UsageError("--criteria needs the database: run `python manage.py "
                                     "migrate` first, or use --criteria-file") from None
            row = None
        if row is None:
            # A fresh checkout with no database yet: the shipped default is what the first
            # migration would publish, so screen with it rather than refuse.
            sys.stderr.write("screen: no published criteria in the database; using "
                             f"{cli.DEFAULT_CRITERIA_FILE.name}\n")
            return json.loads(cli.DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8"))
        return row.document
