"""The settings dialog: devices, voice, speech model, answers and files, the optional language model.

Everything that touches a device, the speech engine, the model or the network runs through the
TaskRunner it is given; the dialog only shows what comes back. A late result (the user picked
another model, or cancelled) is recognised by its generation and ignored.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from mockinterviewer import paths
from mockinterviewer.errors import UserError, first_line
from mockinterviewer.gui.settings import store as settings_store
from mockinterviewer.gui.widgets.duration_box import DurationBox
from mockinterviewer.gui.settings.mic_test import MicTest
from mockinterviewer.gui.tasks import TaskRunner
from mockinterviewer.settings import LLM_TIMEOUT_RANGE, MAX_ANSWER_RANGE, RATE_RANGE, SILENCE_STOP_RANGE, Settings
from mockinterviewer.speech.model_choice import AUTO

SAMPLE_SENTENCE = "Tell me about a project you are proud of, and what you would do differently."
LLM_RULES = (("Show only: the score is the app's own", "show"),
             ("Raise: a missed point the model finds in your words counts as partly", "raise"))
LLM_SENT = ("Sent to this address for each answer, and nowhere else: the question, your answer as scored, and "
            "the key points the app did not fully credit. Empty address: nothing is sent anywhere.")
COMPUTE_DEVICES = (("Automatic (GPU when available)", "auto"), ("CPU", "cpu"), ("GPU (CUDA)", "cuda"))


class _Progress(QObject):
    """Carries (generation, percent) from a download's thread to the GUI thread (queued)."""
    changed = Signal(int, int)


class _Note(QLabel):
    """A sentence under a section: hidden while empty, so an empty one takes no room."""

    def __init__(self, text: str = ""):
        super().__init__()
        self.setWordWrap(True)
        self.setObjectName("status")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))




def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


def _row(*widgets) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w, 1 if isinstance(w, (QComboBox, QLineEdit, QProgressBar, QLabel)) else 0)
    return row


