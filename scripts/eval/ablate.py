"""Ablation table: what each stage after the network (or oracle) is worth,
for the model and for the oracle, on the evaluation set.

  /usr/bin/python3 -m scripts.eval.ablate --valset DATA/eval/valset
      [--percepnet ./percepnet] [--model FILE.pnm] [--out build/ablation]
      [--jobs 2] [--limit N] [--markdown FILE]

Variants (each with everything else at its default):
  default              as shipped (model: postfilter off; oracle: on)
  postfilter switched  model: --enable postfilter; oracle: --disable postfilter
  no comb              model: --disable comb (strengths forced to 0);
                       oracle: --oracle-no-comb (its comb-free gain targets)
  no decay limit       --disable decay-limit
  no pre-roll          --no-preroll
Per variant and system, means over files (metrics and alignment of
run_eval.py): ΔSI-SDR per input SNR, ΔSI-SDR and ΔESTOI over -5..20 dB,
pause residual against the input over -5..20 dB, and the output SI-SDR on
clean input. The table opens with the evaluation set's content hash.
"""
import argparse
import concurrent.futures as cf
import os
import sys
import time
from types import SimpleNamespace

import numpy as np

from scripts.eval import run_eval as R

VARIANTS = (
    ("default", "", ""),
    ("postfilter switched", "--enable postfilter", "--disable postfilter"),
    ("no comb", "--disable comb", "--oracle-no-comb"),
    ("no decay limit", "--disable decay-limit", "--disable decay-limit"),
    ("no pre-roll", "--no-preroll", "--no-preroll"),
)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--valset", required=True)
    ap.add_argument("--percepnet", default=os.path.join(repo, "percepnet"))
    ap.add_argument("--model")
    ap.add_argument("--out", default=os.path.join(repo, "build", "ablation"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only N utterances, spread over the set")
    ap.add_argument("--markdown")
    a = ap.parse_args(argv)

    items = R.load_valset(a.valset, "ablate")
    if items is None:
        return 2
    items = R.subset(items, a.limit)

    jobs = [("noisy", it, None) for it in items]
    names = []
    for vname, pargs, oargs in VARIANTS:
        for system, extra in (("percepnet", pargs), ("oracle", oargs)):
            name = f"{system}|{vname}"
            opts = SimpleNamespace(percepnet=a.percepnet, model=a.model, jobs=a.jobs,
                                   percepnet_args=pargs, oracle_args=oargs, peer_model="")
            t0 = time.time()
            try:
                outs = R.produce(system, items, opts, os.path.join(
                    a.out, f"{system}-{vname.replace(' ', '-')}"))
            except (RuntimeError, OSError) as e:
                print(f"ablate: {name} failed: {e}", file=sys.stderr)
                return 1
            print(f"ablate: {system} {extra or '(default)'}: {len(items)} files in "
                  f"{time.time() - t0:.1f} s", flush=True)
            names.append(name)
            jobs += [(name, it, outs[it["noisy"]]) for it in items]
    with cf.ProcessPoolExecutor(max_workers=a.jobs) as ex:
        results = list(ex.map(R.score_item, jobs, chunksize=4))
    R.add_deltas(results)

    conds = [c for c in sorted({it["condition"] for it in items}, key=R.cond_key) if c != "clean"]
    set_hash, _, _ = R.set_info(a.valset)
    head = ("| system | variant | " + " | ".join(f"ΔSI-SDR {c} dB" for c in conds)
            + " | ΔSI-SDR −5…20 | ΔESTOI −5…20 | pause vs input −5…20 | clean input SI-SDR |")
    lines = [f"Evaluation set sha256 {set_hash}; {len({it['id'] for it in items})} utterances; "
             f"{R.model_line(SimpleNamespace(percepnet=a.percepnet, model=a.model))}"
             f"{', model file ' + a.model if a.model else ', built-in model'}", "",
             head, "|" + "---|" * (len(conds) + 6)]
    for name in names:
        system, vname = name.split("|")
        rs = [r for r in results if r["system"] == name]
        main_rs = [r for r in rs if R.is_main(r["condition"])]
        per = [R.mean([r for r in rs if r["condition"] == c], "dsisdr") for c in conds]
        lines.append(f"| {system} | {vname} | " + " | ".join(R.fmt(v, 2, True) for v in per)
                     + f" | {R.fmt(R.mean(main_rs, 'dsisdr'), 2, True)}"
                     + f" | {R.fmt(R.mean(main_rs, 'destoi'), 3, True)}"
                     + f" | {R.fmt(R.mean(main_rs, 'pause_rel'), 1)}"
                     + f" | {R.fmt(R.mean([r for r in rs if r['condition'] == 'clean'], 'sisdr'))} |")
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if a.markdown:
        os.makedirs(os.path.dirname(os.path.abspath(a.markdown)), exist_ok=True)
        with open(a.markdown + ".tmp", "w") as f:
            f.write(text)
        os.replace(a.markdown + ".tmp", a.markdown)
    return 0 if np.isfinite(R.mean(results, "sisdr")) else 1


if __name__ == "__main__":
    sys.exit(main())
