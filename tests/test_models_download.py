"""Downloading a model over real HTTP from a model hub served by the test, with progress and Cancel.

No network reaches a model hub on the test machines, so a local http.server answers the two
requests huggingface_hub makes (the repository's file list, then each file). Everything on the
app's side is the real code: huggingface_hub's client, the staging folder, the dialog.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mockinterviewer.errors import ModelError
from mockinterviewer.speech import models

SHA = "0123456789abcdef0123456789abcdef01234567"


class FakeHub(ThreadingHTTPServer):
    """Serves ``repos`` ({repo id: {file name: bytes}}); ``delay`` seconds between 64 KB chunks."""

    daemon_threads = True

    def __init__(self, repos: dict[str, dict[str, bytes]], delay: float = 0.0):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.repos, self.delay, self.requests = repos, delay, []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address):
        pass  # the client hung up (a cancelled download): expected here


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        hub: FakeHub = self.server
        path = self.path.split("?")[0]
        hub.requests.append(path)
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/.*)?", path):
            files = hub.repos.get(m[1])
            if files is None:
                return self._send(404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"})
            body = {"id": m[1], "sha": SHA, "siblings": [{"rfilename": f, "size": len(b)} for f, b in files.items()]}
            return self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
        if m := re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
            data = hub.repos.get(m[1], {}).get(m[3])
            if data is None or m[2] != SHA:
                return self._send(404, b"not found", {"X-Error-Code": "EntryNotFound"})
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            for i in range(0, len(data), 1 << 16):
                self.wfile.write(data[i:i + (1 << 16)])
                if hub.delay:
                    time.sleep(hub.delay)  # a slow network, on the server's own thread
            return None
        self._send(404, b"not found", {})

    def _send(self, status, body, headers):
        self.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def tiny_model_files() -> dict[str, bytes]:
    """The bundled tiny.en's own files, so a downloaded model can really be loaded."""
    folder = models.bundled_model_path()
    return {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}


def fake_files(size: int = 2_000_000) -> dict[str, bytes]:
    return {"config.json": b"{}", "model.bin": bytes(size), "tokenizer.json": b"{}", "vocabulary.txt": b"a\n",
            "README.md": b"not needed"}


