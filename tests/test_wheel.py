"""The built wheel works outside the repository: it carries the banks and assets, and installed
offline into a fresh virtual environment it transcribes and scores a spoken answer with the
bundled model."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ("The bias variance tradeoff. High bias means the model is too simple and underfits. "
          "High variance means it overfits and memorizes the training data. More model complexity "
          "lowers bias but raises variance, and we use cross validation to find the balance.")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("mockinterviewer-*.whl"))


def test_installed_wheel_finds_its_banks_and_assets(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "mockinterviewer/questions/ml-engineer.yaml" in names
    assert "mockinterviewer/assets/mockinterviewer.svg" in names
    assert not any(n.startswith("tests/") for n in names)

    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(target), str(wheel)], check=True)
    code = ("import json, mockinterviewer.paths as p; "
            "print(json.dumps([str(p.questions_dir()), str(p.assets_dir())]))")
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    questions, assets = json.loads(out.stdout)
    assert questions == str(target / "mockinterviewer" / "questions")
    assert assets == str(target / "mockinterviewer" / "assets")
    listed = subprocess.run([sys.executable, "-m", "mockinterviewer", "questions", "list"], capture_output=True,
                            text=True, cwd=tmp_path, env=env)
    assert listed.returncode == 0 and "bias-variance-tradeoff" in listed.stdout


def offline(command: list[str]) -> list[str]:
    """``command`` in a network namespace of its own, so it cannot reach anything, where the
    kernel allows one; otherwise as is (pip's --no-index and the bundled model need no network)."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn", *command]
    return command


def dependencies_only(folder: Path) -> Path:
    """This environment's installed packages, minus any mockinterviewer (an editable install would
    point back at the checkout): the packages the wheel's requirements name, already downloaded."""
    folder.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if "mockinterviewer" not in entry.name.lower():
            (folder / entry.name).symlink_to(entry)
    return folder


def test_wheel_installed_offline_into_a_fresh_venv_scores_a_spoken_answer(wheel, tmp_path, espeak):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # pip from ensurepip: no download
    python, bin_dir = venv / "bin" / "python", venv / "bin"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # The requirements are already on this machine: offered as installed, so pip must find every
    # pinned requirement of the wheel among them, with no index to fall back on.
    (site / "offline-dependencies.pth").write_text(f"{dependencies_only(tmp_path / 'deps')}\n")
    # No PYTHONPATH, and no pip configuration (this machine's names local wheel folders).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    install = subprocess.run(offline([str(python), "-m", "pip", "install", "--no-index", "--disable-pip-version-check",
                                      str(wheel)]), capture_output=True, text=True, env=env, cwd=tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr
    assert "Successfully installed mockinterviewer" in install.stdout

    where = subprocess.run([python, "-c", "import mockinterviewer; print(mockinterviewer.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.strip()
    assert Path(where).is_relative_to(site), where  # the wheel's copy, not the checkout's

    answer = espeak(ANSWER, tmp_path / "answer.wav")
    scored = subprocess.run(offline([str(bin_dir / "mockinterviewer"), "score", "--question", "bias variance",
                                     "--audio", str(answer), "--json"]),
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    assert result["question_id"] == "bias-variance-tradeoff" and result["model"] == "tiny.en"
    assert "underfit" in result["transcript"].lower()
    assert result["score"] >= 60

    doctor = subprocess.run(offline([str(bin_dir / "mockinterviewer"), "doctor", "--json"]), capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=300)
    report = json.loads(doctor.stdout)
    assert report["model"]["bundled"] and report["model"]["loads"]
    assert Path(report["folders"]["shipped_banks"]) == site / "mockinterviewer" / "questions"
