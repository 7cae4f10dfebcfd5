"""A stored session as a report file: HTML, Markdown, PDF, JSON or CSV.

Entry points: ``write_report(history, session_id, fmt, path)`` for a file, ``render(report, fmt)``
for the bytes. HTML and Markdown come from Jinja2 templates with escaping on for every value
(HTML's autoescape; for Markdown, a ``finalize`` hook that backslash-escapes markup characters),
so a question or transcript holding ``<script>`` or ``*`` is shown as written. PDF is the HTML
laid out by Qt's own rich-text engine (``reports/pdf.py``, the only module here that needs Qt).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import errno
import functools
import io
import json
import os
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from mockinterviewer.core.delivery import clock
from mockinterviewer.errors import UserError, first_line
from mockinterviewer.reports.model import Report, build_report
from mockinterviewer.store.errors import DiskFullError
from mockinterviewer.store.history import History

FORMATS = {"html": ".html", "md": ".md", "pdf": ".pdf", "json": ".json", "csv": ".csv"}
CHART_WIDTH = 720
# The PDF's printable width (A4 less 16 mm margins) is 672 px at the 96 dpi it is laid out at: a
# wider chart is cut at the margin, losing the labels of full bars and the "100" tick.
PDF_CHART_WIDTH = 640
_AUDIO_MIME = {".flac": "audio/flac", ".wav": "audio/wav"}


def format_for(path: str | Path) -> str | None:
    """The format a file name asks for ("report.md" -> "md"), if any."""
    suffix = Path(path).suffix.lower()
    return {".htm": "html", ".markdown": "md"}.get(suffix) or next((f for f, s in FORMATS.items() if s == suffix), None)


def write_report(history: History, session_id: int, fmt: str, path: str | Path, *, embed_audio: bool = False) -> Path:
    """Write the report of ``session_id`` to ``path`` in ``fmt`` (one of FORMATS), atomically."""
    data = render(build_report(history, session_id), fmt, embed_audio=embed_audio)
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(data)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(f"The disk is full, so the report {path} could not be written.") from exc
        raise UserError(f"The report {path} could not be written ({first_line(exc)}).") from exc
    return path


def render(report: Report, fmt: str, *, embed_audio: bool = False) -> bytes:
    if fmt not in FORMATS:
        raise UserError(f"There is no report format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if fmt == "pdf":
        from mockinterviewer.reports.pdf import html_to_pdf

        return html_to_pdf(render_html(report, qt=True), chart_svg(report),
                           title=f"Mock interview report, session {report.session_id}")
    text = {"html": lambda: render_html(report, embed_audio=embed_audio), "md": lambda: render_markdown(report),
            "json": lambda: render_json(report), "csv": lambda: render_csv(report)}[fmt]()
    return text.encode("utf-8")


# --- HTML and the chart -------------------------------------------------------------------
def _localtime(when: dt.datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return when.astimezone().strftime(fmt)


def _clock(seconds) -> str:
    return "" if seconds is None else clock(seconds)


@functools.lru_cache(maxsize=None)
def _environment(markdown: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mockinterviewer.reports", "templates"),
        autoescape=not markdown, finalize=md_escape if markdown else None,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["localtime"] = _localtime
    env.filters["clock"] = _clock
    return env


def score_colour(score: int) -> str:
    """The same bands as spaced review's ratings (core/review.py)."""
    return "#d92d20" if score < 40 else "#f79009" if score < 60 else "#2e90fa" if score < 85 else "#12b76a"


def chart_svg(report: Report) -> Markup:
    """Scores per answer as an SVG bar chart (labels escaped by the template)."""
    label_x, bar_x, top, row_h = 8, 300, 12, 26
    bar_w = CHART_WIDTH - bar_x - 40
    rows = []
    for i, a in enumerate(report.answers):
        label = f"{a.number}. {a.question}"
        label = label if len(label) <= 44 else label[:43].rstrip() + "…"
        width = round(bar_w * a.score / 100, 1)
        rows.append({"y": top + i * row_h, "label": label, "score": a.score, "width": max(width, 1.5),
                     "value_x": bar_x + max(width, 1.5) + 6, "colour": score_colour(a.score)})
    height = top + row_h * max(len(rows), 1) + 24
    ticks = [{"x": bar_x + bar_w * v / 100, "value": v} for v in (0, 25, 50, 75, 100)]
    return Markup(_environment(False).get_template("chart.svg.j2").render(
        width=CHART_WIDTH, height=height, rows=rows, ticks=ticks, label_x=label_x, bar_x=bar_x, top=top).strip())


