"""The core must stand without Qt or audio libraries, so any front end (or none) can use it."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "mockinterviewer" / "core"
FORBIDDEN = ("PySide6", "sounddevice", "soundfile", "pyttsx3", "faster_whisper", "ctranslate2", "av")


def test_core_modules_import_no_gui_or_audio_library():
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_core_imports_with_qt_and_audio_absent():
    blocked = "; ".join(f"sys.modules[{m!r}] = None" for m in FORBIDDEN)
    code = (f"import sys; {blocked}; "
            "import mockinterviewer.core.bank, mockinterviewer.core.session, mockinterviewer.core.scoring; "
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=CORE.parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
