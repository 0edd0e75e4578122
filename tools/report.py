#!/usr/bin/env python3
"""report.py: make report: the design-review report, one HTML page built from measured data only.

Collects what the other targets measured and writes build/report/index.html:

  speed           build/bench.json                 (make bench)
  coverage        build/cov/summary.json           (make coverage)
  synthesis       build/synth/report.txt           (make synth)
  regression      regress/out/junit.xml            (make regress)
  paging results  docs/results-paging.md + build/results/paging.json (make results)
  I/O results     docs/results-io.md + build/results/io.json         (make results, make results-io)
  waveforms       build/waves/check/*.png          (make waves-check)

A section whose input is missing says which target produces it; nothing is
made up. Plots are drawn with gnuplot from the JSON files. With --screenshot,
headless Chromium renders the first page to build/report/first-page.png and
the run fails unless the picture shows a rendered page.

usage: report.py [--out DIR] [--screenshot]
"""
import argparse
import datetime
import html
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

try:
    import markdown
except ImportError:  # python3-markdown is in make deps; say so rather than crash
    markdown = None


def esc(x):
    return html.escape(str(x))


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except json.JSONDecodeError as e:
        raise SystemExit(f"report: {path} is not valid JSON: {e}")


def missing(what, target):
    return f'<p class="missing">Not measured in this tree: run <code>{esc(target)}</code> ({esc(what)}).</p>'


