"""Command line of scripts/listening-page: runs percepnet configurations A
and (optionally) B over a corpus and writes a static listening page.

Exit status: 0 every file done, 1 usage error, 2 a file failed (the page is
written all the same, the failure shown in it)."""
import argparse
import os
import re
import shlex
import shutil
import sys
import tempfile

from scripts.listening_page import abx, assemble, audio, page, runs

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# Extensions taken from a folder (what percepnet reads; raw PCM is left out:
# it needs options the page cannot guess).
AUDIO_EXT = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".aifc", ".au",
             ".snd", ".caf", ".w64", ".rf64")

USAGE = """listening-page [options] -o DIR FILE|FOLDER...

Runs percepnet configuration A (default: the built-in model) and optionally B
over audio files and writes DIR/index.html with players, spectrograms, band
gains, VAD, pitch, metrics against clean references and ABX blocks. DIR opens
from disk in a browser."""


PROG = "listening-page"


def fail_usage(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(1)


def default_binary():
    """The repository's own build when it exists, else percepnet on PATH."""
    built = os.path.join(ROOT, "percepnet")
    return built if os.access(built, os.X_OK) else "percepnet"


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, usage=USAGE, allow_abbrev=False)
    p.add_argument("-o", "--out", required=True, metavar="DIR", help="the page folder")
    p.add_argument("-f", "--force", action="store_true",
                   help="replace DIR if it holds an earlier listening page")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="audio files or folders of them")
    p.add_argument("--ref", metavar="DIR",
                   help="clean references, same file names as the inputs: metrics and oracle")
    p.add_argument("--bin", metavar="PATH", help="percepnet binary of A and B "
                   "(default: the repository's build, else percepnet on PATH)")
    for r in ("a", "b"):
        R = r.upper()
        p.add_argument(f"--{r}", metavar="'OPTIONS'", dest=f"{r}_opts",
                       help=f"percepnet options of run {R}, one shell-quoted string")
        p.add_argument(f"--{r}-model", metavar="FILE", help=f"model file of run {R} (-m FILE)")
        p.add_argument(f"--{r}-bin", metavar="PATH", help=f"percepnet binary of run {R}")
        p.add_argument(f"--{r}-label", metavar="TEXT", help=f"name of run {R} on the page")
    p.add_argument("--abx-seed", type=int, default=1, metavar="N",
                   help="seed of the ABX assignment (default 1)")
    p.add_argument("--audio", choices=sorted(audio.PAGE_FORMATS), default="flac",
                   help="container of the page's audio copies, 16-bit (default flac)")
    p.add_argument("--no-oracle", action="store_true",
                   help="with --ref: metrics only, no oracle run")
    return p.parse_args(_join_option_strings(argv))


