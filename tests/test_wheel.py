"""The built wheel carries the banks and assets, so an installed app works outside the repository."""

import json
import os
import subprocess
import sys
import zipfile


def test_installed_wheel_finds_its_banks_and_assets(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"),
                    root], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("mockinterviewer-*.whl"))
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
