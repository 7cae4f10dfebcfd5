"""One running window per user: a second launch asks the first to come to the front, then exits.

The first instance listens on a local socket named for the user; a later one connects, sends
one line and leaves. A socket file left by a crash is found stale (nothing answers) and removed.
"""

from __future__ import annotations

import getpass
import hashlib
import re

import platformdirs

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from mockinterviewer import paths

_MESSAGE = b"raise\n"


def server_name() -> str:
    """Per user and per settings folder: two copies sharing one set of settings would overwrite
    each other's, while a copy run with its own folders (a test, a portable install) may run."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        user = "user"
    config = platformdirs.user_config_dir(paths.APP, appauthor=False)
    return f"{paths.APP}-{re.sub(r'[^A-Za-z0-9_.-]', '_', user)}-{hashlib.sha1(config.encode()).hexdigest()[:8]}"


class SingleInstance(QObject):
    """``claim()`` is True for the first instance, which then gets ``activated`` whenever
    another launch is attempted; False when another instance was told to show itself."""

    activated = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name or server_name()
        self.server: QLocalServer | None = None

    def claim(self, timeout_ms: int = 1000) -> bool:
        # Blocks for at most timeout_ms, once, before any window exists.
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(timeout_ms):
            socket.write(_MESSAGE)
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)  # stale, from an instance that crashed
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this user only
        self.server.newConnection.connect(self._connection)
        if not self.server.listen(self.name):
            self.server = None  # cannot listen (odd file system): run anyway, just without the check
        return True

    def _connection(self) -> None:
        while self.server is not None and (socket := self.server.nextPendingConnection()):
            # The server owns its sockets; each is read once and closed, and goes with the server.
            socket.readyRead.connect(self._read)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket | None = None) -> None:
        socket = socket or self.sender()
        if bytes(socket.readAll().data()).startswith(_MESSAGE.strip()):
            socket.readyRead.disconnect(self._read)
            socket.abort()
            self.activated.emit()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None


def bring_to_front(window) -> None:
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
