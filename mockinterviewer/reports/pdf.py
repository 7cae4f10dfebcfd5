"""The report as PDF, through Qt's own PDF writer: no browser or extra package needed.

The report's HTML (laid out for Qt's rich-text subset) goes into a QTextDocument, the SVG chart
is drawn to an image the document refers to, and QTextDocument paginates onto a QPdfWriter.
Qt is imported here only, when a PDF is asked for. QTextDocument and QPdfWriter need a
QGuiApplication but no window, so this works with QT_QPA_PLATFORM=offscreen and, in the
window, on a worker thread (painting on a QPdfWriter or QImage is allowed off the GUI thread).
"""

from __future__ import annotations

import os

SCALE = 2  # the chart drawn at twice its size, so it stays sharp when printed


def _application():
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a terminal with no screen: none is needed
        app = QGuiApplication([])
    return app


def html_to_pdf(html: str, chart_svg: str, title: str = "") -> bytes:
    """A4 PDF of ``html``; the document's ``chart.png`` image is ``chart_svg`` drawn by QtSvg."""
    _application()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(chart_svg.encode("utf-8")))
    size = renderer.defaultSize()
    image = QImage(size.width() * SCALE, size.height() * SCALE, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()

    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart.png"), image)
    document.setHtml(html)

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Mock Interviewer")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    # Lay the text out at 96 dpi across the printable width, as on screen, then scale to the page.
    layout = writer.pageLayout()
    width_pt = layout.paintRect(QPageLayout.Unit.Point).width()
    document.setPageSize(QSizeF(width_pt * 96 / 72, layout.paintRect(QPageLayout.Unit.Point).height() * 96 / 72))
    document.print_(writer)
    buffer.close()
    return bytes(buffer.data())