def render_html(report: Report, *, embed_audio: bool = False, qt: bool = False) -> str:
    """One self-contained HTML file. ``embed_audio`` puts each recording in it (base64 FLAC);
    ``qt`` lays it out for Qt's rich-text engine (the PDF)."""
    answers = []
    for a in report.answers:
        extra = _embedded(a.audio, embed_audio)
        extra["turns"] = [_With(t, _embedded(t.audio, embed_audio)) for t in a.turns]
        answers.append(_With(a, extra))
    view = _With(report, {"answers": answers})
    return _environment(False).get_template("report.html.j2").render(
        r=view, chart=chart_svg(report), qt=qt, chart_width=PDF_CHART_WIDTH if qt else CHART_WIDTH,
        turn_status=turn_status)


def _embedded(audio, embed: bool) -> dict:
    if embed and audio and audio.suffix.lower() in _AUDIO_MIME:
        return {"audio_data": base64.b64encode(audio.read_bytes()).decode("ascii"),
                "audio_mime": _AUDIO_MIME[audio.suffix.lower()]}
    return {"audio_data": None, "audio_mime": None}


def turn_status(status: str) -> str:
    """What a follow-up reply made of the point it aimed at, in words."""
    return {"covered": "made", "partly": "partly made", "incorrect": "stated incorrectly again",
            "missed": "still missed"}.get(status, status)


class _With:
    """A read-only view of ``obj`` with a few more attributes, for a template."""

    def __init__(self, obj, extra: dict):
        self._obj, self._extra = obj, extra

    def __getattr__(self, name):
        return self._extra[name] if name in self._extra else getattr(self._obj, name)


# --- Markdown -----------------------------------------------------------------------------
class MdText(str):
    """Markdown the code made itself, printed as it is."""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&!$])")
_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def md_escape(value):
    """Any value printed by the Markdown template: text on one line, with a backslash before
    each character that could make markup (CommonMark lets any ASCII punctuation be escaped)."""
    if value is None or isinstance(value, (MdText, int, float)):
        return "" if value is None else value
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return _MD_LINE_START.sub(r"\\\1", text)


def _bar(score: int) -> MdText:
    return MdText("█" * round(score / 10) + "·" * (10 - round(score / 10)))


def render_markdown(report: Report) -> str:
    text = _environment(True).get_template("report.md.j2").render(r=report, bar=_bar, turn_status=turn_status)
    return re.sub(r"\n{3,}", "\n\n", text)


# --- JSON and CSV -------------------------------------------------------------------------
def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("session_id", "session_uuid", "session_started_at", "mode", "number", "question_id", "bank",
               "question", "category", "difficulty", "attempt", "attempted_at", "score", "points_covered",
               "points_total", "covered", "missed", "words", "speaking_seconds", "words_per_minute", "fillers",
               "hedges", "long_pauses", "edited", "transcript", "model", "audio", "points_incorrect", "incorrect",
               # a language model's second opinion (docs/language-model.md): its name and its critique
               "llm_model", "llm_critique",
               "follow_ups", "recovered_on_follow_up", "follow_up_exchange")


def _cell(value):
    """Spreadsheets run a cell starting with = + - @ as a formula; a quote keeps it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_csv(report: Report) -> str:
    """One row per answer, retries included."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in report.answers:
        d = a.delivery or {}
        row = (report.session_id, report.session_uuid, report.started_at.isoformat(), report.mode, a.number,
               a.question_id, a.bank, a.question, a.category, a.difficulty, a.attempt, a.attempted_at.isoformat(),
               a.score, len(a.covered), a.points, "; ".join(p.label for p in a.covered),
               "; ".join(p.label for p in a.missed), d.get("words"), d.get("speaking_seconds"),
               d.get("words_per_minute"), sum((d.get("fillers") or {}).values()),
               sum((d.get("hedges") or {}).values()), len(d.get("long_pauses") or ()), a.edited, a.transcript,
               a.model, a.audio_name or "", len(a.incorrect), "; ".join(p.label for p in a.incorrect),
               (a.second_opinion or {}).get("model", ""), (a.second_opinion or {}).get("critique", ""),
               len(a.turns), "; ".join(f"{p.label} ({p.follow_up})" for p in a.covered if p.follow_up),
               # each turn: "Q: ... A: ..." in order, one cell, so a spreadsheet keeps one row per answer
               " | ".join(f"Q{t.number} ({t.kind}): {t.question} A{t.number}: "
                          f"{'(skipped)' if t.skipped else t.transcript}" for t in a.turns))
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
