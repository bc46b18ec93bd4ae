#!/usr/bin/env python
import os
import sys


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["screen"]:
        from screening.cli import main as screen
        from screening.cli import uses_criteria_file

        if uses_criteria_file(arguments[1:]):
            # Criteria from a file need no database: screen without loading Django at all.
            sys.exit(screen(arguments[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
