"""Demonstrations in the lecture hall: demo layouts, the start page, presentation mode, event banners.

``install(main_window)`` (after ``gui.live.install``) adds, reachable as ``main_window.present``:

* a **Demonstration** dock that shows the opened circuit's ``view.explanation``, its protocol as a
  timeline and its description;
* **demo layouts**: opening a circuit with a ``view`` block raises the plot docks it lists (the others
  are tabbed behind them) and points the histogram / relative-weighting panels at ``view.focus``;
  circuits without a view keep the current layout;
* the **start page** (File / Help > Demonstrations…): every ``circuits/demos/*.json`` with its title,
  first sentence and a thumbnail of its circuit graph (``resources/thumbnails/<stem>.png``, written by
  ``python main.py --make-thumbnails``; rendered on the fly when missing);
* **presentation mode** (View > Presentation mode, F11, ``--present``): full screen, large fonts in the UI
  and the plots, pens of width 3+, the explanation in large type beside the plots, editor docks and
  toolbar hidden, protocol events announced in a large transient banner; Esc leaves it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QDockWidget, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)

import simcore

from . import style
from .plots.rates import WINDOWS as RATE_WINDOWS

ROOT = Path(__file__).resolve().parent.parent
DEMOS_DIR = ROOT / "circuits" / "demos"
THUMB_DIR = ROOT / "resources" / "thumbnails"
THUMB_SIZE = QSize(360, 200)

# view.plots keys (circuit files) -> plot dock titles (gui/live.py)
PLOT_DOCKS = {"rates": "Population rates", "raster": "Spike raster", "histogram": "Weight histogram",
              "relative_weighting": "Relative weighting", "weight_stats": "Weight statistics",
              "ei_balance": "E/I input", "voltage": "Membrane potential", "tracked": "Tracked synapses"}
DEMO_DOCK = "Demonstration"
EDITOR_DOCKS = ("Regions", "Inspector", "Protocol", "Live controls")
TALL_PANELS = ("Relative weighting", "Weight statistics")

FONT_SCALE = 1.7          # UI fonts in presentation mode
PLOT_TICK_PT = 15.0       # plot fonts in presentation mode (normal: 8.5 / 9 pt, see gui/plots/base.py)
PLOT_LABEL_PT = 17.0
PLOT_TEXT_PT = 12.5
PEN_WIDTH = 3.2           # minimum line width in presentation mode
BANNER_MS = 4500


# -- demo files -----------------------------------------------------------------------------------
_ABBREV = re.compile(r"\b(?:al|e\.g|i\.e|cf|vs|approx|ca|Fig)\.$")


def first_sentence(text: str) -> str:
    """The first sentence of a description (not fooled by "et al. 2011" or "e.g. ")."""
    text = " ".join((text or "").split())
    for m in re.finditer(r"[.!?](?=\s+[A-Z0-9(])", text):
        if not _ABBREV.search(text[:m.end()]):
            return text[:m.end()]
    return text


def demo_files(root: Path = DEMOS_DIR) -> list[Path]:
    return sorted(Path(root).glob("*.json"))


class DemoEntry:
    """One demonstration on the start page."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.circuit = simcore.load(self.path)
        self.title = self.circuit.title or self.circuit.name
        self.summary = first_sentence(self.circuit.description)

    def thumbnail(self) -> QPixmap:
        png = THUMB_DIR / f"{self.path.stem}.png"
        if png.exists():
            pix = QPixmap(str(png))
            if not pix.isNull():
                return pix
        return QPixmap.fromImage(render_thumbnail(self.circuit))


def demo_entries(root: Path = DEMOS_DIR) -> list[DemoEntry]:
    out = []
    for p in demo_files(root):
        try:
            out.append(DemoEntry(p))
        except simcore.CircuitError:
            continue
    return out


