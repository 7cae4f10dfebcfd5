"""A client for an OpenAI-compatible chat endpoint the candidate runs (Ollama, llama.cpp's server).

Standard library only (``http.client``): no proxy from the environment is used and no redirect
followed, so the question, the key points and the transcript go to the address typed and
nowhere else. Only loopback addresses are accepted unless the user confirmed another host
(``allow_remote``). Each call has a deadline; the reply must be JSON that conforms to the
schema the request asked for (``response_format``/``json_schema``, which both servers turn
into a grammar), checked here with ``schema.py`` whatever the server claims. Every failure
is an ``LLMUnavailable`` with one sentence. Blocking: call it off the GUI thread.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from mockinterviewer.errors import UserError
from mockinterviewer.llm.schema import SchemaError, check

DEFAULT_TIMEOUT = 60.0
TIMEOUT_RANGE = (1.0, 600.0)
CHECK_TIMEOUT = 30.0
MAX_REPLY_BYTES = 1 << 20   # a chat reply is a few KB; more is a server gone wrong
SYSTEM = "You review job interview answers. Reply only with JSON."


class EndpointError(UserError):
    """A language-model address that cannot be used (not http, or not on this computer unconfirmed)."""


class LLMUnavailable(Exception):
    """The model did not give a usable answer this time; the message is one sentence."""


@dataclass(frozen=True)
class LLMConfig:
    endpoint: str                 # as typed: http://127.0.0.1:8080, .../v1 or .../v1/chat/completions
    model: str                    # the model's name on that server; shown beside everything it wrote
    timeout: float = DEFAULT_TIMEOUT
    allow_remote: bool = False    # the user typed another host and confirmed sending answers there


@dataclass(frozen=True)
class Endpoint:
    scheme: str
    host: str
    port: int
    path: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or "localhost": this computer. Names are not looked up (a name could point anywhere)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_endpoint(text: str, allow_remote: bool = False) -> Endpoint:
    """The chat-completions address for what the user typed; EndpointError (one sentence) if unusable."""
    text = (text or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise EndpointError(f"The language model address {text!r} is not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"The language model address {text!r} must start with http:// or https:// and name a "
                            "host, e.g. http://127.0.0.1:11434/v1 for Ollama.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise EndpointError(f"The language model address {text!r} must be a plain address, without a user name, "
                            "query or fragment.")
    host = parts.hostname
    if not allow_remote and not is_loopback(host):
        raise EndpointError(f"The language model address {text!r} is not on this computer: answers are only sent "
                            "to another host after you confirm it (--llm-allow-remote, or Settings).")
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path += "/chat/completions" if path.endswith("/v1") else "/v1/chat/completions"
    return Endpoint(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


class ChatClient:
    """One configured endpoint and model. Thread-safe: each call opens its own connection."""

    def __init__(self, config: LLMConfig):
        self.config = config
        self.endpoint = parse_endpoint(config.endpoint, config.allow_remote)
        if not config.model.strip():
            raise EndpointError("The language model's name is empty: type the model's name as its server knows it "
                                "(e.g. llama3.2 for Ollama).")
        self.timeout = min(max(float(config.timeout), TIMEOUT_RANGE[0]), TIMEOUT_RANGE[1])

    @property
    def model(self) -> str:
        return self.config.model

    def chat_json(self, prompt: str, schema: dict, name: str, max_tokens: int = 200,
                  timeout: float | None = None) -> dict:
        """The model's reply to ``prompt``, as JSON conforming to ``schema``; LLMUnavailable otherwise."""
        body = {
            "model": self.config.model,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": max_tokens,
            "stream": False,
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": name, "strict": True, "schema": schema}},
        }
        reply = self.post(body, timeout)
        try:
            choice = reply["choices"][0]
            content = choice["message"]["content"]
            if not isinstance(content, str):
                raise TypeError("content is not text")
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMUnavailable(f"{self._who()} replied with something that is not a chat answer ({exc}).") from None
        try:
            value = json.loads(_without_fences(content))
        except ValueError:
            cut = " (it was cut short: max_tokens)" if choice.get("finish_reason") == "length" else ""
            raise LLMUnavailable(f"{self._who()} replied with text that is not JSON{cut}.") from None
        try:
            check(value, schema)
        except SchemaError as exc:
            raise LLMUnavailable(f"{self._who()} replied with JSON that does not fit what was asked ({exc}).") from None
        return value

    def post(self, body: dict, timeout: float | None = None) -> dict:
        """POST ``body`` to the endpoint within the deadline; the decoded JSON reply."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        ep = self.endpoint
        cls = http.client.HTTPSConnection if ep.scheme == "https" else http.client.HTTPConnection
        conn = cls(ep.host, ep.port, timeout=limit)
        data = json.dumps(body).encode("utf-8")
        try:
            conn.request("POST", ep.path, body=data, headers={"Content-Type": "application/json",
                                                             "Accept": "application/json"})
            sock = conn.sock  # the response reads from it after the connection lets go of it
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            response = conn.getresponse()
            chunks, size = [], 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout()
                sock.settimeout(left)
                chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    raise LLMUnavailable(f"{self._who()} sent a reply larger than {MAX_REPLY_BYTES // 1024} KB.")
                chunks.append(chunk)
        except (socket.timeout, TimeoutError):
            raise LLMUnavailable(f"{self._who()} did not answer within {limit:g} s.") from None
        except ConnectionRefusedError:
            raise LLMUnavailable(f"{self._who()} is not running (connection refused).") from None
        except (OSError, http.client.HTTPException) as exc:
            raise LLMUnavailable(f"{self._who()} could not be reached ({type(exc).__name__}: {exc}).") from None
        finally:
            conn.close()
        raw = b"".join(chunks)
        if response.status != 200:
            detail = raw[:200].decode("utf-8", "replace").strip().splitlines()
            raise LLMUnavailable(f"{self._who()} answered HTTP {response.status}"
                                 f"{': ' + detail[0][:120] if detail else ''}.")
        try:
            reply = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise LLMUnavailable(f"{self._who()} replied with something that is not JSON.") from None
        if not isinstance(reply, dict):
            raise LLMUnavailable(f"{self._who()} replied with something that is not a chat answer.")
        return reply

    def check(self) -> str:
        """The Test button's sentence: whether the model answers, and how fast (waiting at most
        CHECK_TIMEOUT, so a test of a stuck server cannot hold the app open on closing for long)."""
        started = time.monotonic()
        try:
            self.chat_json('Reply with {"ok": true}.', {"type": "object", "properties": {"ok": {"type": "boolean"}},
                                                       "required": ["ok"], "additionalProperties": False},
                           "check", max_tokens=12, timeout=min(self.timeout, CHECK_TIMEOUT))
        except LLMUnavailable as exc:
            return str(exc)
        return (f"The model {self.model} at {self.endpoint.url} answered in "
                f"{time.monotonic() - started:.1f} s.")

    def _who(self) -> str:
        return f"The language model {self.model} at {self.endpoint.url}"


def _without_fences(text: str) -> str:
    """A reply some servers wrap in a Markdown code fence, without it."""
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()
