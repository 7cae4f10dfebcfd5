"""The command line as a user runs it: a real process, real audio, the real model."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

MINI = str(Path(__file__).parent / "data" / "mini.yaml")
COMPLETE = ("The bias variance tradeoff. High bias means the model is too simple and underfits. "
            "High variance means it overfits and memorizes the training data. More model complexity "
            "lowers bias but raises variance, and we use cross validation to find the balance.")
OFF_TOPIC = "I would put the service in a Docker container and deploy it on Kubernetes with a load balancer."


def cli(*args, check_rc=None):
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", *args], capture_output=True, text=True,
                         timeout=300)
    if check_rc is not None:
        assert out.returncode == check_rc, out.stderr
    return out


@pytest.fixture(scope="module")
def answers(tmp_path_factory, espeak):
    folder = tmp_path_factory.mktemp("answers")
    return {"complete": espeak(COMPLETE, folder / "complete.wav"),
            "off_topic": espeak(OFF_TOPIC, folder / "off_topic.wav"),
            "folder": folder}


def test_score_a_spoken_answer_from_the_shipped_bank(answers):
    out = cli("score", "--question", "bias variance", "--audio", str(answers["complete"]), "--json", check_rc=0)
    result = json.loads(out.stdout)
    assert result["question_id"] == "bias-variance-tradeoff"
    assert "bias" in result["question"].lower()
    assert "underfit" in result["transcript"].lower()
    assert result["model"] == "tiny.en"
    assert result["score"] >= 60
    assert {"label", "covered"} <= set(result["key_points"][0])
    assert any(k["covered"] for k in result["key_points"])


def test_a_good_answer_outscores_an_off_topic_one(answers):
    good = json.loads(cli("score", "-q", "bias variance", "--audio", str(answers["complete"]), "--json",
                          "--bank", MINI, check_rc=0).stdout)
    bad = json.loads(cli("score", "-q", "bias variance", "--audio", str(answers["off_topic"]), "--json",
                         "--bank", MINI, check_rc=0).stdout)
    assert good["score"] >= 75 and bad["score"] == 0
    assert not any(k["covered"] for k in bad["key_points"])


def test_score_typed_text_prints_covered_and_missed_points():
    out = cli("score", "-q", "prevent overfitting", "--text", "I add dropout between the layers and L2 regularization "
              "on the weights, so that the network cannot memorise noise.", "--bank", MINI, check_rc=0)
    assert "Score: 67/100 — 2 of 3 key points covered" in out.stdout
    assert "2 covered, 1 missed of 3 key points = 67." in out.stdout
    assert "+ Dropout" in out.stdout and "- Early stopping (you could say “early stopping”" in out.stdout
    assert "Delivery: " in out.stdout
    assert "Reference answer:" in out.stdout


def test_score_names_each_wrong_statement_with_its_correction_and_json_carries_statuses():
    claims = str(Path(__file__).parent / "data" / "claims" / "claims.yaml")
    wrong = ("make the network much larger, remove dropout, and train for longer without early stopping. The "
             "validation loss does not matter, and using less data is better than data augmentation. Weight decay "
             "and L2 regularization make overfitting worse, so avoid them.")
    out = cli("score", "-q", "prevent-overfitting", "--text", wrong, "--bank", claims, check_rc=0).stdout
    assert "Score: 0/100 — 6 stated incorrectly of 6 key points" in out
    assert "6 stated incorrectly (0) of 6 key points = 0." in out
    assert 'x Use dropout during training (heard "remove dropout")' in out
    assert "correct: Dropout reduces overfitting; keep it during training." in out
    listed = cli("score", "-q", "prevent-overfitting", "--text", "Dropout. L2. Early stopping. Data augmentation.",
                 "--bank", claims, "--json", check_rc=0)
    result = json.loads(listed.stdout)
    assert result["score"] == 13
    assert result["explanation"] == ("4 covered, 2 missed of 6 key points = 67; halved for a list of terms = 33; "
                                     "scaled for length (6 of 15 words) = 13.")
    regularise = result["key_points"][2]
    assert (regularise["status"], regularise["covered"], regularise["evidence"]["text"]) == ("covered", True, "L2")
    assert [k["status"] for k in result["key_points"]] == ["missed", "covered", "covered", "covered", "covered",
                                                            "missed"]


def test_transcribe_prints_text_and_word_timings(answers):
    out = cli("transcribe", str(answers["off_topic"]), "--json", check_rc=0)
    result = json.loads(out.stdout)
    assert "container" in result["text"].lower() and "load balancer" in result["text"].lower()
    assert result["words"][0]["start"] >= 0 and result["device"] == "cpu"


def test_questions_list_shows_the_shipped_bank():
    out = cli("questions", "list", check_rc=0)
    assert "ml-engineer" in out.stdout and "bias-variance-tradeoff" in out.stdout


def test_doctor_reports_devices_speech_model_and_cuda():
    report = json.loads(cli("doctor", "--json", check_rc=0).stdout)
    assert report["audio"]["ok"] and "mic" in report["audio"]["inputs"]
    assert report["speech"]["ok"] and report["speech"]["voices"] > 0
    assert report["model"]["loads"] and report["model"]["bundled"]
    assert report["cuda"]["devices"] == 0 and report["model"]["device"] == "cpu"
    assert any(b["id"] == "ml-engineer" for b in report["banks"])


def _silent(folder):
    path = folder / "silent.wav"
    soundfile.write(path, np.zeros(16000 * 2, np.float32), 16000)
    return path


@pytest.mark.parametrize("case, expected", [
    ("unknown question", "No question matches 'kubernetes pod autoscaling'"),
    ("missing file", "no such file"),
    ("empty file", "is empty"),
    ("not audio", "is not an audio file"),
    ("silent file", "silent"),
    ("broken bank", "YAML syntax error"),
    ("bad model", "does not exist"),
])
def test_bad_input_is_one_sentence_and_exit_2(answers, case, expected):
    folder = answers["folder"]
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.wav").write_text("not audio at all\n" * 50)
    (folder / "broken.yaml").write_text("format: 1\nid: broken\nquestions: [\n")
    audio = str(answers["complete"])
    args = {
        "unknown question": ["score", "-q", "kubernetes pod autoscaling", "--text", "x", "--bank", MINI],
        "missing file": ["score", "-q", "bias variance", "--audio", str(folder / "nope.wav")],
        "empty file": ["score", "-q", "bias variance", "--audio", str(folder / "empty.wav")],
        "not audio": ["transcribe", str(folder / "notes.wav")],
        "silent file": ["score", "-q", "bias variance", "--audio", str(_silent(folder))],
        "broken bank": ["score", "-q", "bias variance", "--audio", audio, "--bank", str(folder / "broken.yaml")],
        "bad model": ["transcribe", audio, "--model", str(folder / "no-model-here")],
    }[case]
    out = cli(*args)
    assert out.returncode == 2
    assert expected in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert out.stdout == ""


def test_questions_validate_passes_the_shipped_banks_and_points_at_a_planted_error(tmp_path):
    ok = cli("questions", "validate", check_rc=0)
    assert "ml-engineer.yaml: ok" in ok.stdout
    shipped = Path(__file__).resolve().parent.parent / "questions" / "ml-engineer.yaml"
    lines = shipped.read_text().splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "difficulty: medium")
    lines[target] = lines[target].replace("medium", "moderate")
    broken = tmp_path / "broken.yaml"
    broken.write_text("\n".join(lines) + "\n")
    out = cli("questions", "validate", str(broken), str(shipped))
    assert out.returncode == 1
    assert f"{broken}:{target + 1}: difficulty of" in out.stdout and "not 'moderate'" in out.stdout
    assert f"{shipped}: ok" in out.stdout
    assert "1 of 2 bank files has problems." in out.stderr


def test_import_a_seed_document_into_a_bank_that_validates(tmp_path):
    seed = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_645ea3476d982b1f.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds is absent: the seed documents are only beside a project checkout")
    bank = tmp_path / "seed.yaml"
    out = cli("questions", "import", str(seed), "-o", str(bank), "--json", check_rc=0)
    assert json.loads(out.stdout)["questions"] == 16
    cli("questions", "validate", str(bank), check_rc=0)
    listed = cli("questions", "list", "--bank", str(bank), check_rc=0)
    assert "Tell me about yourself" in listed.stdout
    again = cli("questions", "import", str(seed), "-o", str(bank))
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    cli("questions", "import", str(seed), "-o", str(bank), "--force", check_rc=0)


def test_import_of_a_file_with_no_questions_fails_clearly(tmp_path):
    notes = tmp_path / "shopping.txt"
    notes.write_text("milk\neggs\n")
    out = cli("questions", "import", str(notes), "-o", str(tmp_path / "x.yaml"))
    assert out.returncode == 2 and "No questions were found" in out.stderr and "Traceback" not in out.stderr
