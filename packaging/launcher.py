"""The frozen app's entry point: the same main() as the wheel's `mockinterviewer` scripts
(no arguments: the window; a command: the CLI)."""

import sys

from mockinterviewer.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
