#!/usr/bin/env python3
"""Draws one SVG chart per JMH suite from the same JSON and pairings as benchmarks/tables.py: for every benchmark
its ratio to its baseline from the same run (a bar per label, e.g. JDK 17 and JDK 25), on a logarithmic axis with
1x marked, and the ratio of an earlier run as a black tick where --before gives one. Plain SVG from the standard
library: no plotting package is needed.

usage: benchmarks/charts.py OUTDIR [--best] [--before LABEL=old.json[,more]]... LABEL=results.json[,more] [LABEL=...]
writes OUTDIR/<Suite>.svg for every suite that has figures, and prints the files written.
"""
import math
import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tables  # noqa: E402  (the pairings and the JSON reader are tables.py's)

COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"]
ROW_HEIGHT = 14
PLOT_WIDTH = 460
TOP = 58
FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'"


def rows_of(runs):
    """Yields (suite, [(row label, [(run label, ratio or None, before or None)])]) in tables.py's order."""
    for suite, baselines in tables.BASELINES.items():
        keys = sorted({(p, m) for _, res in runs for (s, p, m) in res if s == suite and m in baselines},
                      key=lambda k: (k[0][:-1], int(dict(k[0]).get("size", 0)), list(baselines).index(k[1])))
        rows = []
        for params, method in keys:
            base = baselines[method]
            cells = []
            for label, res in runs:
                m = res.get((suite, params, method))
                b = res.get((suite, params, base))
                cells.append((label, m / b if m is not None and b is not None else None,
                              tables.before_ratio(label, suite, params, method, params, base)))
            name = ", ".join(f"{k}={v}" for k, v in params)
            rows.append((f"{name}  {method} / {base}", cells))
        if rows:
            yield suite, f"measured / baseline ({', '.join(sorted(set(baselines.values())))})", rows
    for suite, (name, measured, baseline) in tables.PARAM_BASELINES.items():
        keys = sorted({(tables.with_param(p, name, measured), m) for _, res in runs for (s, p, m) in res
                       if s == suite and dict(p).get(name) == measured},
                      key=lambda k: (k[1], int(dict(k[0]).get("size", 0))))
        rows = []
        for params, method in keys:
            base_params = tables.with_param(params, name, baseline)
            cells = []
            for label, res in runs:
                m = res.get((suite, params, method))
                b = res.get((suite, base_params, method))
                cells.append((label, m / b if m is not None and b is not None else None,
                              tables.before_ratio(label, suite, params, method, base_params, method)))
            others = ", ".join(f"{k}={v}" for k, v in params if k != name)
            rows.append((f"{others}  {method}".strip(), cells))
        if rows:
            yield suite, f"{name}={measured} / {name}={baseline}, same method", rows


def svg(suite, what, rows, labels, date):
    label_width = max(200, int(6.4 * max(len(name) for name, _ in rows)) + 16)
    ratios = [r for _, cells in rows for _, a, b in cells for r in (a, b) if r]
    lo = 2.0 ** math.floor(math.log2(min(ratios + [0.5])))
    hi = 2.0 ** math.ceil(math.log2(max(ratios + [2.0])))
    span = math.log2(hi) - math.log2(lo)

    def x(r):
        return label_width + (math.log2(r) - math.log2(lo)) / span * PLOT_WIDTH

    group = ROW_HEIGHT * len(labels) + 6
    height = TOP + group * len(rows) + 40
    width = max(label_width + PLOT_WIDTH + 60, 560 + 6 * len(date))
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' {FONT} font-size='11'>",
           f"<rect width='{width}' height='{height}' fill='white'/>",
           f"<text x='10' y='18' font-size='14' font-weight='bold'>{escape(suite)}: {escape(what)}</text>",
           f"<text x='10' y='34' fill='#444'>higher is better; log scale; black tick: the same ratio in the "
           f"previous recorded run{escape(date)}</text>"]
    for i, label in enumerate(labels):
        out.append(f"<rect x='{10 + i * 110}' y='42' width='10' height='10' fill='{COLOURS[i % len(COLOURS)]}'/>"
                   f"<text x='{24 + i * 110}' y='51'>{escape(label)}</text>")
    bottom = TOP + group * len(rows)
    tick = lo
    while tick <= hi * 1.001:
        out.append(f"<line x1='{x(tick):.1f}' y1='{TOP - 4}' x2='{x(tick):.1f}' y2='{bottom}' "
                   f"stroke='{'#222' if tick == 1 else '#ddd'}' stroke-width='{1.5 if tick == 1 else 1}'/>")
        text = f"{tick:g}x" if tick >= 1 else f"{tick:.3g}x"
        out.append(f"<text x='{x(tick):.1f}' y='{bottom + 14}' text-anchor='middle'>{text}</text>")
        tick *= 2
    for n, (name, cells) in enumerate(rows):
        y0 = TOP + n * group
        if n % 2 == 0:
            out.append(f"<rect x='0' y='{y0 - 2}' width='{width}' height='{group}' fill='#f6f6f6'/>")
        out.append(f"<text x='{label_width - 6}' y='{y0 + group / 2 + 1}' text-anchor='end'>{escape(name)}</text>")
        for i, (label, ratio, before) in enumerate(cells):
            y = y0 + i * ROW_HEIGHT
            if ratio:
                left, right = sorted((x(1.0), x(ratio)))
                out.append(f"<rect x='{left:.1f}' y='{y}' width='{max(right - left, 1):.1f}' "
                           f"height='{ROW_HEIGHT - 3}' fill='{COLOURS[i % len(COLOURS)]}'/>")
                out.append(f"<text x='{max(x(ratio), x(1.0)) + 4:.1f}' y='{y + ROW_HEIGHT - 4}' "
                           f"font-size='10'>{ratio:.2f}x</text>")
            if before:
                out.append(f"<line x1='{x(before):.1f}' y1='{y - 1}' x2='{x(before):.1f}' "
                           f"y2='{y + ROW_HEIGHT - 2}' stroke='black' stroke-width='2.5'/>")
    out.append(f"<text x='{label_width + PLOT_WIDTH / 2}' y='{bottom + 30}' text-anchor='middle' fill='#444'>"
               f"ratio to the baseline from the same run</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    args = sys.argv[2:]
    date = ""
    if args and args[0].startswith("--date="):
        date = " (" + args[0].split("=", 1)[1] + ")"
        args = args[1:]
    runs = tables.parse(args)
    labels = [label for label, _ in runs]
    os.makedirs(outdir, exist_ok=True)
    for suite, what, rows in rows_of(runs):
        path = os.path.join(outdir, f"{suite}.svg")
        with open(path, "w") as f:
            f.write(svg(suite, what, rows, labels, date))
        print(path)


if __name__ == "__main__":
    main()
