"""Command-line commands: one module `<name>_cmd.py` each, with `add_parser(subparsers)` and `run(args)`."""
