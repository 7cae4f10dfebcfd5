"""The set-up page offers what was chosen last time: how many questions, the order, the mode and the
follow-ups, in the real window, across a restart; a stored choice that cannot be used is named."""

from PySide6.QtCore import QSettings, Qt

from mockinterviewer.core.session import Mode, Order
from mockinterviewer.settings import Settings


def test_the_next_start_offers_the_same_set_up(qtbot, open_window):
    window = open_window(Settings(input_device="USB headset"))  # no such microphone: nothing is recorded
    setup = window.setup_page
    assert (setup.order_box.currentData(), setup.mode_box.currentData()) == (Order.RANDOM, Mode.PRACTICE)
    setup.count_box.setValue(1)
    setup.order_box.setCurrentIndex(setup.order_box.findData(Order.WEAKEST_FIRST))
    setup.mode_box.setCurrentIndex(setup.mode_box.findData(Mode.MOCK))
    setup.follow_ups_box.setValue(2)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Start
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.question_page)
    window.close()

    again = open_window()
    setup = again.setup_page
    assert setup.count_box.value() == 1
    assert setup.order_box.currentData() is Order.WEAKEST_FIRST
    assert setup.mode_box.currentData() is Mode.MOCK
    assert setup.follow_ups_box.value() == 2
    assert again.startup_problems == []


def test_a_stored_choice_that_cannot_be_used_is_named_and_the_rest_are_offered(open_window):
    store = QSettings()
    store.setValue("setup/order", "\x1b]0;pwned\x07 alphabetical")
    store.setValue("setup/questions", "1")
    store.setValue("setup/follow_ups", "99")
    store.sync()
    window = open_window()
    setup = window.setup_page
    assert setup.order_box.currentData() is Order.RANDOM and setup.follow_ups_box.value() == 1  # the defaults
    assert setup.count_box.value() == 1
    assert len(window.startup_problems) == 2
    assert "setup/order" in window.startup_problems[0] and "setup/follow_ups" in window.startup_problems[1]