@pytest.fixture
def hub():
    servers = []

    def make(repos, delay=0.0):
        servers.append(FakeHub(repos, delay))
        return servers[-1]
    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def refusing_endpoint():
    """An address where nothing listens: connecting is refused, as on a machine with no network."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def leftovers(cache: Path) -> list[str]:
    downloads = cache / "downloads"
    return sorted(p.name for p in downloads.iterdir()) if downloads.exists() else []


def test_a_downloaded_model_is_complete_reports_progress_and_loads(hub, tmp_path, monkeypatch):
    from huggingface_hub import constants

    from mockinterviewer.speech.transcriber import TranscriberSettings, WhisperTranscriber

    server = hub({"test/whisper-tiny-copy": tiny_model_files()})
    monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)  # what HF_ENDPOINT sets at import
    seen = []
    path = models.fetch(models.resolve("test/whisper-tiny-copy"), tmp_path, progress=lambda d, t: seen.append((d, t)))
    total = sum(len(b) for b in tiny_model_files().values())
    assert seen[-1] == (total, total) and all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    assert models.is_model_dir(path) and leftovers(tmp_path) == ["test--whisper-tiny-copy"]
    # The transcriber finds it in the cache and loads it, with no second download.
    requests = len(server.requests)
    model = WhisperTranscriber(TranscriberSettings(model="test/whisper-tiny-copy", device="cpu", cache_dir=tmp_path))
    model.load()
    assert model.loaded and len(server.requests) == requests


def test_only_the_files_a_model_needs_are_fetched(hub, tmp_path):
    server = hub({"test/m": fake_files()})
    path = models.download("test/m", tmp_path, endpoint=server.endpoint)
    assert sorted(p.name for p in path.iterdir()) == ["config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    assert not any("README" in r for r in server.requests)


def test_cancel_stops_the_download_and_leaves_no_half_model(hub, tmp_path):
    server = hub({"test/m": fake_files(size=20_000_000)}, delay=0.005)
    cancel, seen = threading.Event(), []

    def progress(done, total):
        seen.append(done)
        if done >= 1_000_000:
            cancel.set()
    with pytest.raises(models.DownloadCancelled):
        models.download("test/m", tmp_path, progress=progress, cancel=cancel, endpoint=server.endpoint)
    assert 1_000_000 <= seen[-1] < 20_000_000
    assert leftovers(tmp_path) == []  # no staging folder, no model folder
    assert models.needs_download(models.resolve("test/m"), tmp_path)


def test_no_network_gives_the_offline_sentence(tmp_path, refusing_endpoint, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "ENDPOINT", refusing_endpoint)
    with pytest.raises(ModelError) as err:
        models.fetch(models.resolve("small.en"), tmp_path)
    assert str(err.value).startswith("Could not download the Whisper model 'small.en' "
                                     "(this computer cannot reach the model server)")
    assert leftovers(tmp_path) == []


def test_a_repository_without_a_model_is_named(hub, tmp_path):
    server = hub({"test/not-a-model": {"README.md": b"hello"}})
    with pytest.raises(ModelError, match="test/not-a-model is not a CTranslate2 Whisper model"):
        models.download("test/not-a-model", tmp_path, endpoint=server.endpoint)


# The dialog: choosing a model that is not here starts the download, with a bar and Cancel.

@pytest.fixture
def dialog(qtbot, tmp_path):
    from mockinterviewer.gui.settings.dialog import SettingsDialog
    from mockinterviewer.gui.tasks import TaskRunner
    from mockinterviewer.settings import Settings

    runner = TaskRunner(2)
    made = SettingsDialog(Settings(), runner, models_cache=tmp_path / "models")
    qtbot.addWidget(made)
    made.show()
    yield made
    made.cancel_download()
    runner.wait(10_000)


def choose_model(dialog, name):
    dialog.model_box.setCurrentText(name)
    dialog.model_box.lineEdit().editingFinished.emit()


def test_dialog_downloads_with_a_progress_bar(qtbot, dialog, hub, monkeypatch):
    from huggingface_hub import constants

    server = hub({"test/m": fake_files(size=3_000_000)}, delay=0.001)
    monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
    values = []
    dialog.download_bar.valueChanged.connect(values.append)
    choose_model(dialog, "test/m")
    qtbot.waitUntil(lambda: dialog.download_bar.isVisible())
    assert dialog.cancel_download_button.isVisible() and not dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: "ready" in dialog.model_status.text(), timeout=20_000)
    assert values[-1] == dialog.download_bar.maximum() == 100 and len(values) > 2
    assert not dialog.download_bar.isVisible() and dialog.ok_button.isEnabled()
    assert dialog.model_status.text() == "The model 'test/m' is downloaded and ready."
    assert dialog.current_settings().model == "test/m"


def test_dialog_cancel_stops_the_download(qtbot, dialog, hub, monkeypatch, tmp_path):
    from huggingface_hub import constants

    server = hub({"test/m": fake_files(size=30_000_000)}, delay=0.01)
    monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
    choose_model(dialog, "test/m")
    qtbot.waitUntil(lambda: dialog.download_bar.value() > 0, timeout=20_000)
    qtbot.mouseClick(dialog.cancel_download_button, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    assert dialog.model_status.text() == "Download cancelled; the model stays 'auto'."
    assert dialog.model_box.currentText() == "auto" and dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=20_000)  # the worker has stopped and cleaned up
    assert leftovers(tmp_path / "models") == []


def test_dialog_says_when_offline(qtbot, dialog, refusing_endpoint, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "ENDPOINT", refusing_endpoint)
    choose_model(dialog, "small.en")
    qtbot.waitUntil(lambda: "Could not download" in dialog.model_status.text(), timeout=20_000)
    assert "this computer cannot reach the model server" in dialog.model_status.text()
    assert dialog.model_box.currentText() == "auto" and not dialog.download_bar.isVisible()
