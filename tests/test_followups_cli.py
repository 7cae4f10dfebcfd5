"""`mockinterviewer answer --follow-ups N` as a user runs it: a real process, the history it keeps."""

import json
import subprocess
import sys

ANSWER = ("Regularization constrains complexity to improve generalisation: it adds a penalty term to the loss, "
          "and L2 or ridge shrinks the weights. Dropout, early stopping and data augmentation also help.")
RECOVERS = "L1, the lasso, drives some weights exactly to zero, so it gives sparse models."


def answer(*args):
    return subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "regularization",
                           "--text", ANSWER, *args], capture_output=True, text=True, timeout=120)


def test_the_exchange_is_printed_turn_by_turn_and_the_recovered_point_credited():
    out = answer("--follow-ups", "2", "--reply", RECOVERS, "--reply", "I am not sure.")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    # asked without naming the point it aims at
    asked = text[text.index("Follow-up 1 (probe): "):].splitlines()[0]
    assert "sparsity" not in asked.lower() and "lasso" not in asked.lower()
    assert "L1 or lasso gives sparsity: made (heard \"" in text
    assert "Follow-up 2 (probe): " in text and "Strength is a tuned hyperparameter: still missed" in text
    assert "Score: 75/100 — 4 covered, 1 recovered on follow-up of 6 key points" in text
    assert "4 covered, 2 missed of 6 key points = 67; 1 recovered on follow-up (half credit, +8) = 75." in text
    assert "^ L1 or lasso gives sparsity (recovered on follow-up 1, +0.5 credit; heard \"" in text


def test_json_carries_every_turn():
    out = answer("--follow-ups", "1", "--reply", RECOVERS, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["score"] == 75
    [turn] = data["turns"]
    assert (turn["kind"], turn["point"], turn["status"], turn["transcript"]) == (
        "probe", "L1 or lasso gives sparsity", "covered", RECOVERS)
    assert turn["question"] in out.stderr  # asked on stderr, as progress
    point = data["key_points"][turn["point_index"]]
    assert (point["status"], point["follow_up"], point["credit"]) == ("missed", "recovered", 0.5)


def test_no_follow_ups_unless_asked_and_bad_numbers_are_one_sentence():
    out = answer()
    assert out.returncode == 0 and "Follow-up" not in out.stdout
    for bad, message in ((["--follow-ups", "9"], "--follow-ups must be from 0 to 5, not 9."),
                         (["--follow-ups", "-1"], "--follow-ups must be from 0 to 5, not -1.")):
        out = answer(*bad)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "regularization", "--reply", "x",
                          "--no-speak"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "--reply gives a typed reply to a follow-up" in out.stderr


def test_without_a_reply_the_follow_ups_stop_and_the_answer_is_kept():
    out = answer("--follow-ups", "1")
    assert out.returncode == 0, out.stderr
    assert "(no reply given: the follow-ups stop here)" in out.stdout
    assert "Score: 67/100" in out.stdout


def test_a_spoken_answer_gets_a_spoken_follow_up_and_its_reply_is_recorded_transcribed_and_kept(
        mic, espeak, speaker_file, tmp_path):
    from pathlib import Path

    from tests.test_answer_and_recovery import recordings_root
    from mockinterviewer.speech.recovery import unfinished

    bank = str(Path(__file__).parent / "data" / "follow_ups" / "interview.yaml")
    # The file microphone gives the same speech to every recording: the reply says the answer again.
    length = mic(wav=espeak("I would watch the validation loss, add dropout, and stop early.",
                            tmp_path / "answer.wav"), silence_after=2)
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "-q", "prevent-overfitting",
                          "--bank", bank, "--max-seconds", f"{length - 0.5:.1f}", "--follow-ups", "1", "--json"],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    [turn] = data["turns"]
    assert (turn["kind"], turn["point"]) == ("probe", "Use a smaller network")
    assert f"Follow-up 1 (probe): {turn['question']}" in out.stderr and out.stderr.count("Recording: answer now") == 2
    assert "smaller" not in turn["question"].lower()
    assert "dropout" in turn["transcript"].lower() and turn["status"] == "missed"  # heard, and still missed
    assert turn["words"] and turn["words"][0][1] >= 0  # with its word timings
    reply = Path(turn["audio"])
    assert reply.name == "01-prevent-overfitting-follow-up-1.flac" and reply.is_file()  # kept, compressed
    assert speaker_file.stat().st_size > 0  # the question and the follow-up were read aloud
    assert not [p for p in unfinished(recordings_root()) if "follow-up" in p.name]