class SettingsDialog(QDialog):
    settingsChanged = Signal(object)  # the new Settings, on OK or Apply, already saved

    def __init__(self, settings: Settings, runner: TaskRunner, parent=None, speaker=None,
                 models_cache: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.settings, self.runner, self._speaker = settings, runner, speaker
        self.models_cache = models_cache or paths.models_cache_dir()
        self._model = settings.model          # the last model known to be usable
        self._generation = 0                  # of the model check or download under way
        self._pending: str | None = None      # the model being checked or downloaded
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.changed.connect(self._download_progress)

        layout = QVBoxLayout(self)
        layout.addWidget(self._audio_group())
        layout.addWidget(self._voice_group())
        layout.addWidget(self._model_group())
        layout.addWidget(self._answers_group())
        layout.addWidget(self._llm_group())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Apply)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)
        self.error = _Note()
        self.error.setObjectName("warning")
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._align_labels()
        self.setMinimumWidth(560)
        self._load_lists()

    def _submit(self, work, on_done, on_error) -> None:
        """Run ``work`` on the runner; its result is dropped if the dialog is gone by then."""
        import shiboken6

        def alive(callback):
            return lambda value: callback(value) if shiboken6.isValid(self) else None
        self.runner.submit(work, alive(on_done), alive(on_error))

    def _align_labels(self) -> None:
        """One label column for every section, so the fields line up from top to bottom."""
        forms = [box.layout() for box in self.findChildren(QGroupBox)]
        labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for form in forms for row in range(form.rowCount())]
        labels = [item.widget() for item in labels if item is not None and item.widget() is not None]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    # Sections

    def _audio_group(self) -> QGroupBox:
        box = QGroupBox("Microphone and speaker")
        form = QFormLayout(box)
        self.input_box = _named(QComboBox(), "Microphone")
        self.output_box = _named(QComboBox(), "Speaker")
        for combo, saved in ((self.input_box, self.settings.input_device), (self.output_box, self.settings.output_device)):
            combo.addItem("System default", None)
            if saved:
                combo.addItem(saved, saved)
                combo.setCurrentIndex(1)
        self.refresh_button = _named(QPushButton("Refresh"), "Refresh the device list")
        self.refresh_button.clicked.connect(self.refresh_devices)
        self.device_status = _Note()
        form.addRow("&Microphone:", self.input_box)
        form.addRow("&Speaker:", self.output_box)
        form.addRow("", _row(self.device_status, self.refresh_button))
        self.mic_test = MicTest(self.runner, lambda: (self.input_box.currentData(), self.output_box.currentData()))
        form.addRow("", self.mic_test)
        form.addRow("", self.mic_test.status)
        return box

    def _voice_group(self) -> QGroupBox:
        self.voice_group = box = QGroupBox("Voice")
        form = QFormLayout(box)
        self.voice_box = _named(QComboBox(), "Voice")
        self.voice_box.addItem("Default voice", None)
        if self.settings.voice:
            self.voice_box.addItem(self.settings.voice, self.settings.voice)
            self.voice_box.setCurrentIndex(1)
        self.rate_box = _named(QSpinBox(), "Speaking rate in words per minute")
        self.rate_box.setRange(RATE_RANGE[0] - 5, RATE_RANGE[1])
        self.rate_box.setSingleStep(5)
        self.rate_box.setSpecialValueText("Voice default")  # shown at the minimum, one step below the range
        self.rate_box.setSuffix(" words a minute")
        self.rate_box.setValue(self.settings.rate or self.rate_box.minimum())
        self.test_voice_button = _named(QPushButton("Test voice"), "Test voice")
        self.test_voice_button.clicked.connect(self.test_voice)
        self.voice_status = _Note()
        form.addRow("&Voice:", _row(self.voice_box, self.test_voice_button))
        form.addRow("&Rate:", self.rate_box)
        form.addRow("", self.voice_status)
        return box

    def _model_group(self) -> QGroupBox:
        box = QGroupBox("Speech recognition")
        form = QFormLayout(box)
        self.model_box = _named(QComboBox(), "Speech model")
        self.model_box.setEditable(True)
        self.model_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_box.setToolTip("A model name such as small.en, a Hugging Face id, or a model folder")
        self.model_box.addItem(self.settings.model)
        self.model_box.lineEdit().editingFinished.connect(lambda: self.choose_model(self.model_box.currentText()))
        self.model_box.activated.connect(lambda _i: self.choose_model(self.model_box.currentText()))
        self.model_folder_button = _named(QPushButton("Folder…"), "Choose a model folder")
        self.model_folder_button.clicked.connect(self._pick_model_folder)
        self.compute_box = _named(QComboBox(), "Compute device")
        for label, value in COMPUTE_DEVICES:
            self.compute_box.addItem(label, value)
        self.compute_box.setCurrentIndex(max(0, self.compute_box.findData(self.settings.device)))
        self.download_bar = _named(QProgressBar(), "Download progress")
        self.download_bar.setRange(0, 100)
        self.cancel_download_button = _named(QPushButton("Cancel download"), "Cancel download")
        self.cancel_download_button.clicked.connect(self.cancel_download)
        self.download_row = _row(self.download_bar, self.cancel_download_button)
        self.download_row.hide()
        self.model_status = _Note()
        form.addRow("M&odel:", _row(self.model_box, self.model_folder_button))
        form.addRow("&Run on:", self.compute_box)
        form.addRow("", self.download_row)
        form.addRow("", self.model_status)
        return box

    def _answers_group(self) -> QGroupBox:
        box = QGroupBox("Answers and files")
        form = QFormLayout(box)
        # As the set-up page and the question's clock show it: "5:00", not "300 seconds".
        self.limit_box = _named(DurationBox(maximum_seconds=MAX_ANSWER_RANGE[1]), "Answer time limit")
        self.limit_box.setSpecialValueText("")  # a limit is required here (the set-up page may lift it)
        self.limit_box.setMinimum(MAX_ANSWER_RANGE[0])
        self.limit_box.setValue(round(self.settings.max_answer_seconds))
        self.silence_box = _named(QDoubleSpinBox(), "Stop after this many seconds of silence")
        self.silence_box.setRange(*SILENCE_STOP_RANGE)
        self.silence_box.setDecimals(1)
        self.silence_box.setSingleStep(0.5)
        self.silence_box.setSpecialValueText("Off")
        self.silence_box.setSuffix(" seconds of silence")
        self.silence_box.setValue(self.settings.silence_stop_seconds)
        self.data_edit = _named(QLineEdit(self.settings.data_dir or ""), "Data folder")
        self.data_edit.setPlaceholderText(str(paths.data_dir()))
        self.data_edit.setClearButtonEnabled(True)
        self.data_folder_button = _named(QPushButton("Choose…"), "Choose the data folder")
        self.data_folder_button.clicked.connect(self._pick_data_folder)
        form.addRow("&Time limit:", self.limit_box)
        form.addRow("Stop &after:", self.silence_box)
        form.addRow("&Data folder:", _row(self.data_edit, self.data_folder_button))
        form.addRow("", _Note("History and recordings are kept here; empty means the default folder."))
        return box

    def _llm_group(self) -> QGroupBox:
        box = QGroupBox("Language model (optional)")
        form = QFormLayout(box)
        self.llm_endpoint_edit = _named(QLineEdit(self.settings.llm_endpoint), "Language model address")
        self.llm_endpoint_edit.setPlaceholderText("none — e.g. http://127.0.0.1:11434/v1 (Ollama)")
        self.llm_endpoint_edit.setClearButtonEnabled(True)
        self.llm_model_edit = _named(QLineEdit(self.settings.llm_model), "Language model name")
        self.llm_model_edit.setPlaceholderText("e.g. llama3.2")
        self.llm_timeout_box = _named(QDoubleSpinBox(), "Longest wait for the language model")
        self.llm_timeout_box.setRange(*LLM_TIMEOUT_RANGE)
        self.llm_timeout_box.setDecimals(0)
        self.llm_timeout_box.setSuffix(" seconds")
        self.llm_timeout_box.setValue(self.settings.llm_timeout)
        self.llm_remote_box = _named(QCheckBox("Send answers to this address although it is not this computer"),
                                     "Confirm another host")
        self.llm_remote_box.setChecked(self.settings.llm_allow_remote)
        self.llm_rule_box = _named(QComboBox(), "How a second opinion changes the score")
        for text, rule in LLM_RULES:
            self.llm_rule_box.addItem(text, rule)
        self.llm_rule_box.setCurrentIndex(max(0, self.llm_rule_box.findData(self.settings.llm_score_rule)))
        self.llm_test_button = _named(QPushButton("Test"), "Test the language model")
        self.llm_test_button.clicked.connect(self.test_llm)
        self.llm_status = _Note()
        form.addRow("Add&ress:", _row(self.llm_endpoint_edit, self.llm_test_button))
        form.addRow("Mo&del name:", self.llm_model_edit)
        form.addRow("&Wait at most:", self.llm_timeout_box)
        form.addRow("Score &rule:", self.llm_rule_box)
        form.addRow("", self.llm_remote_box)
        form.addRow("", self.llm_status)
        form.addRow("", _Note(LLM_SENT))
        return box

    def test_llm(self) -> None:
        """One small request, off the GUI thread; one sentence back: whether it answers, and how fast."""
        from mockinterviewer.llm.client import ChatClient, LLMConfig

        settings = self.current_settings()
        if not settings.llm_endpoint:
            self.llm_status.setText("No address is set, so nothing is sent anywhere.")
            return
        try:
            client = ChatClient(LLMConfig(settings.llm_endpoint, settings.llm_model, settings.llm_timeout,
                                          settings.llm_allow_remote))
        except UserError as exc:
            self.llm_status.setText(str(exc))
            return
        self.llm_test_button.setEnabled(False)
        self.llm_status.setText(f"Asking {client.model} at {client.endpoint.url}…")

        def done(sentence: str) -> None:
            self.llm_test_button.setEnabled(True)
            self.llm_status.setText(sentence)

        def failed(exc: BaseException) -> None:
            self.llm_test_button.setEnabled(True)
            self.llm_status.setText(f"The test failed ({first_line(exc)}).")

        self._submit(client.check, done, failed)

    # Lists, filled from workers

    def _load_lists(self) -> None:
        from mockinterviewer.speech import devices, models

        self._submit(devices.list_devices, self._show_devices, self._devices_failed)
        self._submit(self._voices, self._show_voices, self._voices_failed)
        self._submit(models.offered_names, self._show_model_names, lambda exc: None)
        if self.settings.model == AUTO:
            cache, device, generation = self.models_cache, self.settings.device, self._generation
            self._submit(lambda: _auto_described(cache, device),
                         lambda where: generation == self._generation and self.model_status.setText(
                             f"The model {AUTO!r} {where}."), lambda exc: None)

    def refresh_devices(self) -> None:
        from mockinterviewer.speech import devices

        self.refresh_button.setEnabled(False)
        self.device_status.setText("Looking for microphones and speakers…")
        self._submit(devices.rescan, self._show_devices, self._devices_failed)

    def _show_devices(self, found: list[dict]) -> None:
        self.refresh_button.setEnabled(True)
        notes = []
        for combo, kind, noun in ((self.input_box, "inputs", "microphone"), (self.output_box, "outputs", "speaker")):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem("System default", None)
            for device in found:
                if device[kind] > 0:
                    combo.addItem(device["name"], device["name"])
            if chosen and combo.findData(chosen) < 0:
                combo.addItem(f"{chosen} (not connected)", chosen)
                notes.append(f"The {noun} {chosen!r} is not connected; the system default is used until it is.")
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
        self.device_status.setText(" ".join(notes))

    def _devices_failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.device_status.setText(str(exc) if isinstance(exc, UserError) else f"The devices could not be listed ({first_line(exc)}).")

    def _voices(self) -> list[tuple[str, str]]:
        if self._speaker is None:
            from mockinterviewer.speech.tts import Pyttsx3Speaker

            self._speaker = Pyttsx3Speaker(player=None)
        return self._speaker.voices()

    def _show_voices(self, voices: list[tuple[str, str]]) -> None:
        chosen = self.voice_box.currentData()
        self.voice_box.clear()
        self.voice_box.addItem("Default voice", None)
        for voice_id, name in sorted(voices, key=lambda v: v[1].lower()):
            self.voice_box.addItem(name, voice_id)
        if chosen and self.voice_box.findData(chosen) < 0:
            index = self.voice_box.findText(chosen)  # saved by its name rather than its id
            if index < 0:
                self.voice_box.addItem(f"{chosen} (not available)", chosen)
            else:
                chosen = self.voice_box.itemData(index)
        self.voice_box.setCurrentIndex(max(0, self.voice_box.findData(chosen)))

    def _voices_failed(self, exc: BaseException) -> None:
        for widget in (self.voice_box, self.rate_box, self.test_voice_button):
            widget.setEnabled(False)
        self.voice_status.setText(f"Speech is unavailable: {first_line(exc).rstrip('.')}. "
                                  "Questions are shown but not read aloud.")

    def _show_model_names(self, names: list[str]) -> None:
        current = self.model_box.currentText()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItems(names if current in names else [current, *names])
        self.model_box.setCurrentText(current)
        self.model_box.blockSignals(False)

    # Voice test

    def test_voice(self) -> None:
        from mockinterviewer.speech.player import SoundDevicePlayer
        from mockinterviewer.speech.tts import Pyttsx3Speaker

        voice, rate, output = self.voice_box.currentData(), self._rate(), self.output_box.currentData()
        self.test_voice_button.setEnabled(False)
        self.voice_status.setText("Speaking a sample sentence…")

        def speak():
            Pyttsx3Speaker(SoundDevicePlayer(output), voice=voice, rate=rate).speak(SAMPLE_SENTENCE)

        def done(_result=None):
            self.test_voice_button.setEnabled(True)
            self.voice_status.setText("")

        def failed(exc):
            self.test_voice_button.setEnabled(True)
            self.voice_status.setText(str(exc) if isinstance(exc, UserError) else f"The voice could not be played ({first_line(exc)}).")
        self._submit(speak, done, failed)

    # Model: check it, downloading it when it is not here yet

    def choose_model(self, name: str) -> None:
        name = name.strip()
        if not name or name == (self._pending or self._model):
            return
        from mockinterviewer.speech import models

        self._cancel.set()  # a download of another model stops
        cancel = self._cancel = threading.Event()
        self._generation += 1
        generation, cache, progress = self._generation, self.models_cache, self._progress
        self._set_pending(name)
        self.model_status.setText(f"Checking the model {name!r}…")
        last = [-1]

        def report(done: int, total: int) -> None:  # on the download's thread
            percent = int(done * 100 / total) if total else 0
            if percent != last[0]:
                last[0] = percent
                progress.changed.emit(generation, percent)

        device = self.compute_box.currentData()

        def work():
            if name == AUTO:
                return _auto_described(cache, device)
            models.fetch(models.resolve(name), cache, report, cancel)
            return models.describe(name, cache)

        self._submit(work, lambda where: self._model_ready(generation, name, where),
                           lambda exc: self._model_failed(generation, exc))

    def _download_progress(self, generation: int, percent: int) -> None:
        if generation != self._generation:
            return
        if not self.download_row.isVisible():
            self.model_status.setText(f"Downloading the model {self.model_box.currentText()!r}…")
            self.download_row.show()
        self.download_bar.setValue(percent)

    def _model_ready(self, generation: int, name: str, where: str) -> None:
        if generation != self._generation:
            return
        self._model = name
        self._set_pending(None)
        self.model_status.setText(f"The model {name!r} {where}.")

    def _model_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_pending(None)
        self.model_box.setCurrentText(self._model)
        reason = str(exc) if isinstance(exc, UserError) else f"The model could not be prepared ({first_line(exc)})."
        self.model_status.setText(f"{reason} The model stays {self._model!r}.")

    def cancel_download(self) -> None:
        """Stop a model download; the worker removes what it fetched."""
        if self._pending:
            self._cancel.set()
            self._generation += 1
            self._set_pending(None)
            self.model_box.setCurrentText(self._model)
            self.model_status.setText(f"Download cancelled; the model stays {self._model!r}.")

    def _set_pending(self, name: str | None) -> None:
        """A model being checked or downloaded: OK waits for it, so the window never starts a
        second download of its own."""
        self._pending = name
        self.ok_button.setEnabled(name is None)
        self.apply_button.setEnabled(name is None)
        if name is None:
            self.download_row.hide()
        else:
            self.download_bar.setValue(0)

    def _pick_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a CTranslate2 Whisper model folder")
        if folder:
            self.model_box.setCurrentText(folder)
            self.choose_model(folder)

    def _pick_data_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the data folder", self.data_edit.text() or str(paths.data_dir()))
        if folder:
            self.data_edit.setText(folder)

    # Result

    def _rate(self) -> int | None:
        value = self.rate_box.value()
        return None if value == self.rate_box.minimum() else value

    def current_settings(self) -> Settings:
        return Settings(
            model=self._model, device=self.compute_box.currentData(),
            input_device=self.input_box.currentData(), output_device=self.output_box.currentData(),
            voice=self.voice_box.currentData(), rate=self._rate(),
            max_answer_seconds=float(self.limit_box.value()), silence_stop_seconds=self.silence_box.value(),
            data_dir=self.data_edit.text().strip() or None,
            llm_endpoint=self.llm_endpoint_edit.text().strip(), llm_model=self.llm_model_edit.text().strip(),
            llm_timeout=self.llm_timeout_box.value(), llm_allow_remote=self.llm_remote_box.isChecked(),
            llm_score_rule=self.llm_rule_box.currentData())

    def _problem(self, settings: Settings) -> str:
        if settings.data_dir:
            folder = Path(settings.data_dir).expanduser()
            if not folder.is_absolute():
                return f"The data folder {settings.data_dir!r} must be a full path, such as {paths.data_dir()}."
            if folder.exists() and not folder.is_dir():
                return f"The data folder {folder} is a file, not a folder."
        if settings.llm_endpoint:
            from mockinterviewer.llm.client import parse_endpoint

            try:
                parse_endpoint(settings.llm_endpoint, settings.llm_allow_remote)
            except UserError as exc:
                return str(exc).replace("(--llm-allow-remote, or Settings)", "(tick the box to confirm it)")
            if not settings.llm_model:
                return "The language model needs its name as its server knows it (e.g. llama3.2 for Ollama)."
        return ""

    def apply(self) -> bool:
        settings = self.current_settings()
        problem = self._problem(settings)
        self.error.setText(problem)
        if problem:
            return False
        settings_store.save_settings(settings)
        self.settings = settings
        self.settingsChanged.emit(settings)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def reject(self) -> None:
        self.cancel_download()
        super().reject()


def _auto_described(cache: Path, device: str) -> str:
    """What "auto" picks on this computer and why (imports CTranslate2: run it on a worker)."""
    from mockinterviewer.speech.model_choice import for_this_machine

    choice = for_this_machine(cache, device)
    return f"chooses {choice.name} for this computer: {choice.reason}"
