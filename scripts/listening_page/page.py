"""index.html of the listening page: one static document with its style and
script inline, referring only to files beside it (audio/, img/), so it
opens from disk. Its bytes depend only on what it is given: no dates, no
absolute paths."""
import html
import math
import os

from scripts.listening_page import figures, runs

_HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = "percepnet listening-page"


def _read(name):
    with open(os.path.join(_HERE, name), encoding="utf-8") as f:
        return f.read()


def _e(s):
    return html.escape(str(s), quote=True)


def _num(v, fmt):
    return "–" if v is None or not math.isfinite(v) else format(v, fmt)


class FileEntry:
    """What the page shows for one input file.

    players: [(label, run, src, lufs, match, gain_of)] where run names the
    player ('input', 'a', 'b', 'oracle', 'clean', 'residual-a', ...), match
    says it sets the loudness target, gain_of names the run whose gain it
    takes when loudness matching (residuals); metrics: [(label, si_sdr,
    stoi, estoi)]; figure: (src, width, height) or None."""

    def __init__(self, key, name):
        self.key = key
        self.name = name
        self.error = None
        self.notes = []
        self.info = ""
        self.duration = 0.0
        self.players = []
        self.metrics = []
        self.figure = None
        self.distance = None
        self.abx_x = None


def _player(p):
    label, run, src, lufs, match, gain_of = p
    attrs = f' data-run="{_e(run)}" data-lufs="{lufs:.2f}"'
    if match:
        attrs += " data-match"
    if gain_of:
        attrs += f' data-gain-of="{_e(gain_of)}"'
    return (f'<tr><th>{_e(label)}</th><td><audio controls preload="metadata" src="{_e(src)}"'
            f'{attrs}></audio></td><td class="num">{lufs:.1f} LUFS</td></tr>')


def _metric_of(entry, label, col):
    for m in entry.metrics:
        if m[0] == label:
            return m[col]
    return None


def _summary(entries, have_b):
    head = ["#", "file"]
    if have_b:
        head.append("A/B gain distance (dB)")
    runs = ["input", "A"] + (["B"] if have_b else []) + ["oracle"]
    head += [f"SI-SDR {r} (dB)" for r in runs] + [f"ESTOI {r}" for r in runs]
    cells = "".join(f'<th class="{"num" if i != 1 else ""}">{_e(h)}</th>'
                    for i, h in enumerate(head))
    out = [f'<table class="summary"><tr>{cells}</tr>']
    for i, e in enumerate(entries, 1):
        cells = [f'<td class="num">{i}</td>', f'<td><a href="#f-{_e(e.key)}">{_e(e.name)}</a>'
                 + (' <span class="failed">(failed)</span>' if e.error else "") + "</td>"]
        if have_b:
            cells.append(f'<td class="num">{_num(e.distance, ".2f")}</td>')
        cells += [f'<td class="num">{_num(_metric_of(e, r, 1), ".2f")}</td>' for r in runs]
        cells += [f'<td class="num">{_num(_metric_of(e, r, 3), ".3f")}</td>' for r in runs]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _abx(e):
    def pl(label, run):
        p = next(p for p in e.players if p[1] == run)
        return (f'<tr><th>{label}</th><td><audio controls preload="metadata" src="{_e(p[2])}" '
                f'data-lufs="{p[3]:.2f}" data-match></audio></td></tr>')
    x_run = "a" if e.abx_x == "A" else "b"
    return (f'<div class="abx" data-key="{_e(e.key)}" data-name="{_e(e.name)}" '
            f'data-x="{e.abx_x}"><strong>ABX</strong>: is X the same as A or as B?'
            f'<table>{pl("A", "a")}{pl("B", "b")}{pl("X", x_run)}</table>'
            '<button type="button" data-answer="A">X is A</button> '
            '<button type="button" data-answer="B">X is B</button> '
            '<span class="abx-status"></span></div>')


def _file_section(e):
    out = [f'<section class="file" id="f-{_e(e.key)}" data-key="{_e(e.key)}">',
           f"<h2>{_e(e.name)}</h2>"]
    if e.info:
        out.append(f'<p class="note">{_e(e.info)}</p>')
    if e.error:
        out.append(f'<p class="failed">{_e(e.error)}</p>')
    for n in e.notes:
        out.append(f'<p class="note">{_e(n)}</p>')
    if e.players:
        out.append('<table class="players">' + "".join(_player(p) for p in e.players) + "</table>")
    if e.metrics:
        out.append('<table class="metrics"><tr><th></th><th class="num">SI-SDR (dB)</th>'
                   '<th class="num">STOI</th><th class="num">ESTOI</th></tr>')
        for label, sdr, st, est in e.metrics:
            out.append(f'<tr><th>{_e(label)}</th><td class="num">{_num(sdr, ".2f")}</td>'
                       f'<td class="num">{_num(st, ".3f")}</td>'
                       f'<td class="num">{_num(est, ".3f")}</td></tr>')
        out.append("</table>")
    if e.figure:
        src, w, h = e.figure
        out.append(f'<div class="figure" data-ax-left="{figures.AX_LEFT}" '
                   f'data-ax-right="{figures.AX_RIGHT}" data-duration="{e.duration:.6f}">'
                   f'<img src="{_e(src)}" width="{w}" height="{h}" '
                   f'alt="spectrograms, band gains and VAD of {_e(e.name)}">'
                   '<div class="cursor"></div></div>')
    if e.abx_x:
        out.append(_abx(e))
    out.append("</section>")
    return "\n".join(out)


def render(entries, runs_rows, page_id, abx_seed, have_b):
    """The page as a string. entries: FileEntry in page order; runs_rows:
    [(name, command line, version line)]."""
    n_abx = sum(1 for e in entries if e.abx_x)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f'<meta name="generator" content="{GENERATOR}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Listening page: {len(entries)} files</title>",
           "<style>\n" + _read("page.css") + "</style></head>",
           f'<body data-page-id="{page_id}" data-abx-seed="{_e(abx_seed)}">',
           "<h1>Listening page</h1>", '<table class="runs">']
    for name, cmd, version in runs_rows:
        out.append(f"<tr><th>{_e(name)}</th><td><code>{_e(cmd)}</code><br>"
                   f'<span class="note">{_e(version)}</span></td></tr>')
    out.append("</table>")
    out.append('<p><label><input type="checkbox" id="loudness-match"> loudness-matched playback'
               '</label> <span class="note">(within a file, every player is turned down to the '
               "quietest of input and outputs by its integrated loudness, BS.1770; a residual "
               "takes its output's gain)</span></p>")
    if n_abx:
        out.append(f'<p>ABX (seed {_e(abx_seed)}): <span id="abx-progress"></span> '
                   '<button type="button" id="abx-export">Export answers (CSV)</button> '
                   '<button type="button" id="abx-score">Show/hide score</button> '
                   '<button type="button" id="abx-clear">Clear answers</button><br>'
                   '<span class="note">Answers stay in this browser (local storage) under '
                   f"page id {page_id}.</span></p>")
    out.append("<h2>Summary</h2>")
    if have_b:
        out.append('<p class="note">Sorted by the A/B gain distance (RMS over frames and bands '
                   "of the band-gain difference in dB, gains floored at "
                   f"{runs.GAIN_FLOOR_DB:.0f} dB), largest first: "
                   "start where the change matters.</p>")
    out.append(_summary(entries, have_b))
    out += [_file_section(e) for e in entries]
    out.append("<script>\n" + _read("page.js") + "</script>")
    out.append("</body></html>\n")
    return "\n".join(out)
