"""What the candidate chose on the set-up page last time (how many questions, the order, the mode,
follow-ups in a mock interview), kept in QSettings so that the next start offers the same.

Read back like the settings (gui/settings/store.py): a stored value that cannot be used gives way to
its default with one sentence naming it.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QSettings

from mockinterviewer.core.session import MAX_FOLLOW_UPS, Mode, Order

MAX_COUNT = 500  # more questions than any bank holds; the page narrows it to those shown


def _whole(low: int, high: int):
    def parse(raw: str) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError("out of range")
        return value
    return parse


class Choice(Enum):
    """(QSettings key, how to read it, what a good value is, for the sentence)."""

    COUNT = ("setup/questions", _whole(1, MAX_COUNT), f"a number of questions from 1 to {MAX_COUNT}")
    ORDER = ("setup/order", Order, ", ".join(o.value for o in Order))
    MODE = ("setup/mode", Mode, " or ".join(m.value for m in Mode))
    FOLLOW_UPS = ("setup/follow_ups", _whole(0, MAX_FOLLOW_UPS), f"0 to {MAX_FOLLOW_UPS} follow-ups")

    def __init__(self, key, parse, expected):
        self.key, self.parse, self.expected = key, parse, expected


def load_choices(store: QSettings | None = None) -> tuple[dict, list[str]]:
    """The choices saved last time (only those saved), and one sentence per value that could not be used."""
    store = store or QSettings()
    found, problems = {}, []
    for choice in Choice:
        raw = store.value(choice.key)
        if raw is None or raw == "":
            continue
        raw = raw if isinstance(raw, str) else str(raw)
        try:
            found[choice] = choice.parse(raw[:100])
        except (TypeError, ValueError):
            quoted = repr(raw if len(raw) <= 60 else raw[:57] + "...")
            problems.append(f"The saved set-up choice {choice.key} = {quoted} is not {choice.expected}, so the "
                            "page starts with its default.")
    return found, problems


def save_choices(chosen: dict, store: QSettings | None = None) -> None:
    store = store or QSettings()
    for choice, value in chosen.items():
        store.setValue(choice.key, value.value if isinstance(value, Enum) else str(value))
    store.sync()
