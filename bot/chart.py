"""Charts of market answers as PNG bytes: a histogram of pay or a bar chart of counts (matplotlib, headless).

`ChartSpec` is plain data (built by bot/market.py, no matplotlib needed); `render_png` draws it. Every chart has
the same size, WIDTH x HEIGHT pixels, so a reader (or a test) knows what to expect.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field

WIDTH, HEIGHT = 900, 500  # pixels
DPI = 100
HISTOGRAM, BARS = "histogram", "bars"
_LOCK = threading.Lock()  # pyplot's state is global: one chart at a time


@dataclass
class ChartSpec:
    """What to draw: a histogram of `values`, or bars of `counts` per label (in order)."""

    kind: str  # HISTOGRAM or BARS
    title: str
    x_label: str = ""
    values: list[float] = field(default_factory=list)  # HISTOGRAM: one figure per posting
    labels: list[str] = field(default_factory=list)  # BARS: one label per bar
    counts: list[int] = field(default_factory=list)  # BARS: one count per bar
    filename: str = "chart.png"


def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes, WIDTH x HEIGHT pixels.

    Example:
        >>> render_png(ChartSpec(BARS, "Postings per state", labels=["CA", "NY"], counts=[3, 2]))[:4]
        b'\\x89PNG'
    """
    import matplotlib

    matplotlib.use("Agg", force=True)  # headless: no display, never a window
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with _LOCK:
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
        axes = figure.add_subplot()
        if spec.kind == HISTOGRAM:
            bins = max(1, min(20, len(set(spec.values))))
            axes.hist(spec.values, bins=bins, color="#2c7fb8", edgecolor="white")
            axes.set_ylabel("postings")
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
        else:
            positions = list(range(len(spec.labels)))
            axes.barh(positions, spec.counts, color="#2c7fb8")
            axes.set_yticks(positions, [label[:30] for label in spec.labels])
            axes.invert_yaxis()  # the largest first, at the top
            axes.set_xlabel("postings")
            for y, count in zip(positions, spec.counts):
                axes.annotate(str(count), (count, y), xytext=(3, 0), textcoords="offset points", va="center")
        if spec.x_label:
            axes.set_xlabel(spec.x_label)
        axes.set_title(spec.title[:90])
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)  # no bbox "tight": the size stays WIDTH x HEIGHT
    return out.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR header; ValueError when the bytes are not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
