"""``mockinterviewer``: the window with no arguments, the CLI with a command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from mockinterviewer.cli.main import is_cli, run

    if is_cli(argv):
        return run(argv)
    if argv and not argv[0].startswith("-"):
        return run(argv)  # an unknown command: argparse says which ones exist
    from mockinterviewer.gui.app import run_window

    return run_window(argv)


if __name__ == "__main__":
    sys.exit(main())