def render_thumbnail(circuit: simcore.Circuit, size: QSize = THUMB_SIZE) -> QImage:
    """The circuit graph as the canvas draws it (regions, projections, rule badges), fitted into ``size``."""
    from . import layout
    from .canvas.scene import CircuitScene
    from .document import CircuitDocument

    import copy
    circuit = copy.deepcopy(circuit)
    missing = [r.name for r in circuit.regions if r.name not in circuit.layout]
    if missing:
        placed, _ = layout.auto_layout(circuit)
        for name in missing:
            circuit.layout[name] = placed[name]
    class PlainScene(CircuitScene):  # the drawing without the editing grid
        def drawBackground(self, painter, rect):
            painter.fillRect(rect, style.CANVAS_BG)

    doc = CircuitDocument(circuit)
    scene = PlainScene(doc)
    scene.rebuild()
    src = scene.itemsBoundingRect().adjusted(-16, -16, 16, 16)
    image = QImage(size, QImage.Format_ARGB32_Premultiplied)
    image.fill(style.CANVAS_BG)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform)
    k = min(size.width() / src.width(), size.height() / src.height())
    w, h = src.width() * k, src.height() * k
    target = QRectF((size.width() - w) / 2, (size.height() - h) / 2, w, h)
    scene.render(painter, target, src, Qt.KeepAspectRatio)
    painter.setPen(QColor("#d0d4da"))
    painter.drawRect(0, 0, size.width() - 1, size.height() - 1)
    painter.end()
    scene.clear()
    return image


