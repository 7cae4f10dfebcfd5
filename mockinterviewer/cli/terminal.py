"""Everything the CLI prints passes through here on its way to the terminal.

Bank text, transcripts and history rows come from files the user was given: escape sequences
in them would clear the screen, set the window title, plant hyperlinks or hide text. They are
removed whole (ESC, CSI, OSC, DCS and their 8-bit forms), then every other control character
but tab and newline (a carriage return only before a newline, as in CSV). A lone surrogate,
from bytes that were not UTF-8, becomes U+FFFD rather than an encoding error.
"""

from __future__ import annotations

import contextlib
import re
import sys

_SEQUENCES = re.compile(r"""
      \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?      # OSC: window title, hyperlink (to BEL or ST)
    | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?            # DCS, SOS, PM, APC strings
    | \x1b\[[0-?]*[ -/]*[@-~]?                          # CSI: cursor, colours, clearing
    | \x1b[ -/]*[0-~]?                                  # any other escape
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?         # 8-bit OSC
    | [\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?    # 8-bit DCS, SOS, PM, APC
    | \x9b[0-?]*[ -/]*[@-~]?                            # 8-bit CSI
""", re.VERBOSE)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)|[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without escape sequences or control characters (tabs and newlines kept)."""
    if text.isprintable():  # the common case costs one scan
        return text
    return _CONTROLS.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", _SEQUENCES.sub("", text))


class CleanStream:
    """A text stream that cleans what is written to it."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


@contextlib.contextmanager
def cleaned_output():
    """stdout and stderr cleaned for as long as the block runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(out), CleanStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
