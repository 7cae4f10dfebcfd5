"""The language model's parts that need no server: with nothing configured the app makes no
connection at all (run in a network namespace with no network, every socket call audited), only
loopback addresses unless confirmed, the reveal check, the score rule, hostile stored opinions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mockinterviewer.cli.answer import typed_answer
from mockinterviewer.core.bank import KeyPoint, load_bank
from mockinterviewer.core.opinion import MAKES, RAISE_MISSED, SHOW_ONLY, PointOpinion, SecondOpinion
from mockinterviewer.core.reveal import given_away
from mockinterviewer.core.scoring import ScoreResult, score_answer
from mockinterviewer.core.second_opinion import with_second_opinion
from mockinterviewer.llm.client import EndpointError, parse_endpoint
from mockinterviewer.llm.schema import SchemaError, check

ROOT = Path(__file__).resolve().parent.parent
BANK = Path(__file__).parent / "data" / "llm" / "tiny.yaml"
ANSWER = "Dropout switches off random units while training the network."
# Runs the CLI with every socket call reported on stderr (Python's audit hooks see them all).
AUDITED = """
import runpy, sys
def hook(event, args):
    if event.startswith("socket.") and event != "socket.__new__" or event == "socket.__new__" and args[1] != 1:
        sys.stderr.write(f"NETWORK {event} {args!r}\\n")