def _join_option_strings(argv):
    """'--a OPTS' and '--b OPTS' as '--a=OPTS': OPTS starts with '-' and
    argparse would take it for an option of its own."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] in ("--a", "--b") and i + 1 < len(argv):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
        if out[-1] == "--":
            out += argv[i:]
            break
    return out


def shown_path(path):
    """a binary's name as the page shows it: an absolute path under the
    current folder is made relative to it, so that the page does not depend
    on where the checkout lies"""
    if path and os.path.isabs(path):
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            return rel
    return path


def make_config(args, r, base_bin, shown_base):
    opts = getattr(args, f"{r}_opts")
    model = getattr(args, f"{r}_model")
    binary = getattr(args, f"{r}_bin")
    try:
        words = shlex.split(opts) if opts else []
    except ValueError as e:
        fail_usage(f"--{r}: {e}")
    bad = runs.check_options(words)
    if bad:
        fail_usage(f"--{r}: {bad}: the page sets outputs, dumps and modes itself")
    if model:
        if not os.path.isfile(model):
            fail_usage(f"{model}: no such model file")
        words += ["-m", model]
    return runs.Config(r.upper(), binary or base_bin, words, shown_path(binary) or shown_base)


def collect_inputs(items):
    """Files in command-line order; a folder adds its audio files sorted by
    name. Exits with a usage error for a missing path or an empty list."""
    files = []
    for it in items:
        if os.path.isdir(it):
            names = sorted(n for n in os.listdir(it) if n.lower().endswith(AUDIO_EXT))
            files += [os.path.join(it, n) for n in names if os.path.isfile(os.path.join(it, n))]
        elif os.path.isfile(it):
            files.append(it)
        else:
            fail_usage(f"{it}: no such file or folder")
    if not files:
        fail_usage("no audio file among the inputs")
    return files


def page_keys(files):
    """Stable, unique asset names: the file's base name without its
    extension, characters outside [A-Za-z0-9._-] replaced by '_', '-2',
    '-3', ... added to repeats."""
    keys, seen = [], set()
    for f in files:
        k = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.splitext(os.path.basename(f))[0]) or "file"
        cand, i = k, 1
        while cand in seen:
            i += 1
            cand = f"{k}-{i}"
        seen.add(cand)
        keys.append(cand)
    return keys


def prepare_out_dir(out, force):
    """A new empty staging folder beside DIR; refuses a DIR that exists
    unless it is empty or (with force) an earlier listening page."""
    if os.path.exists(out):
        if not os.path.isdir(out):
            fail_usage(f"{out}: exists and is not a folder")
        entries = os.listdir(out)
        if entries:
            idx = os.path.join(out, "index.html")
            ours = False
            if os.path.isfile(idx):
                with open(idx, encoding="utf-8", errors="replace") as f:
                    ours = f'content="{page.GENERATOR}"' in f.read(4096)
            if not ours:
                fail_usage(f"{out}: folder not empty and not a listening page; not touching it")
            if not force:
                fail_usage(f"{out}: holds a listening page already (-f replaces it)")
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix=".listening-page-", dir=parent)


def publish(stage, out):
    """Moves the finished staging folder to DIR, replacing an earlier page."""
    if os.path.exists(out):
        old = tempfile.mkdtemp(prefix=".listening-page-old-", dir=os.path.dirname(
            os.path.abspath(out)))
        os.rename(out, os.path.join(old, "page"))
        os.rename(stage, out)
        shutil.rmtree(old)
    else:
        os.rename(stage, out)
    os.chmod(out, 0o755)


def page_order(entries, seed):
    """Entries sorted by A/B gain distance, largest first (failed files
    last, ties by name), each with its ABX assignment."""
    order = sorted(entries, key=lambda e: (-(e.distance if e.distance is not None else -1.0),
                                           e.name, e.key))
    assignment = abx.assign([e.key for e in order], seed)
    for e in order:
        if not e.error:
            e.abx_x = assignment[e.key]
    return order


def main(argv):
    args = parse_args(argv)
    base_bin = args.bin or default_binary()
    shown_base = shown_path(args.bin) or "percepnet"
    cfg_a = make_config(args, "a", base_bin, shown_base)
    want_b = any(getattr(args, k) for k in ("b_opts", "b_model", "b_bin"))
    cfg_b = make_config(args, "b", base_bin, shown_base) if want_b else None
    if args.ref and not os.path.isdir(args.ref):
        fail_usage(f"{args.ref}: --ref needs a folder of clean references")
    files = collect_inputs(args.inputs)
    keys = page_keys(files)

    runs_rows = []
    for cfg, label in ((cfg_a, args.a_label), (cfg_b, args.b_label)):
        if cfg is None:
            continue
        try:
            ver = cfg.version()
        except (runs.RunError, OSError) as e:
            fail_usage(f"run {cfg.name}: {e}")
        runs_rows.append((f"{cfg.name}" + (f": {label}" if label else ""), cfg.describe(), ver))
    if args.ref and not args.no_oracle:
        runs_rows.append(("oracle", f"{cfg_a.shown_binary} --oracle CLEAN NOISY",
                          "ideal band gains from the clean reference (the chain's ceiling)"))

    stage = prepare_out_dir(args.out, args.force)
    failed = 0
    try:
        pg = assemble.Page(stage, args.audio)
        entries = []
        for path, key in zip(files, keys):
            entry = page.FileEntry(key, os.path.basename(path))
            work = tempfile.mkdtemp(prefix="work-", dir=stage)
            try:
                assemble.process_file(pg, entry, path, cfg_a, cfg_b, args.ref,
                                      not args.no_oracle, work)
            except (audio.AudioError, runs.RunError, OSError) as e:
                failed += 1
                entry.error = str(e) if path in str(e) else f"{path}: {e}"
                print(f"{PROG}: {entry.error}", file=sys.stderr)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            entries.append(entry)

        order = page_order(entries, args.abx_seed) if cfg_b else entries
        pid = abx.page_id(args.abx_seed, [e.key for e in order], [r[1] for r in runs_rows])
        html = page.render(order, runs_rows, pid, args.abx_seed, cfg_b is not None)
        with open(os.path.join(stage, "index.html"), "w", encoding="utf-8") as f:
            f.write(html)
        publish(stage, args.out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    print(f"{PROG}: {len(files) - failed} of {len(files)} files done: "
          f"{os.path.join(args.out, 'index.html')}", file=sys.stderr)
    return 2 if failed else 0
