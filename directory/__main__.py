"""The command line: `python -m directory <command>`; each command lives in `directory/commands/`."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

# command name -> module under directory.commands, each with add_parser(subparsers) and run(args) -> int
COMMANDS = (
    "build",
    "validate",
    "import",
    "stats",
    "search",
    "export",
    "export-feed",
    "plan",
    "refresh",
    "coverage",
    "duplicates",
    "db",
)


def main(argv: list[str] | None = None) -> int:
    # The same command line as `python -m directory` and as the installed `aftercare` script.
    prog = "aftercare" if Path(sys.argv[0]).name == "aftercare" else "python -m directory"
    parser = argparse.ArgumentParser(prog=prog, description="Illinois Aftercare Directory")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"directory.commands.{name.replace('-', '_')}_cmd")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("directory.commands."):
                continue
            raise
        module.add_parser(sub)
    args = parser.parse_args(argv)
    from directory.catalog import CatalogError

    try:
        return int(args.run(args) or 0)
    except CatalogError as exc:  # an odd catalog: one line naming the file and the fix, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
