"""Move screening criteria between sites as JSON.

    python manage.py criteria export VERSION [--output FILE]
    python manage.py criteria import FILE [--version NAME] [--note TEXT]

Import validates the document with the engine and stores it as a new draft (an admin then
previews and publishes it in the app). Bad input gives a clear message and exit status 2,
never a traceback.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import jsontext
from screening.engine import CriteriaError
from screening.models import CriteriaVersion
from screening.versions import VersionError, criteria_version_import


class Command(BaseCommand):
    help = "Export a criteria version as JSON, or import a JSON file as a new draft."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Print a stored version as JSON.")
        export.add_argument("version", help="The version name, e.g. default-1.")
        export.add_argument("--output", "-o", help="Write to this file instead of stdout.")
        imp = sub.add_parser("import", help="Store a JSON file as a new draft.")
        imp.add_argument("file", help="The criteria JSON file ('-' for stdin).")
        imp.add_argument("--version", dest="name", default="",
                         help="Name of the new draft (default: the file's own, else draft-N).")
        imp.add_argument("--note", default="", help="A note shown in the version history.")

    def handle(self, *args, **options):
        if options["action"] == "export":
            return self.export(options["version"], options.get("output"))
        return self.import_(options["file"], options.get("name") or "", options.get("note", ""))

    def export(self, name: str, output: str | None) -> None:
        version = CriteriaVersion.objects.filter(version=name).first()
        if version is None:
            known = ", ".join(CriteriaVersion.objects.order_by("created_at")
                              .values_list("version", flat=True)[:20])
            raise CommandError(f"No criteria version named {name!r}. Known: {known}.",
                               returncode=2)
        text = json.dumps(version.document, indent=2, ensure_ascii=False) + "\n"
        if output:
            try:
                Path(output).write_text(text)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.",
                                   returncode=2) from error
            self.stderr.write(f"Wrote {version.version} ({version.status}) to {output}.")
        else:
            self.stdout.write(text, ending="")

    def import_(self, file: str, name: str, note: str) -> None:
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.", returncode=2) from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.", returncode=2) from error
        try:
            document = jsontext.loads(text)
        except ValueError as error:
            raise CommandError(f"{file} is not valid JSON: {error}.", returncode=2) from error
        if not isinstance(document, dict):
            raise CommandError(f"{file} must hold one JSON object (the criteria).",
                               returncode=2)
        try:
            draft = criteria_version_import(document=document, actor=None, version_name=name,
                                            note=note or f"Imported from {Path(file).name}.")
        except CriteriaError as error:
            raise CommandError(f"{file} is not valid criteria: {error}", returncode=2) from error
        except VersionError as error:
            raise CommandError(error.message, returncode=2) from error
        self.stdout.write(f"Imported {file} as draft {draft.version}: preview and publish it "
                          "in the criteria editor.")