def table(head, rows, cls=""):
    out = [f'<table class="{cls}"><tr>' + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>")
    return "\n".join(out) + "</table>"


def md_file(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if markdown is None:
        return "<pre>" + esc(text) + "</pre>"
    return markdown.markdown(text, extensions=["tables"])


def section_speed(_out):
    b = load_json("build/bench.json")
    if not b:
        return missing("simulation speed, Icarus ratio, tracing and lockstep cost", "make bench")
    rows = [("umbra (Verilator), cycles/s", f"{b['cycles_per_second'] / 1e6:.2f} M"),
            ("Icarus on the same RTL, cycles/s", f"{b['icarus_cycles_per_second'] / 1e3:.1f} k"),
            ("umbra / Icarus", f"{b['speedup_over_icarus']:.0f} x"),
            ("FST tracing slowdown", f"{b['trace_slowdown']:.1f} x"),
            ("umbra-iss, instructions/s", f"{b['iss_instructions_per_second'] / 1e6:.1f} M"),
            ("umbra-iss / QEMU TCG", f"{b['iss_over_qemu']:.2f}")]
    if "lockstep_over_umbra" in b:
        rows.append(("--lockstep speed / umbra alone", f"{b['lockstep_over_umbra']:.2f}"))
    return table(("figure", "value"), rows)


def section_coverage(_out):
    c = load_json("build/cov/summary.json")
    if not c:
        return missing("RTL coverage", "make coverage")
    rows = [(k, v["points"], v["hit"], f"{v['percent']}%") for k, v in c["kinds"].items()]
    cp = c["cover_points"]
    unhit = [p["point"] for p in cp if p["count"] == 0]
    parts = [f"<p>{c.get('runs', '?')} runs of the coverage build. Full line-by-line report: "
             f"<code>build/cov/html/index.html</code>.</p>",
             table(("kind", "points", "hit", "%"), rows),
             f"<p>Functional cover points: {len(cp) - len(unhit)} of {len(cp)} hit.</p>"]
    if unhit:
        parts.append("<p>Not hit (holes to close or to argue away):</p><ul>" +
                     "".join(f"<li><code>{esc(u)}</code></li>" for u in unhit) + "</ul>")
    return "\n".join(parts)


def section_synth(_out):
    path = "build/synth/report.txt"
    if not os.path.exists(path):
        return missing("area of the core with and without the GWB", "make synth")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return ("<p>yosys per-block cells and flops of the core with and without the GWB "
            "(<code>make synth</code>; docs/gwb.md discusses them):</p><pre>" + esc(text) + "</pre>")


def section_regress(_out):
    path = "regress/out/junit.xml"
    if not os.path.exists(path):
        return missing("latest regression", "make regress")
    import xml.etree.ElementTree as ET
    try:
        suite = ET.parse(path).getroot().find("testsuite")
    except ET.ParseError as e:
        raise SystemExit(f"report: {path} is not valid JUnit XML: {e}")
    by_config, fails = {}, []
    for case in suite.iter("testcase"):
        cfg = case.get("classname", "?").split(".", 1)[-1]
        n, f, sk = by_config.get(cfg, (0, 0, 0))
        failure, skipped = case.find("failure"), case.find("skipped")
        by_config[cfg] = (n + 1, f + (failure is not None), sk + (skipped is not None))
        if failure is not None:
            repro = next((l for l in (failure.text or "").splitlines() if l.startswith("reproduce:")), "")
            fails.append((case.get("name"), cfg, failure.get("message", ""), repro))
    mtime = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc)
    parts = [f"<p>{esc(suite.get('name'))}: {esc(suite.get('tests'))} runs, "
             f"{esc(suite.get('failures'))} failed, {esc(suite.get('skipped'))} not run "
             f"(seeds {esc(next((p.get('value') for p in suite.iter('property') if p.get('name') == 'seeds'), '?'))}; "
             f"{mtime:%Y-%m-%d %H:%M} UTC).</p>",
             table(("configuration", "runs", "failed", "not run"),
                   [(c, n, f, sk) for c, (n, f, sk) in sorted(by_config.items())])]
    if fails:
        parts.append(table(("run", "configuration", "why", "reproduce"), fails))
    return "\n".join(parts)


def gnuplot_bars(data, title, ylabel, path):
    """data: list of (label, value). Writes an SVG bar chart with gnuplot; returns True if drawn."""
    if not shutil.which("gnuplot") or not data:
        return False
    script = (f"set terminal svg size 720,360 dynamic font 'sans,11'\nset output '{path}'\n"
              f"set title '{title}'\nset ylabel '{ylabel}'\nset style fill solid 0.6\n"
              "set boxwidth 0.7\nset xtics rotate by -30\nset grid ytics\nset yrange [0:*]\n"
              "plot '-' using 0:2:xtic(1) with boxes notitle\n" +
              "".join(f'"{lbl}" {val}\n' for lbl, val in data) + "e\n")
    p = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    return p.returncode == 0 and os.path.exists(path)


def section_results(out, name, md, data_json, plots, target):
    """plots: (key in data_json, title, ylabel) for each gnuplot bar chart above the page."""
    parts = []
    body = md_file(md)
    d = load_json(data_json)
    for i, (plot_key, title, ylabel) in enumerate(plots):
        if d and isinstance(d.get(plot_key), list):
            svg = os.path.join(out, f"{name}{i or ''}.svg")
            if gnuplot_bars([(p["label"], p["value"]) for p in d[plot_key]], title, ylabel, svg):
                parts.append(f'<img src="{os.path.basename(svg)}" alt="{esc(title)}">')
    if body:
        parts.append(body)
    return "\n".join(parts) if parts else missing(plots[0][1], target)


def section_waves(out):
    src = "build/waves/check"
    shots = sorted(f for f in os.listdir(src) if f.endswith(".png") and not f.startswith("broken")) \
        if os.path.isdir(src) else []   # broken.png: the save file waves-check must refuse
    if not shots:
        return missing("gtkwave screenshots of the save files", "make waves-check")
    os.makedirs(os.path.join(out, "waves"), exist_ok=True)
    parts = []
    for f in shots:
        shutil.copy(os.path.join(src, f), os.path.join(out, "waves", f))
        parts.append(f'<figure><img src="waves/{esc(f)}" alt="{esc(f)}"><figcaption>{esc(f)}</figcaption></figure>')
    return "\n".join(parts)


STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
h1 { border-bottom: 3px solid #334; } h2 { border-bottom: 1px solid #aab; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccd; padding: 3px 8px; }
th { background: #eef; } .missing { color: #a40; font-style: italic; }
img { max-width: 100%; } figure { margin: 1em 0; } code { background: #f4f4f8; }
"""


def png_is_rendered(path):
    """True when the PNG decodes and has more than one colour (a real page, not a blank)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return False
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, _h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
            if depth != 8 or ctype not in (2, 6):
                return True   # unusual encoding: decoded enough to trust it
        elif typ == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    return len(set(raw[1:1 + w * 3 * 50])) > 2


def screenshot(page, png):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        raise SystemExit("report: chromium is missing (make deps installs it)")
    if os.path.exists(png):
        os.remove(png)
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--screenshot={os.path.abspath(png)}", "--window-size=1280,1600",
           "file://" + os.path.abspath(page)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not png_is_rendered(png):
        raise SystemExit(f"report: headless Chromium did not render {page} "
                         f"(status {p.returncode}): {p.stderr.strip()[-400:]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build/report", help="output directory (default %(default)s)")
    ap.add_argument("--screenshot", action="store_true",
                    help="render the first page with headless Chromium and check it")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    sections = [
        ("Simulation speed", section_speed),
        ("RTL coverage", section_coverage),
        ("Synthesis: the GWB's area", section_synth),
        ("Shadow paging: native, wp, oos and gwb",
         lambda o: section_results(o, "paging", "docs/results-paging.md", "build/results/paging.json",
                                   [("slowdown", "Slowdown over native by mode", "x native")],
                                   "make results")),
        ("I/O completion delivery: immediate, nominal and mature",
         lambda o: section_results(o, "io", "docs/results-io.md", "build/results/io.json",
                                   [("latency", "Mean completion latency (issue to delivery) by policy",
                                     "cycles"),
                                    ("latency_p99", "p99 completion latency by policy", "cycles")],
                                   "make results")),
        ("Latest regression", section_regress),
        ("Waveforms", section_waves),
    ]
    rev = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip() or "unknown"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    doc = [f"<!doctype html><html><head><meta charset='utf-8'><title>umbra design review</title>"
           f"<style>{STYLE}</style></head><body>",
           "<h1>umbra: design-review report</h1>",
           f"<p>RV32IM core with Sv32 MMU and guest write buffer; tree <code>{esc(rev)}</code>, "
           f"generated {esc(now)} by <code>make report</code> from the measurements below.</p>",
           "<ul>" + "".join(f'<li><a href="#s{i}">{esc(t)}</a></li>' for i, (t, _) in enumerate(sections)) + "</ul>"]
    have = 0
    for i, (title, fn) in enumerate(sections):
        body = fn(args.out)
        have += 'class="missing"' not in body
        doc.append(f'<h2 id="s{i}">{esc(title)}</h2>\n{body}')
    doc.append("</body></html>")
    page = os.path.join(args.out, "index.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write("\n".join(doc))
    print(f"report: {page}: {have} of {len(sections)} sections have data")
    if args.screenshot:
        png = os.path.join(args.out, "first-page.png")
        screenshot(page, png)
        print(f"report: headless Chromium rendered the first page: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
