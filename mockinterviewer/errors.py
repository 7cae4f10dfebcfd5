"""Errors a user can act on.

Every failure caused by input (a file, a bank, a device, a setting) is raised as a
``UserError`` whose message is one sentence naming the problem. The CLI prints it and exits
with status 2; the window shows it and carries on.
"""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (library errors can run to many lines)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class UserError(Exception):
    """A problem with the user's input or machine, described in one sentence."""


class BankError(UserError):
    """A question bank that cannot be used, with the file and line at fault."""

    def __init__(self, path, message, line=None):
        self.path = str(path)
        self.line = line
        self.reason = message
        self.others: list[BankError] = []  # further problems in the same file, when validation found several
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


class AudioError(UserError):
    """An audio file or recording that cannot be transcribed."""


class DeviceError(UserError):
    """A microphone or speaker that is missing or cannot be opened."""


class ModelError(UserError):
    """A speech model that cannot be found, downloaded or loaded."""