def make_thumbnails(out_dir: Path = THUMB_DIR, root: Path = DEMOS_DIR) -> list[Path]:
    """Write ``<out_dir>/<demo stem>.png`` for every demonstration (needs a QApplication)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in demo_entries(root):
        target = out_dir / f"{entry.path.stem}.png"
        if not render_thumbnail(entry.circuit).save(str(target)):
            raise OSError(f"cannot write {target}")
        written.append(target)
    return written


# -- protocol events in words ---------------------------------------------------------------------
def _num(value: str):
    try:
        return float(value)
    except ValueError:
        return None


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _change(old, new) -> str:
    if old is None or new is None or old == 0 or new == old:
        return ""
    f = new / old
    for ratio, word in ((0.5, "halved"), (2.0, "doubled"), (0.25, "quartered"), (10.0, "×10"), (0.1, "÷10")):
        if abs(f - ratio) < 1e-9:
            return word
    return f"{(f - 1) * 100:+.0f}%"


class EventWords:
    """Turns the engine's event log lines (``Input.rate_hz = 5.0``, ``reward 1 -> Dopamine``, ``block X``)
    into sentences for an audience (``Input rate halved (10 → 5 Hz)``), remembering earlier values."""

    def __init__(self, circuit: simcore.Circuit):
        self.circuit = circuit
        self.values: dict[tuple[str, str], float] = {}
        self.names = sorted([r.name for r in circuit.regions] + [p.name for p in circuit.projections],
                            key=len, reverse=True)

    def _old(self, target: str, param: str):
        if (target, param) in self.values:
            return self.values[(target, param)]
        try:
            return float(self.circuit.region(target).params[param])
        except Exception:
            return None

    def _rule_label(self, proj: str, index: int) -> str:
        try:
            rule = self.circuit.projection(proj).rules[index]
            return simcore.kind("rule", rule.kind).label
        except Exception:
            return f"rule {index + 1}"

    def __call__(self, text: str) -> str:
        m = re.match(r"reward (\S+) -> (.+)$", text)
        if m:
            return f"{m.group(2)}: reward" + ("" if _num(m.group(1)) == 1.0 else f" ×{m.group(1)}")
        m = re.match(r"(block|unblock) (.+)$", text)
        if m:
            return f"{m.group(2)} {'blocked' if m.group(1) == 'block' else 'unblocked'}"
        for name in self.names:
            if text.startswith(name + ".") and " = " in text:
                param, value = text[len(name) + 1:].split(" = ", 1)
                return self._param(name, param, value)
        return text

    def _param(self, target: str, param: str, value: str) -> str:
        m = re.match(r"rules\.(\d+)\.enabled$", param)
        if m:
            on = value.strip() in ("True", "1", "1.0")
            return f"{target}: {self._rule_label(target, int(m.group(1)))} switched {'on' if on else 'off'}"
        if param == "gate":
            on = value.strip() in ("True", "1", "1.0")
            return f"{target}: gate {'opened' if on else 'closed'}"
        new = _num(value)
        old = self._old(target, param)
        if new is not None:
            self.values[(target, param)] = new
        if param == "rate_hz" and new is not None:
            how = _change(old, new)
            was = f"{_fmt(old)} → " if old is not None else ""
            return f"{target} rate {how + ' ' if how else 'set '}({was}{_fmt(new)} Hz)".replace("set (", "set to (")
        return f"{target}: {param} = {_fmt(new) if new is not None else value}"


def fmt_time(t: float) -> str:
    return f"{t:.2f}".rstrip("0").rstrip(".")


def protocol_lines(circuit: simcore.Circuit) -> list[str]:
    """The protocol as a timeline; runs of the same event are merged (``t = 6.1–23.85 s: … ×72``)."""
    words = EventWords(circuit)
    rows: list[list] = []  # [t_first, t_last, text, count]
    for ev in sorted(circuit.protocol, key=lambda e: e.time_s):
        if ev.action == "reward":
            raw = f"reward {ev.value:g} -> {ev.target}"
        elif ev.action in ("block", "unblock"):
            raw = f"{ev.action} {ev.target}"
        else:
            raw = f"{ev.target}.{ev.param} = {ev.value}"
        text = words(raw)
        if rows and rows[-1][2] == text:
            rows[-1][1] = ev.time_s
            rows[-1][3] += 1
        else:
            rows.append([ev.time_s, ev.time_s, text, 1])
    out = []
    for t0, t1, text, n in rows:
        when = f"t = {fmt_time(t0)} s" if n == 1 else f"t = {fmt_time(t0)}–{fmt_time(t1)} s"
        out.append(f"{when}: {text}" + (f" (×{n})" if n > 1 else ""))
    return out


# -- the Demonstration dock ---------------------------------------------------------------------------
class DemoPanel(QWidget):
    """Title, explanation (what to look at), protocol timeline and description of the opened demo."""

    show_start_page = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel(objectName="demoTitle", wordWrap=True)
        self.explanation = QLabel(objectName="demoExplanation", wordWrap=True)
        self.explanation.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.timeline_head = QLabel("Protocol")
        self.timeline = QLabel(objectName="demoTimeline", wordWrap=True)
        self.description_head = QLabel("About this circuit")
        self.description = QLabel(objectName="demoDescription", wordWrap=True)
        self.description.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.more = QPushButton("All demonstrations…")
        self.more.clicked.connect(self.show_start_page)
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        for w in (self.title, self.explanation, self.timeline_head, self.timeline, self.description_head,
                  self.description):
            lay.addWidget(w)
        lay.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.more)
        lay.addLayout(row)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.NoFrame)
        self.scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        for head in (self.timeline_head, self.description_head):
            head.setStyleSheet(f"color: {style.TEXT_MUTED.name()}; font-weight: 600;")
        self.explanation.setStyleSheet("color: #1d2a35;")
        self.timeline.setStyleSheet("color: #5a2d82;")
        self.description.setStyleSheet(f"color: {style.TEXT_MUTED.name()};")
        self.large = False
        self.set_large(False)

    def set_circuit(self, circuit: simcore.Circuit) -> None:
        view = circuit.view or {}
        self.title.setText(circuit.title or circuit.name)
        self.explanation.setText(view.get("explanation", ""))
        lines = protocol_lines(circuit)
        self.timeline.setText("\n".join(lines))
        self.timeline.setVisible(bool(lines))
        self.timeline_head.setVisible(bool(lines))
        self.description.setText(circuit.description or "")
        self.description_head.setVisible(bool(circuit.description))

    def set_large(self, large: bool) -> None:
        """Presentation sizes (explanation in large type) or the normal dock sizes."""
        self.large = large
        k = 2.0 if large else 1.0
        self.title.setFont(style.ui_font(12.5 * k * (0.9 if large else 1.0), bold=True))
        self.explanation.setFont(style.ui_font(10.5 * k))
        self.timeline.setFont(style.ui_font(9.5 * (1.6 if large else 1.0)))
        self.timeline_head.setFont(style.ui_font(9 * (1.5 if large else 1.0), bold=True))
        self.description_head.setFont(style.ui_font(9 * (1.5 if large else 1.0), bold=True))
        self.description.setFont(style.ui_font(9 * (1.45 if large else 1.0)))
        self.more.setVisible(not large)


# -- the start page -----------------------------------------------------------------------------------
class StartPage(QDialog):
    """Every demonstration with its thumbnail, title and first sentence; a click opens it."""

    chosen = Signal(str)

    def __init__(self, parent=None, root: Path = DEMOS_DIR):
        super().__init__(parent)
        self.setWindowTitle("Demonstrations — Synaptica")
        self.setObjectName("startPage")
        self.entries = demo_entries(root)
        head = QLabel("<b>Demonstrations</b><br><span style='color:#5c6570'>Each one states a claim and shows "
                      "it live. Click one to open it, then press ▶ Run (F5); F11 presents it full screen.</span>")
        head.setFont(style.ui_font(11))
        head.setWordWrap(True)
        self.list = QListWidget(objectName="demoList")
        self.list.setSpacing(4)
        self.list.setIconSize(QSize(180, 100))
        self.list.setVerticalScrollMode(QListWidget.ScrollPerPixel)
        for entry in self.entries:
            item = QListWidgetItem()
            item.setData(Qt.UserRole, str(entry.path))
            item.setToolTip(str(entry.path.relative_to(ROOT) if entry.path.is_relative_to(ROOT) else entry.path))
            card = self._card(entry)
            item.setSizeHint(card.sizeHint().expandedTo(QSize(0, 112)))
            self.list.addItem(item)
            self.list.setItemWidget(item, card)
        self.list.itemClicked.connect(lambda item: self.open_item(self.list.row(item)))
        self.list.itemActivated.connect(lambda item: self.open_item(self.list.row(item)))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(820, 720)

    def _card(self, entry: DemoEntry) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(6, 4, 6, 4)
        row.setSpacing(12)
        pic = QLabel(objectName="thumbnail")
        pic.setPixmap(entry.thumbnail().scaled(QSize(180, 100), Qt.KeepAspectRatio, Qt.SmoothTransformation))
        pic.setFixedSize(180, 100)
        row.addWidget(pic)
        text = QVBoxLayout()
        text.setSpacing(2)
        title = QLabel(entry.title, objectName="demoCardTitle")
        title.setFont(style.ui_font(11, bold=True))
        summary = QLabel(entry.summary, objectName="demoCardSummary", wordWrap=True)
        summary.setStyleSheet(f"color: {style.TEXT_MUTED.name()};")
        text.addWidget(title)
        text.addWidget(summary)
        text.addStretch(1)
        row.addLayout(text, 1)
        for child in (w, pic, title, summary):
            child.setAttribute(Qt.WA_TransparentForMouseEvents)  # the list item takes the click
        return w

    def titles(self) -> list[str]:
        return [e.title for e in self.entries]

    def open_item(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.chosen.emit(str(self.entries[row].path))
            self.accept()


# -- the event banner -------------------------------------------------------------------------------
class Banner(QLabel):
    """A large transient announcement over the window (protocol events in presentation mode)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("eventBanner")
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel#eventBanner { background: rgba(40, 22, 62, 225); color: white; "
                           "border: 2px solid #b58ad6; border-radius: 14px; padding: 14px 30px; }")
        self.setFont(style.ui_font(26, bold=True))
        self.hide()
        self.timer = QTimer(self, singleShot=True, interval=BANNER_MS)
        self.timer.timeout.connect(self.hide)
        self._body = ""
        self._count = 0

    def announce(self, t: float, body: str) -> None:
        """Show ``t = … s: body``; the same event repeating while shown is counted (``×3``)."""
        if self.isVisible() and body == self._body:
            self._count += 1
        else:
            self._body, self._count = body, 1
        self.setText(f"t = {fmt_time(t)} s: {body}" + (f"  (×{self._count})" if self._count > 1 else ""))
        self.place()
        self.show()
        self.raise_()
        self.timer.start()

    def place(self) -> None:
        win = self.parentWidget()
        width = min(int(win.width() * 0.7), 1300)
        self.setFixedWidth(width)
        self.adjustSize()
        central = win.centralWidget()
        if central is not None and central.isVisible():  # over the circuit drawing, not over plots or text
            g = central.geometry()
            self.setFixedWidth(min(width, g.width() - 24))
            self.adjustSize()
            self.move(g.left() + (g.width() - self.width()) // 2, g.top() + 12)
        else:
            self.move((win.width() - width) // 2, 80)


# -- pens and fonts of the plots -----------------------------------------------------------------------
def _plots(panel) -> list:
    return [i for i in panel.glw.ci.items if isinstance(i, pg.PlotItem)]


def _texts(plot) -> list:
    out = []
    for item in plot.items:
        if isinstance(item, pg.TextItem):
            out.append(item)
        elif isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None:
            out.append(item.label)
    return out


def scale_plots(panels, on: bool) -> None:
    """Presentation look for every plot (idempotent; new items are caught at the next call):
    tick and label fonts, legend and annotation text, and line widths at least PEN_WIDTH."""
    for panel in panels:
        for plot in _plots(panel):
            _scale_fonts(plot, on)
            for item in plot.items:
                _scale_pen(item, on)


def _scale_fonts(plot, on: bool) -> None:
    if on == getattr(plot, "_present_fonts", False) and not on:
        return
    tick = QFont()
    tick.setPointSizeF(PLOT_TICK_PT if on else 8.5)
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        if getattr(ax, "_present_on", None) != on:
            ax._present_on = on
            ax.setTickFont(tick)
            ax.labelStyle = dict(ax.labelStyle or {}, **{"font-size": f"{PLOT_LABEL_PT if on else 9}pt"})
            ax._updateLabel()
    legend = getattr(plot, "legend", None)
    size = f"{PLOT_TICK_PT:g}pt" if on else "8pt"
    if legend is not None and (legend.opts.get("labelTextSize") != size
                               or any(label.opts.get("size") != size for _, label in legend.items)):
        legend.setLabelTextSize(size)
        for _, label in legend.items:  # setLabelTextSize only records the size: re-render the labels
            label.setText(label.text, size=size)
        legend.updateSize()
    for text in _texts(plot):
        if getattr(text, "_present_on", None) != on:
            if not hasattr(text, "_present_font"):
                text._present_font = QFont(text.textItem.font())
            text._present_on = on
            f = QFont(text._present_font)
            if on:
                f.setPointSizeF(PLOT_TEXT_PT)
            text.setFont(f)
    plot._present_fonts = on


def _scale_pen(item, on: bool) -> None:
    if isinstance(item, pg.ScatterPlotItem):
        size = item.opts.get("size", 5)
        if on and not hasattr(item, "_present_size") and isinstance(size, (int, float)) and size < 7:
            item._present_size = size
            item.setSize(size * 1.75)
        elif not on and hasattr(item, "_present_size"):
            item.setSize(item.__dict__.pop("_present_size"))
        return
    if isinstance(item, pg.PlotDataItem):
        pen = item.opts.get("pen")
        setter = item.setPen
    elif isinstance(item, pg.InfiniteLine):
        pen = item.pen
        setter = item.setPen
    else:
        return
    if pen is None:
        return
    pen = pg.mkPen(pen)
    if pen.style() == Qt.NoPen:
        return
    if on and pen.widthF() < PEN_WIDTH - 1e-6:
        item._present_pen = pg.mkPen(pen)
        wide = pg.mkPen(pen)
        wide.setWidthF(PEN_WIDTH if pen.widthF() >= 1.5 else PEN_WIDTH * 0.75)
        wide.setCosmetic(True)
        setter(wide)
    elif not on and hasattr(item, "_present_pen"):
        setter(item.__dict__.pop("_present_pen"))


# -- the controller ---------------------------------------------------------------------------------
class Presenter(QObject):
    """Demo layouts, the Demonstration dock, the start page and presentation mode of one window."""

    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.live = win.live
        self.panel = DemoPanel()
        self.panel.show_start_page.connect(self.show_start_page)
        self.dock = win.add_dock(DEMO_DOCK, self.panel, Qt.RightDockWidgetArea)
        win.tabifyDockWidget(win.docks["Inspector"], self.dock)
        win.docks["Inspector"].raise_()
        self.dock.hide()
        self.banner = Banner(win)
        self.presenting = False
        self.view: dict = {}
        self.start_page: StartPage | None = None
        self._pending_focus = ""
        self._saved: dict = {}
        self._words = EventWords(win.document.circuit)
        for panel in self.live.panels.values():
            # a long readout ("last 1 s — A: 9.9 Hz  B: …") must not widen its column while running
            info = getattr(panel, "info", None)
            if info is not None:
                info.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
                info.setMinimumWidth(40)
        self._build_actions()
        win.document.reset.connect(self._document_reset)
        self.live.ctl.frame.connect(self._on_frame)
        self.live.ctl.event_fired.connect(self._on_event)
        win.installEventFilter(self)

    # -- menus ---------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        win = self.win
        self.present_action = QAction("Presentation mode", win, checkable=True)
        self.present_action.setShortcut(QKeySequence(Qt.Key_F11))
        self.present_action.setStatusTip("Full screen, large fonts and thick lines, the demo's explanation beside "
                                         "the plots, protocol events announced (Esc leaves)")
        self.present_action.toggled.connect(lambda on: self.enter() if on else self.leave())
        win.addAction(self.present_action)
        self.leave_action = QAction("Leave presentation mode", win)
        self.leave_action.setShortcut(QKeySequence(Qt.Key_Escape))
        self.leave_action.setShortcutContext(Qt.ApplicationShortcut)
        self.leave_action.setEnabled(False)
        self.leave_action.triggered.connect(lambda *_: self.present_action.setChecked(False))
        win.addAction(self.leave_action)
        self.demos_action = QAction("Demonstrations…", win)
        self.demos_action.setStatusTip("The teaching circuits: pick one to open it")
        self.demos_action.triggered.connect(lambda *_: self.show_start_page())
        bar = win.menuBar()
        menus = {a.text(): a.menu() for a in bar.actions() if a.menu() is not None}
        view = menus.get("&View")
        if view is not None:
            view.addSeparator()
            view.addAction(self.present_action)
            view.addAction(self.dock.toggleViewAction())
        file_menu = menus.get("&File")
        if file_menu is not None:
            before = next((a for a in file_menu.actions() if a.text() == "Examples"), None)
            file_menu.insertAction(before, self.demos_action) if before else file_menu.addAction(self.demos_action)
        help_menu = menus.get("&Help")
        if help_menu is not None:
            first = help_menu.actions()[0] if help_menu.actions() else None
            help_menu.insertAction(first, self.demos_action)
            help_menu.insertSeparator(first)

    # -- demo layouts ---------------------------------------------------------------------------------
    def _document_reset(self) -> None:
        circuit = self.win.document.circuit
        self._words = EventWords(circuit)
        self.banner.hide()
        view = circuit.view or {}
        self.view = view
        if not view:
            self.dock.hide()
            return
        self.panel.set_circuit(circuit)
        self.apply_view(view)

    def plot_docks(self, view: dict | None = None) -> list[QDockWidget]:
        view = self.view if view is None else view
        names = [PLOT_DOCKS[k] for k in view.get("plots", []) if k in PLOT_DOCKS]
        return [self.live.docks[n] for n in dict.fromkeys(names)]

    def apply_view(self, view: dict) -> None:
        """Show the listed plot docks side by side, tab the others behind them, show the Demonstration
        dock and point the weight panels at ``view['focus']``.

        Tall panels (the relative-weighting scatter, the three weight-statistics plots) get a column of
        their own; the other listed panels are stacked two to a column, in the order of the view."""
        win = self.win
        listed = self.plot_docks(view)
        if listed:
            rest = [d for d in self.live.docks.values() if d not in listed]
            if "Protocol" in win.docks and not self.presenting:
                rest.append(win.docks["Protocol"])
            for d in listed + rest:
                win.removeDockWidget(d)
            columns: list[list[QDockWidget]] = []
            for d in listed:
                if d.windowTitle() in TALL_PANELS:
                    columns.append([d])
                else:
                    open_col = next((c for c in columns if len(c) == 1 and c[0].windowTitle() not in TALL_PANELS),
                                    None)
                    if open_col is not None:
                        open_col.append(d)
                    else:
                        columns.append([d])
            win.addDockWidget(Qt.BottomDockWidgetArea, columns[0][0])
            for prev, col in zip(columns, columns[1:]):
                win.splitDockWidget(prev[0], col[0], Qt.Horizontal)
            for col in columns:
                if len(col) == 2:
                    win.splitDockWidget(col[0], col[1], Qt.Vertical)
            for d in listed:
                d.show()
            # the other panels wait as tabs beside the live controls: a tab group among the plots would
            # stop QMainWindow.resizeDocks from sizing the columns
            anchor = next((win.docks[n] for n in ("Live controls", "Regions")
                           if n in win.docks and win.dockWidgetArea(win.docks[n]) != Qt.NoDockWidgetArea), None)
            for d in rest:
                if anchor is not None:
                    win.tabifyDockWidget(anchor, d)
                else:
                    win.tabifyDockWidget(listed[-1], d)
                d.show()
            if anchor is not None:
                anchor.raise_()
            for d in listed:
                d.raise_()
            self._columns = columns
            self._rest = rest
        self.dock.show()
        self.dock.raise_()
        rates = self.live.panels["Population rates"]
        duration = float(getattr(self.win.document.circuit.settings, "duration_s", 0) or 0)
        windows = [k for k, v in RATE_WINDOWS.items() if v >= duration]
        if duration and windows:  # the whole protocol in view: events and their consequences
            rates.window_box.setCurrentText(windows[0])
        self._size_plots()
        QTimer.singleShot(0, self._settle)
        focus = view.get("focus", "")
        self._pending_focus = focus
        if focus:
            self._focus(focus)

    def _settle(self) -> None:
        """After the window has laid itself out: sizes, and the raised tabs (raise_ before show is lost)."""
        self.dock.raise_()
        for d in self.plot_docks():
            d.raise_()
        self._size_plots()

    def _size_plots(self) -> None:
        """Plots take most of the height, columns share the width. QMainWindow.resizeDocks ignores
        docks in a tab group, so the panels tabbed behind the last column leave during the resize."""
        win = self.win
        listed = self.plot_docks()
        columns = [c for c in getattr(self, "_columns", []) if all(d in listed for d in c)]
        if not columns:
            return
        area = win.dockWidgetArea(listed[-1])
        tabbed = [(d, not d.isHidden()) for d in win.docks.values()
                  if d not in listed and d is not self.dock and win.dockWidgetArea(d) == area]
        for d, _ in tabbed:
            win.removeDockWidget(d)
        if self.presenting:  # hidden tab groups (Inspector) also block it; leave() restores every dock
            for d in win.docks.values():
                if d not in listed and d is not self.dock and not any(d is t for t, _ in tabbed):
                    win.removeDockWidget(d)
        height = int(win.height() * (0.68 if self.presenting else 0.62))
        for col in columns:
            win.resizeDocks(col, [height // len(col)] * len(col), Qt.Vertical)
        side = int(win.width() * (0.26 if self.presenting else 0.3)) if self.dock.isVisible() else 0
        if side:
            win.resizeDocks([self.dock], [side], Qt.Horizontal)
        wide = 1.2 if self.presenting else 1.1  # the scatter is square and its numbers box is wide
        weights = [wide if c[0].windowTitle() == "Relative weighting" else 1.0 for c in columns]
        total = win.width() - 8 - (side if self.presenting else 0)  # the Demonstration dock spans the height
        win.resizeDocks([c[0] for c in columns], [int(total * w / sum(weights)) for w in weights], Qt.Horizontal)
        if self.presenting:  # only the demo's plots (the others stay in Simulation > Panels)
            return
        for d, shown in tabbed:
            win.tabifyDockWidget(listed[-1], d)
            d.setVisible(shown)
        listed[-1].raise_()

    def _focus(self, name: str, frame: dict | None = None) -> bool:
        """Point the weight panels at projection ``name``; True once every picker has it."""
        done = True
        for panel in self.live.panels.values():
            picker = getattr(panel, "picker", None)
            if picker is not None:
                if frame is not None:
                    picker.sync(frame)
                done = picker.select(name) and done
            else:
                panel.focus("projection", name)
        return done

    def _on_frame(self, frame: dict) -> None:
        rates = self.live.panels["Population rates"]
        duration = float(getattr(self.win.document.circuit.settings, "duration_s", 0) or 0)
        window = RATE_WINDOWS.get(rates.window_box.currentText(), 0)
        if self.view and duration and frame["t"] <= duration + 1e-9 and window >= duration:
            rates.plot.setXRange(0.0, duration, padding=0.0)  # the demo's whole run, not an empty tail
        if self._pending_focus and name_in(frame, self._pending_focus):
            if self._focus(self._pending_focus, frame):
                self._pending_focus = ""
        if self.presenting:
            scale_plots(self.live.panels.values(), True)

    def _on_event(self, t: float, text: str) -> None:
        if self.presenting:
            self.banner.announce(t, self._words(text))

    # -- the start page -------------------------------------------------------------------------------
    def show_start_page(self) -> StartPage:
        if self.start_page is None:
            self.start_page = StartPage(self.win)
            self.start_page.chosen.connect(self.win.open_example)
        self.start_page.show()
        self.start_page.raise_()
        self.start_page.activateWindow()
        return self.start_page

    # -- presentation mode ---------------------------------------------------------------------------
    def enter(self, full_screen: bool = True) -> None:
        if self.presenting:
            return
        win, app = self.win, QApplication.instance()
        self._saved = {"state": win.saveState(), "font": QFont(app.font()), "full": win.isFullScreen(),
                       "max": win.isMaximized(), "geometry": win.saveGeometry(),
                       "toolbar": win.toolbar.isVisible()}
        self.presenting = True
        self.present_action.setChecked(True)
        self.leave_action.setEnabled(True)
        big = QFont(app.font())
        big.setPointSizeF((big.pointSizeF() if big.pointSizeF() > 0 else 9.0) * FONT_SCALE)
        app.setFont(big)
        for name in EDITOR_DOCKS:
            dock = win.docks.get(name)
            if dock is not None:
                dock.hide()
        win.toolbar.hide()
        self._saved["corner"] = win.corner(Qt.BottomRightCorner)
        win.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)  # the explanation runs beside the plots
        if self.view:
            self.dock.show()
            self.apply_view(self.view)
        self.panel.set_large(True)
        scale_plots(self.live.panels.values(), True)
        if full_screen:
            win.showFullScreen()
        QTimer.singleShot(0, self._size_plots)
        win.statusBar().showMessage("Presentation mode — Esc or F11 leaves", 5000)

    def leave(self) -> None:
        if not self.presenting:
            return
        win, app = self.win, QApplication.instance()
        self.presenting = False
        self.present_action.setChecked(False)
        self.leave_action.setEnabled(False)
        self.banner.hide()
        app.setFont(self._saved["font"])
        scale_plots(self.live.panels.values(), False)
        self.panel.set_large(False)
        if not self._saved["full"]:
            if self._saved["max"]:
                win.showMaximized()
            else:
                win.showNormal()
                win.restoreGeometry(self._saved["geometry"])
        win.setCorner(Qt.BottomRightCorner, self._saved["corner"])
        win.restoreState(self._saved["state"])
        win.toolbar.setVisible(self._saved["toolbar"])

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if obj is self.win and event.type() == QEvent.Resize and self.banner.isVisible():
            self.banner.place()
        if obj is self.win and event.type() == QEvent.Close and self.presenting:
            self.leave()  # the live view saves the window layout at close: save the editing layout
        if obj is self.win and event.type() == QEvent.Show and self.view:
            QTimer.singleShot(50, self._settle)  # a tab raised before the window was shown does not stay up
        return False


def name_in(frame: dict, name: str) -> bool:
    return name in frame.get("projections", {})


def install(win) -> Presenter:
    """Add the Demonstration dock, demo layouts, the start page and presentation mode to ``win``."""
    win.present = Presenter(win)
    return win.present
