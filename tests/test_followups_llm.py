"""Follow-ups worded by a real local language model (llama.cpp's server with SmolLM2-135M, as in
tests/test_llm_server.py): the app chooses the point, the model may word the probe, and a wording
that gives the point away is never asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests import llm_server

pytestmark = pytest.mark.skipif(llm_server.missing() is not None, reason=str(llm_server.missing()))

from mockinterviewer.core.bank import load_bank  # noqa: E402
from mockinterviewer.core.probes import reveals  # noqa: E402
from tests.test_llm_server import ANSWER, BANK, SLOW_REPLY_S  # noqa: E402


@pytest.fixture(scope="module")
def server(llama_server):
    return llama_server


@pytest.mark.timeout(2 * SLOW_REPLY_S + 120)
def test_answer_with_a_model_asks_a_follow_up_in_words_that_keep_the_point_hidden(server, tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "mockinterviewer", "answer", "--bank", str(BANK), "-q", "dropout",
                          "--text", ANSWER, "--follow-ups", "1", "--reply", "It also means less overfitting.",
                          "--llm", server.url, "--llm-model", "smollm2", "--llm-timeout", str(SLOW_REPLY_S),
                          "--json"], capture_output=True, text=True, timeout=2 * SLOW_REPLY_S + 60, env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    [turn] = data["turns"]
    question = load_bank(BANK).get("dropout")
    point = question.key_points[turn["point_index"]]
    assert turn["point"] == "Reduces overfitting" and turn["kind"] == "probe"
    assert not reveals(question, point, turn["question"])  # the model's words, or the app's own
    assert f"Follow-up 1 (probe): {turn['question']}" in out.stderr
    assert turn["status"] == "covered" and data["second_opinion"]["model"] == "smollm2"
