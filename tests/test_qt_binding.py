"""The Qt binding itself: PySide6 6.12.0 dropped a reference to True on every signal emitted, and on
Python 3.11 (where True is not immortal) the app died with "deallocating True or False" after a
few thousand emits - minutes of the microphone meter. The pinned version must not do that."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(float, float)
    thing = Signal(int, object)


def test_emitting_signals_keeps_true_false_and_none_alive(qtbot):
    emitter = _Emitter()
    got = []
    emitter.value.connect(lambda a, b: got.append(a))
    emitter.thing.connect(lambda i, x: got.append(i))
    before = [sys.getrefcount(x) for x in (True, False, None)]
    for i in range(5000):  # what a long session's level meter and task results emit
        emitter.value.emit(0.5, float(i))
        emitter.thing.emit(i, None)
    after = [sys.getrefcount(x) for x in (True, False, None)]
    assert len(got) == 10_000
    # A little drift from objects alive elsewhere is normal; 6.12.0 lost 10,000 references to True here.
    assert all(abs(a - b) < 50 for a, b in zip(after, before)), [a - b for a, b in zip(after, before)]
