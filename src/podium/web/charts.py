"""Charts as SVG made on the server: no JavaScript, no library, readable with scripts off.

Every label goes through ``escape`` (speaker and outlet names come from transcripts, which
are untrusted). Colours come from classes styled in ``static/podium.css``, not inline
``style`` attributes, so the Content-Security-Policy can forbid inline styles.
"""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 150
WIDTH = 330  # drawn at this size (never scaled up), so 12px labels stay 12px in the side panel
COLUMN_WIDTH = 640


def _fit(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(rows: list[tuple[str, int]], *, title: str, unit: str, limit: int = 12) -> Markup:
    """A horizontal bar chart of ``rows`` (label, value), largest first, at most ``limit`` bars.

    Bars beyond ``limit`` are summed into one "others" bar so the total stays honest.
    """
    rows = sorted(rows, key=lambda r: -r[1])
    if len(rows) > limit:
        rest = sum(v for _, v in rows[limit - 1 :])
        rows = [*rows[: limit - 1], (f"{len(rows) - limit + 1} others", rest)]
    if not rows:
        return Markup('<p class="empty">No data.</p>')
    top = max(v for _, v in rows) or 1
    span = WIDTH - LABEL_WIDTH - 12 - 7 * len(f"{top:,}")  # room for the largest value after its bar
    height = BAR_HEIGHT * len(rows) + 8
    parts = [
        f'<svg class="chart bar-chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, value) in enumerate(rows):
        y = 4 + n * BAR_HEIGHT
        w = max(1, round(span * value / top))
        parts.append(
            f'<g><title>{escape(label)}: {value:,} {escape(unit)}</title>'
            f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_fit(label))}</text>"
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{w}" height="{BAR_HEIGHT - 6}"/>'
            f'<text class="chart-value" x="{LABEL_WIDTH + w + 5}" y="{y + 15}">{value:,}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(rows: list[tuple[str, int]], *, title: str, unit: str) -> Markup:
    """A column chart over time: ``rows`` are (period, value) in order, e.g. ('2021-10', 4).

    Only some periods are labelled so labels never overlap: past two years of months, each
    January is labelled with its year; otherwise about eight evenly spaced periods. Every
    column carries a tooltip with its exact period and value.
    """
    if not rows:
        return Markup('<p class="empty">No dated transcripts.</p>')
    top = max(v for _, v in rows) or 1
    left, bottom, plot_h = 40, 40, 160
    width = COLUMN_WIDTH
    col = (width - left - 10) / len(rows)
    height = plot_h + bottom + 10
    step = max(1, -(-len(rows) // 8))
    by_year = len(rows) > 24 and all(len(p) == 7 for p, _ in rows)
    parts = [
        f'<svg class="chart column-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="chart-axis" x1="{left}" y1="{10 + plot_h}" x2="{width - 10}" y2="{10 + plot_h}"/>',
        f'<text class="chart-label" x="{left - 4}" y="16" text-anchor="end">{top:,}</text>',
        f'<text class="chart-label" x="{left - 4}" y="{10 + plot_h}" text-anchor="end">0</text>',
    ]
    for n, (period, value) in enumerate(rows):
        h = plot_h * value / top
        x = left + n * col
        parts.append(
            f'<g><title>{escape(period)}: {value:,} {escape(unit)}</title>'
            f'<rect class="chart-bar" x="{x + 0.5:.1f}" y="{10 + plot_h - h:.1f}" '
            f'width="{max(1.0, col - 1):.1f}" height="{h:.1f}"/></g>'
        )
        tick = (period.endswith("-01") or n == 0) if by_year else n % step == 0
        if tick and (not by_year or len(rows) <= 240 or period[:4].endswith(("0", "5"))):
            label = period[:4] if by_year else period
            parts.append(
                f'<text class="chart-label chart-tick" x="{x + col / 2:.1f}" y="{plot_h + 26}" '
                f'text-anchor="{"start" if by_year else "middle"}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
