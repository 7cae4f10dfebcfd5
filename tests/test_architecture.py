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


PACKAGE = CORE.parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the app -> the app's modules it imports, at the top or inside a function."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name and not name.startswith(t + ".")}
        graph[name] = found - {n for n in found if modules[n].name == "__init__.py" and n == "mockinterviewer"}
    return graph


def test_no_two_modules_import_each_other_even_lazily():
    # A cycle hides which of two modules is the lower layer (issue 15: cli/commands <-> cli/main,
    # gui/app <-> gui/main_window).
    graph = _imports()
    cycles = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())})
    assert not cycles, cycles


def test_the_window_is_grouped_by_what_its_files_serve():
    gui = PACKAGE / "gui"
    flat = sorted(p.name for p in gui.glob("*.py"))
    assert len(flat) <= 8, flat  # a screenful: the rest lives in session/, history/, settings/, replay/, widgets/
    for folder in ("session", "history", "settings", "replay", "widgets"):
        assert (gui / folder / "__init__.py").exists(), folder