sys.addaudithook(hook)
sys.argv = ["mockinterviewer", *sys.argv[1:]]
runpy.run_module("mockinterviewer", run_name="__main__")
"""
NO_NETWORK = ["unshare", "-rn"] if os.geteuid() else ["unshare", "-n"]


def audited_cli(tmp_path, *args):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([*NO_NETWORK, sys.executable, "-c", AUDITED, *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare (util-linux) is needed for a network namespace")
def test_with_nothing_configured_scoring_and_answering_open_no_socket(tmp_path):
    for command in ("score", "answer"):
        out = audited_cli(tmp_path, command, "--bank", str(BANK), "-q", "dropout", "--text", ANSWER)
        assert out.returncode == 0, out.stderr
        assert "Score: 30/100" in out.stdout
        assert "NETWORK" not in out.stderr, out.stderr
    # The control: the same audit does see a connection when a model is configured, and the answer is
    # still scored offline with one sentence (the loopback is down in this namespace).
    out = audited_cli(tmp_path, "score", "--bank", str(BANK), "-q", "dropout", "--text", ANSWER,
                      "--llm", "http://127.0.0.1:9/v1", "--llm-model", "tiny")
    assert out.returncode == 0 and "Score: 30/100" in out.stdout
    assert "NETWORK socket.connect" in out.stderr
    notices = [line for line in out.stderr.splitlines() if line.startswith("mockinterviewer: ")]
    assert len(notices) == 1 and "scored by the app alone" in notices[0], out.stderr


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare (util-linux) is needed for a network namespace")
def test_with_nothing_configured_a_follow_up_is_the_apps_own_wording_and_opens_no_socket(tmp_path):
    out = audited_cli(tmp_path, "answer", "--bank", str(BANK), "-q", "dropout", "--text", ANSWER,
                      "--follow-ups", "1", "--reply", "It also means less overfitting.", "--json")
    assert out.returncode == 0, out.stderr
    assert "NETWORK" not in out.stderr, out.stderr
    [turn] = json.loads(out.stdout)["turns"]
    assert turn["kind"] == "probe" and turn["point"] == "Reduces overfitting"
    assert turn["phrased_by"] == "" and "phrased by" not in out.stderr  # asked in the app's own words


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare (util-linux) is needed for a network namespace")
def test_a_host_elsewhere_is_refused_in_one_sentence_before_anything_is_sent(tmp_path):
    out = audited_cli(tmp_path, "score", "--bank", str(BANK), "-q", "dropout", "--text", ANSWER,
                      "--llm", "http://192.0.2.7:11434/v1", "--llm-model", "llama3.2")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "is not on this computer" in out.stderr and "NETWORK" not in out.stderr
    out = audited_cli(tmp_path, "score", "--bank", str(BANK), "-q", "dropout", "--text", ANSWER,
                      "--llm", "http://127.0.0.1:9")
    assert out.returncode == 2 and out.stderr.strip() == \
        "mockinterviewer: --llm needs --llm-model NAME, the model's name on that server."


def test_endpoints_only_on_this_computer_unless_confirmed():
    assert parse_endpoint("http://localhost:11434/v1").url == "http://localhost:11434/v1/chat/completions"
    assert parse_endpoint("http://127.0.0.1:8080").path == "/v1/chat/completions"
    assert parse_endpoint("http://[::1]:8080/v1/chat/completions/").url == "http://[::1]:8080/v1/chat/completions"
    for bad in ("http://10.0.0.5:8080", "http://my-gpu-box:8080", "http://127.0.0.1.example.com"):
        with pytest.raises(EndpointError, match="not on this computer"):
            parse_endpoint(bad)
    assert parse_endpoint("http://my-gpu-box:8080", allow_remote=True).host == "my-gpu-box"
    for bad in ("ftp://127.0.0.1/", "127.0.0.1:8080", "http://user:pw@127.0.0.1:8080"):
        with pytest.raises(EndpointError):
            parse_endpoint(bad)


def test_a_reply_is_checked_against_its_schema():
    schema = {"type": "object", "required": ["v"], "additionalProperties": False,
              "properties": {"v": {"type": "string", "enum": ["a", "b"]}, "n": {"type": "integer", "maximum": 2}}}
    check({"v": "a", "n": 2}, schema)
    for bad, why in (({"v": "c"}, "one of"), ({}, "lacks"), ({"v": "a", "x": 1}, "unexpected"),
                     ({"v": "a", "n": True}, "integer"), ({"v": "a", "n": 3}, "out of range"), ([], "object")):
        with pytest.raises(SchemaError, match=why):
            check(bad, schema)


def test_one_check_for_every_follow_up_wording_the_words_of_the_point_in_any_form_or_scored_as_an_answer():
    from mockinterviewer.core import probes, reveal
    from mockinterviewer.core.bank import Question
    from mockinterviewer.llm import followup

    point = KeyPoint("L2 shrinks weights", ("weight decay",), claims=(("l2", "shrink"),))
    question = Question("reg", "ml", "easy", "What is the purpose of regularization?",
                        "Regularization limits complexity. L2 shrinks the weights.", (point,),
                        concepts=(("l2", ("l2", "ridge", "squared penalty")), ("shrink", ("shrinks", "smaller weights"))))
    assert given_away(question, point, "Could you say more about how it shrinks things?") == "shrinks"
    assert given_away(question, point, "What does a squared penalty do?") == "squared"
    assert given_away(question, point, "Where does weight decay come in?") == "weight"
    assert given_away(question, point, "And the weights themselves?") == "weights"  # a label word
    assert given_away(question, point, "Could it make them shrink?") == "shrink"  # another form of a word
    assert given_away(question, point, "Why would someone ask about the purpose of regularization?") == ""
    assert given_away(question, point, "How would you decide how strong that cost should be?") == ""
    # The offline probes, the CLI's and the window's model wordings all use this one check.
    assert probes.reveals is reveal.reveals and followup.given_away is given_away


def test_the_raise_rule_turns_a_missed_point_quoted_from_the_answer_into_partly_and_nothing_else():
    question = load_bank(BANK).get("dropout")
    result = score_answer(question, typed_answer(ANSWER + " That way the network stops memorising noise."))
    assert [k.status for k in result.key_points] == ["covered", "missed"]
    quoted = SecondOpinion("tiny", (PointOpinion("Reduces overfitting", MAKES, "stops memorising noise"),), "Clear.",
                           "Say why it helps.")
    shown = with_second_opinion(result, quoted, SHOW_ONLY)
    assert shown.score == result.score and shown.second_opinion.points[0].quote_found
    raised = with_second_opinion(result, quoted, RAISE_MISSED)
    assert [k.status for k in raised.key_points] == ["covered", "partly"]
    assert raised.score > result.score and raised.second_opinion.score_before == result.score
    assert raised.explanation.endswith("the second opinion of tiny raised 1 missed point to partly.")
    assert raised.key_points[1].evidence.text == "stops memorising noise."
    invented = SecondOpinion("tiny", (PointOpinion("Reduces overfitting", MAKES, "it prevents overfitting"),))
    assert with_second_opinion(result, invented, RAISE_MISSED).score == result.score  # words not in the answer
    again = ScoreResult.from_dict(raised.to_dict())
    assert again.second_opinion == raised.second_opinion and again.score == raised.score


def test_a_stored_second_opinion_is_checked_before_it_is_shown():
    assert SecondOpinion.from_dict("junk") is None and SecondOpinion.from_dict({"model": 3}) is None
    opinion = SecondOpinion.from_dict({"model": "m", "rule": "delete", "score_before": True,
                                       "points": [{"label": "x", "verdict": "maybe"}, "junk",
                                                  {"label": "y", "verdict": "makes", "quote": "q" * 9999}]})
    assert opinion.rule == "show" and opinion.score_before is None
    assert [p.label for p in opinion.points] == ["y"] and len(opinion.points[0].quote) == 500


def test_the_history_names_the_model_of_each_second_opinion_and_older_histories_migrate(tmp_path):
    import sqlite3

    from mockinterviewer.store import History

    old = tmp_path / "old" / "history.sqlite3"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((Path(__file__).parent / "data" / "history" / "v2.sql").read_text(encoding="utf-8"))
    conn.close()
    with History(old, old.parent) as history:  # schema 2 -> 3: no answer had a model's opinion
        assert {r[0] for r in history._read("SELECT llm_model FROM attempts")} == {None}
        question = load_bank(BANK).get("dropout")
        result = score_answer(question, typed_answer(ANSWER))
        session = history.start_session("practice", "window")
        attempt = history.save_attempt(session, question, result)
        opinion = SecondOpinion("llama3.2", (PointOpinion("Reduces overfitting", MAKES, "random units"),),
                                "Concise.", "Say what it prevents.")
        history.add_second_opinion(attempt.id, with_second_opinion(result, opinion))
        assert history._read("SELECT llm_model FROM attempts WHERE id = ?", (attempt.id,)) == [("llama3.2",)]
        again = history.attempt(attempt.id).result
        assert again.second_opinion.model == "llama3.2" and again.transcript.text == ANSWER
        assert history.attempt(attempt.id).edited_transcript is None  # the answer itself untouched


def test_a_follow_up_falls_back_to_the_offline_phrasing_without_a_usable_model():
    import socket

    from mockinterviewer.llm.advisor import Advisor
    from mockinterviewer.llm.client import ChatClient, LLMConfig
    from mockinterviewer.llm.followup import follow_up_phrasing, phrase_follow_up

    question = load_bank(BANK).get("dropout")
    point = question.key_points[1]
    assert phrase_follow_up(None, question, ANSWER, point, "What else changes?") == "What else changes?"
    with socket.socket() as s:  # a port on this computer where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = ChatClient(LLMConfig(f"http://127.0.0.1:{port}", "tiny", timeout=5))
    phrasing = follow_up_phrasing(client, question, ANSWER, point, "What else changes?")
    assert (phrasing.text, phrasing.by_model) == ("What else changes?", False)
    assert "is not running (connection refused)" in phrasing.reason
    advisor = Advisor(client)
    assert advisor.phrase_follow_up(question, ANSWER, point, "What else changes?") == "What else changes?"
    assert "is not running" in advisor.take_notice() and advisor.take_notice() is None
