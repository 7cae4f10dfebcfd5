"""The settings dialog and its store, with real widgets, real PortAudio devices (the ALSA test
configuration), the real speech engine and QSettings in the isolated config folder."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from mockinterviewer.gui.settings.store import Key, load_settings, save_settings
from mockinterviewer.speech.model_choice import for_this_machine
from mockinterviewer.settings import Settings, with_connected_devices
from mockinterviewer.speech import devices, models
from tests import conftest


@pytest.fixture
def store(qapp):
    from mockinterviewer.gui.app import set_identity

    set_identity(qapp)
    QSettings().clear()
    yield QSettings()
    QSettings().clear()


@pytest.fixture
def open_dialog(qtbot, store, tmp_path):
    from mockinterviewer.gui.settings.dialog import SettingsDialog
    from mockinterviewer.gui.tasks import TaskRunner

    runners = []

    def make(settings=Settings()):
        runners.append(TaskRunner(2))
        dialog = SettingsDialog(settings, runners[-1], models_cache=tmp_path / "models")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.input_box.findData("mic") >= 0, timeout=10_000)
        return dialog
    yield make
    for runner in runners:
        runner.wait(20_000)


def items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_every_field_is_saved_and_read_back_after_a_restart(qtbot, open_dialog, tmp_path):
    dialog = open_dialog()
    qtbot.waitUntil(lambda: dialog.voice_box.count() > 2, timeout=10_000)
    dialog.input_box.setCurrentIndex(dialog.input_box.findData("mic"))
    dialog.output_box.setCurrentIndex(dialog.output_box.findData("speaker"))
    english = next(i for i in range(1, dialog.voice_box.count()) if dialog.voice_box.itemText(i).startswith("English"))
    dialog.voice_box.setCurrentIndex(english)
    dialog.rate_box.setValue(180)
    folder = str(models.bundled_model_path())  # a model folder on this computer, as a user's own would be
    dialog.model_box.setCurrentText(folder)
    dialog.model_box.lineEdit().editingFinished.emit()
    qtbot.waitUntil(lambda: "model folder on this computer" in dialog.model_status.text(), timeout=20_000)
    dialog.compute_box.setCurrentIndex(dialog.compute_box.findData("cpu"))
    dialog.limit_box.setValue(240)
    dialog.silence_box.setValue(2.5)
    dialog.data_edit.setText(str(tmp_path / "interviews"))
    with qtbot.waitSignal(dialog.settingsChanged) as changed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    expected = Settings(model=folder, device="cpu", input_device="mic", output_device="speaker",
                        voice=dialog.voice_box.itemData(english), rate=180, max_answer_seconds=240.0,
                        silence_stop_seconds=2.5, data_dir=str(tmp_path / "interviews"))
    assert changed.args[0] == expected and not dialog.isVisible()

    # A restart: a new QSettings object reads the file back, and a new dialog shows the same.
    assert load_settings(QSettings()) == (expected, [])
    again = open_dialog(load_settings(QSettings())[0])
    assert again.input_box.currentText() == "mic" and again.output_box.currentText() == "speaker"
    assert again.rate_box.text() == "180 words a minute" and again.limit_box.value() == 240
    assert again.silence_box.text() == "2.5 seconds of silence" and again.compute_box.currentText() == "CPU"
    assert again.model_box.currentText() == folder and again.data_edit.text() == str(tmp_path / "interviews")
    qtbot.waitUntil(lambda: again.voice_box.count() > 2, timeout=10_000)
    assert again.voice_box.currentText() == dialog.voice_box.itemText(english)
    assert again.current_settings() == expected


def test_defaults_show_as_defaults_and_are_not_pinned(qtbot, open_dialog):
    dialog = open_dialog()
    assert dialog.input_box.currentText() == "System default" and dialog.rate_box.text() == "Voice default"
    assert dialog.silence_box.text() == "Off" and dialog.model_box.currentText() == "auto"
    assert dialog.limit_box.text() == "5:00"
    # "auto" says what it picks here and why (the choice itself: tests/test_model_choice.py).
    choice = for_this_machine(dialog.models_cache, "auto")
    qtbot.waitUntil(lambda: "for this computer" in dialog.model_status.text(), timeout=30_000)
    assert dialog.model_status.text() == f"The model 'auto' chooses {choice.name} for this computer: {choice.reason}."
    dialog.apply_button.click()
    assert load_settings(QSettings()) == (Settings(), [])


def test_the_device_lists_show_the_test_configuration_and_refresh_finds_a_new_one(qtbot, open_dialog):
    dialog = open_dialog()
    assert items(dialog.input_box)[0] == "System default"
    assert {"mic", "speaker", "default"} <= set(items(dialog.input_box))
    assert "broken" not in items(dialog.input_box) and "broken" in items(dialog.output_box)  # no capture side
    conf = conftest._ALSA_CONF
    original = conf.read_text()
    try:  # a headset plugged in while the app runs
        conf.write_text(original + 'pcm.headset { type file slave.pcm "null" file "/dev/null" '
                                   'infile "/dev/null" format "raw" }\n')
        assert "headset" not in items(dialog.input_box)
        qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "headset" in items(dialog.input_box), timeout=10_000)
        assert "headset" in items(dialog.output_box) and dialog.refresh_button.isEnabled()
    finally:
        conf.write_text(original)
        devices.rescan()


def test_refresh_waits_while_a_stream_is_open(qtbot, open_dialog):
    import sounddevice as sd

    dialog = open_dialog()
    with sd.OutputStream(device="speaker", samplerate=44100, channels=1):
        qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "cannot be refreshed while the microphone or speaker is in use"
                        in dialog.device_status.text(), timeout=10_000)
    assert "mic" in items(dialog.input_box)  # the list it had stays


def test_a_saved_device_that_is_gone_shows_as_not_connected_and_the_default_is_used(qtbot, open_dialog):
    settings = Settings(input_device="USB headset")
    dialog = open_dialog(settings)
    assert dialog.input_box.currentText() == "USB headset (not connected)"
    assert dialog.device_status.text() == ("The microphone 'USB headset' is not connected; "
                                           "the system default is used until it is.")
    assert dialog.current_settings().input_device == "USB headset"  # kept for when it returns
    running, notes = with_connected_devices(settings)
    assert running.input_device is None
    assert notes == ["The microphone 'USB headset' is not connected, so the system default microphone is used."]


def test_a_bad_stored_value_falls_back_to_its_default_with_a_sentence(store):
    save_settings(Settings(model="base.en", voice="English (America)", rate=150))
    store.setValue(Key.RATE.key, "fast")
    store.setValue(Key.MAX_ANSWER_SECONDS.key, "-3")
    store.setValue(Key.DEVICE.key, "tpu")
    store.sync()
    settings, problems = load_settings(QSettings())
    assert settings == Settings(model="base.en", voice="English (America)")
    assert problems == [
        "The saved setting speech/device = 'tpu' is not auto, cpu or cuda, so the default (auto) is used.",
        "The saved setting tts/rate = 'fast' is not 100–250 words a minute, so the default is used.",
        "The saved setting answer/max_seconds = '-3' is not 10–3600 seconds, so the default (300) is used.",
    ]


def test_settings_saved_by_the_first_version_are_kept(store):
    store.setValue("model", "small.en")
    store.setValue("input_device", "mic")
    settings, problems = load_settings(QSettings())
    assert (settings.model, settings.input_device, problems) == ("small.en", "mic", [])
    save_settings(settings)
    assert QSettings().value("model") is None and QSettings().value(Key.MODEL.key) == "small.en"


def test_test_voice_speaks_through_the_chosen_speaker(qtbot, open_dialog, speaker_file, transcriber):
    dialog = open_dialog()
    dialog.output_box.setCurrentIndex(dialog.output_box.findData("speaker"))
    qtbot.waitUntil(lambda: dialog.voice_box.count() > 2, timeout=10_000)
    qtbot.mouseClick(dialog.test_voice_button, Qt.MouseButton.LeftButton)
    assert not dialog.test_voice_button.isEnabled() and dialog.voice_status.text() == "Speaking a sample sentence…"
    qtbot.waitUntil(lambda: dialog.test_voice_button.isEnabled(), timeout=30_000)
    # ALSA's file speaker writes its last buffers when the stream is closed, which can come just
    # after the player reported the end (on a sound card they are already playing).
    qtbot.waitUntil(lambda: speaker_file.stat().st_size > 16000 * 4 * 2, timeout=10_000)
    played = np.frombuffer(speaker_file.read_bytes(), dtype=np.float32)
    assert played.size > 16000 * 2 and np.abs(played).max() > 0.05  # seconds of sound, not silence
    assert "project you are proud of" in transcriber.transcribe(played.copy()).text.lower()
    assert dialog.voice_status.text() == ""


def test_without_a_speech_engine_the_voice_controls_are_disabled(qtbot, open_dialog, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # pyttsx3 is not installed
    dialog = open_dialog()
    qtbot.waitUntil(lambda: not dialog.voice_box.isEnabled(), timeout=10_000)
    assert not dialog.rate_box.isEnabled() and not dialog.test_voice_button.isEnabled()
    assert dialog.voice_status.text().startswith("Speech is unavailable: Text-to-speech is unavailable")
    assert dialog.voice_status.text().endswith("Questions are shown but not read aloud.")


def test_a_data_folder_that_is_a_file_is_refused_with_a_sentence(qtbot, open_dialog, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    dialog = open_dialog()
    dialog.data_edit.setText(str(tmp_path / "notes.txt"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text() == f"The data folder {tmp_path / 'notes.txt'} is a file, not a folder."
    dialog.data_edit.setText("relative/folder")
    dialog.apply_button.click()
    assert dialog.error.text().startswith("The data folder 'relative/folder' must be a full path")
    assert load_settings(QSettings())[0] == Settings()  # nothing was saved


def test_an_unusable_model_folder_is_named_and_the_model_stays(qtbot, open_dialog, tmp_path):
    dialog = open_dialog()
    dialog.model_box.setCurrentText(str(tmp_path))
    dialog.model_box.lineEdit().editingFinished.emit()
    qtbot.waitUntil(lambda: "not a CTranslate2 Whisper model folder" in dialog.model_status.text(), timeout=20_000)
    assert dialog.model_status.text().endswith("The model stays 'auto'.")
    assert dialog.model_box.currentText() == "auto" and dialog.current_settings().model == "auto"


def test_every_control_has_an_accessible_name(open_dialog):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QProgressBar, QSpinBox, QDoubleSpinBox

    dialog = open_dialog()
    controls = [w for kind in (QAbstractButton, QComboBox, QLineEdit, QProgressBar, QSpinBox, QDoubleSpinBox)
                for w in dialog.findChildren(kind)
                if not isinstance(w.parent(), (QComboBox, QSpinBox, QDoubleSpinBox, QLineEdit))]  # their own parts
    unnamed = [type(w).__name__ + ":" + getattr(w, "text", lambda: "")() for w in controls
               if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())]
    assert len(controls) > 15 and unnamed == []


def test_closing_the_dialog_before_its_lists_arrive_is_harmless(qtbot, store):
    import shiboken6

    from mockinterviewer.gui.settings.dialog import SettingsDialog
    from mockinterviewer.gui.tasks import TaskRunner

    runner = TaskRunner(2)
    dialog = SettingsDialog(Settings(), runner)
    dialog.show()
    shiboken6.delete(dialog)  # closed and deleted while the devices and voices are being listed
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)  # an error in a late callback fails the test


def test_the_time_limit_reads_as_on_the_set_up_page(qtbot, open_dialog):
    from mockinterviewer.gui.session.setup_page import SetupPage

    dialog = open_dialog(Settings(max_answer_seconds=150))
    setup = SetupPage()
    qtbot.addWidget(setup)
    setup.limit_box.setValue(150)
    assert dialog.limit_box.text() == setup.limit_box.text() == "2:30"
    dialog.limit_box.lineEdit().selectAll()
    qtbot.keyClicks(dialog.limit_box.lineEdit(), "4:00")
    assert dialog.current_settings().max_answer_seconds == 240


def test_the_microphone_test_shows_the_level_and_plays_three_seconds_back(qtbot, open_dialog, mic, speaker_file,
                                                                          espeak, tmp_path):
    from mockinterviewer.gui.settings.mic_test import TEST_SECONDS

    mic(wav=espeak("Testing, one, two, three. Can you hear me?", tmp_path / "hello.wav"), silence_after=4)
    dialog = open_dialog()
    test = dialog.mic_test
    assert test.button.isVisible() and test.meter.isVisible()
    with qtbot.waitSignal(test.finished, timeout=30_000) as said:
        qtbot.mouseClick(test.button, Qt.MouseButton.LeftButton)
        assert not test.button.isEnabled()  # the GUI thread did not wait for the recording
    assert said.args[0].startswith("Played back what the microphone heard")
    assert test.status.text() == said.args[0] and test.meter.value() > 50
    played = np.frombuffer(speaker_file.read_bytes(), dtype=np.float32)
    assert played.size >= TEST_SECONDS * 16000 * 0.95 and np.abs(played).max() > 0.05  # the voice, heard back
    assert test.button.isEnabled()


def test_a_silent_microphone_test_says_nothing_was_heard(qtbot, open_dialog, mic, speaker_file):
    mic(samples_16k=np.zeros(0, np.float32), silence_after=8)
    dialog = open_dialog()
    with qtbot.waitSignal(dialog.mic_test.finished, timeout=30_000) as said:
        dialog.mic_test.button.click()
    assert said.args[0].startswith("No sound reached the microphone")
    assert speaker_file.read_bytes() == b""  # nothing to play back


def test_the_language_model_settings_are_kept_and_another_host_needs_confirming(qtbot, open_dialog):
    dialog = open_dialog()
    assert dialog.llm_endpoint_edit.text() == "" and dialog.llm_rule_box.currentData() == "show"
    assert any("Empty address: nothing is sent anywhere" in n.text() for n in dialog.findChildren(type(dialog.llm_status)))
    qtbot.mouseClick(dialog.llm_test_button, Qt.MouseButton.LeftButton)
    assert dialog.llm_status.text() == "No address is set, so nothing is sent anywhere."
    dialog.llm_endpoint_edit.setText("http://192.0.2.7:11434/v1")
    dialog.llm_model_edit.setText("llama3.2")
    assert not dialog.apply()
    assert "is not on this computer" in dialog.error.text() and "tick the box to confirm it" in dialog.error.text()
    dialog.llm_remote_box.setChecked(True)
    dialog.llm_timeout_box.setValue(30)
    dialog.llm_rule_box.setCurrentIndex(dialog.llm_rule_box.findData("raise"))
    assert dialog.apply() and dialog.error.text() == ""
    expected = Settings(llm_endpoint="http://192.0.2.7:11434/v1", llm_model="llama3.2", llm_timeout=30.0,
                        llm_allow_remote=True, llm_score_rule="raise")
    assert load_settings(QSettings()) == (expected, [])


def test_the_language_model_test_button_names_a_server_that_is_not_running(qtbot, open_dialog):
    import socket

    with socket.socket() as s:  # a port on this computer where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog = open_dialog(Settings(llm_endpoint=f"http://127.0.0.1:{port}", llm_model="tiny"))
    qtbot.mouseClick(dialog.llm_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "connection refused" in dialog.llm_status.text(), timeout=10_000)
    assert dialog.llm_status.text() == (f"The language model tiny at http://127.0.0.1:{port}/v1/chat/completions "
                                        "is not running (connection refused).")
    assert dialog.llm_test_button.isEnabled()


def test_a_stored_language_model_address_that_is_not_one_falls_back_with_a_sentence(store):
    store.setValue(Key.LLM_ENDPOINT.key, "ollama please")
    store.setValue(Key.LLM_SCORE_RULE.key, "always")
    settings, problems = load_settings(QSettings())
    assert settings.llm_endpoint == "" and settings.llm_score_rule == "show"
    assert len(problems) == 2 and "llm/endpoint = 'ollama please' is not an http:// address" in problems[0]
