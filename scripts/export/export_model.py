"""Exports scripts/train/model.py's PercepNet to a percepnet model file and,
optionally, to the generated C the library compiles in (weights/*.c).
From the repository root:

  /usr/bin/python3 -m scripts.export.export_model --checkpoint CKPT.pt -o model.pnm [--c model.c]
  /usr/bin/python3 -m scripts.export.export_model --random-seed 1 --conv1 128 --hidden 192 \
      -o model.pnm --c model.c
  /usr/bin/python3 -m scripts.export.export_model --from-pnm model.pnm --c model.c

CKPT.pt: torch.save() of the model's state_dict, or of a dict holding it
under "model" or "state_dict". Sizes are taken from the tensors, the input
count (features per step, 70 or 104) from conv1's: the model file holds it
as conv1.weight's second dimension, which is where the library reads it
(pn_model_features). --random-seed makes a network of --features inputs. The layers
listed in quant.QUANTIZED_PARAMS are stored as int8 with per-row scales
(quant.py), the others as float32. The model id printed is the one the
library reports: the first 16 hex digits of the file's SHA-256.
"""
import argparse
import hashlib
import os
import sys

import numpy as np
import torch

from scripts.export import pnm, quant
from scripts.train.model import PercepNet, FEATURE_COUNTS, NB_FEATURES_BASE, state_features

ROW_BLOCK, COL_BLOCK = 16, 4  # lib/nnet/pn_model.h

# C layer field, weight name, bias name, convolution kernel (0: dense)
LAYERS = (
    ("conv1", "conv1.weight", "conv1.bias", 3),
    ("conv2", "conv2.weight", "conv2.bias", 3),
    ("gru1_ih", "gru1.weight_ih_l0", "gru1.bias_ih_l0", 0),
    ("gru1_hh", "gru1.weight_hh_l0", "gru1.bias_hh_l0", 0),
    ("gru2_ih", "gru2.weight_ih_l0", "gru2.bias_ih_l0", 0),
    ("gru2_hh", "gru2.weight_hh_l0", "gru2.bias_hh_l0", 0),
    ("dense_g", "dense_g.weight", "dense_g.bias", 0),
    ("dense_r", "dense_r.weight", "dense_r.bias", 0),
    ("dense_vad", "dense_vad.weight", "dense_vad.bias", 0),
)


def load_state_dict(path):
    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, dict):
        for key in ("model", "state_dict", "model_state_dict"):
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
                break
    if not isinstance(obj, dict) or "conv1.weight" not in obj:
        raise SystemExit(f"{path}: no PercepNet state_dict found")
    return obj


def model_from_state_dict(sd):
    conv1 = sd["conv1.weight"].shape[0]
    hidden = sd["gru1.weight_hh_l0"].shape[1]
    nf = state_features(sd)
    if nf not in FEATURE_COUNTS:
        raise SystemExit(f"the model reads {nf} features; the library runs models of "
                         f"{' or '.join(map(str, FEATURE_COUNTS))}")
    net = PercepNet(conv1=conv1, hidden=hidden, nb_features=nf)
    net.load_state_dict(sd)
    return net


def model_tensors(net, quantize=True):
    """[(name, numpy array)] of a PercepNet, in file order. quantize=False
    stores every layer as float32 (a reference for tests; slower)."""
    out = []
    params = dict(net.state_dict())
    for _, wname, bname, _ in LAYERS:
        w = params[wname].detach().to(torch.float32)
        if quantize and wname in quant.QUANTIZED_PARAMS:
            q, s = quant.quantize_rows(w)
            out.append((wname, q.numpy().astype(np.int8)))
            out.append((wname + ".scale", s.numpy().astype(np.float32)))
        else:
            out.append((wname, w.numpy().astype(np.float32)))
        out.append((bname, params[bname].detach().to(torch.float32).numpy()))
    return out


def model_id(data):
    return hashlib.sha256(data).hexdigest()[:16]


def _matvec(w, k):
    """2-D matrix in the engine's input order (see quant.matvec_order)."""
    if k:
        return np.ascontiguousarray(w.transpose(0, 2, 1).reshape(w.shape[0], -1))
    return w


def _f32(v):
    return "%.8ef" % float(v)


def _bytes(name, values, per_line=32):
    """int8 array as a string literal (one byte per element, hex escapes):
    compiles and analyses far faster than a list of 10^5..10^6 numbers. The
    literal has exactly len(values) characters, so no terminator is stored."""
    raw = np.asarray(values, dtype=np.int8).view(np.uint8)
    lines = ["".join("\\x%02x" % b for b in raw[i:i + per_line]) for i in range(0, len(raw), per_line)]
    body = "\n  ".join('"%s"' % ln for ln in lines)
    return f"static _Alignas(64) const int8_t {name}[{len(raw)}] =\n  {body};\n"


def _float_rows(name, values, per_row=64):
    """A long float array as a union of the flat array and rows of per_row
    values initialised row by row: the same floats (both members have type
    float, so reading .flat is reading the initialised object), while no
    brace list is longer than per_row (static analysers slow down
    quadratically with the length of one initialiser list)."""
    vals = [_f32(v) for v in values]
    n = len(vals)
    rows = -(-n // per_row)
    vals += ["0.0f"] * (rows * per_row - n)
    body = ",\n  ".join("{" + ", ".join(vals[i:i + per_row]) + "}"
                        for i in range(0, len(vals), per_row))
    return (f"static _Alignas(64) const union {{\n  float flat[{n}];\n  float rows[{rows}][{per_row}];\n}}"
            f" {name} = {{.rows = {{\n  {body}\n}}}};\n")


def _array(ctype, name, values, fmt, per_line):
    vals = [fmt(v) for v in values]
    lines = [", ".join(vals[i:i + per_line]) for i in range(0, len(vals), per_line)]
    body = ",\n  ".join(lines)
    return (f"static _Alignas(64) const {ctype} {name}[{len(vals)}] = {{\n  {body}\n}};\n")


def generate_c(data, source_name):
    """C source defining pn_default_model from the model file bytes."""
    t = pnm.read_pnm(data)
    parts, fields = [], []
    for field, wname, bname, k in LAYERS:
        w = t[wname]
        bias = t[bname]
        w2 = _matvec(w, k)
        rows, cols = w2.shape
        parts.append(_array("float", f"{field}_bias", bias, _f32, 6))
        if w.dtype == np.int8:
            rp = -(-rows // ROW_BLOCK) * ROW_BLOCK
            cp = -(-cols // COL_BLOCK) * COL_BLOCK
            m = np.zeros((rp, cp), dtype=np.int8)
            m[:rows, :cols] = w2
            packed = m.reshape(rp // ROW_BLOCK, ROW_BLOCK, cp // COL_BLOCK, COL_BLOCK)
            packed = packed.transpose(0, 2, 1, 3).reshape(-1)
            wsum = m.astype(np.int64).sum(axis=1)
            scale = np.zeros(rp, dtype=np.float32)
            scale[:rows] = t[wname + ".scale"]
            parts.append(_bytes(f"{field}_w8", packed))
            parts.append(_array("int32_t", f"{field}_wsum", wsum, str, 12))
            parts.append(_array("float", f"{field}_scale", scale, _f32, 6))
            fields.append(
                f"    .{field} = {{.rows = {rows}, .cols = {cols}, .quantized = 1, "
                f".rows_pad = {rp}, .cols_pad = {cp}, .w8 = {field}_w8, "
                f".wsum = {field}_wsum, .scale = {field}_scale, .wf = NULL, "
                f".bias = {field}_bias}},")
        else:
            wf = np.ascontiguousarray(w2.T).reshape(-1)
            if len(wf) > 4096:
                parts.append(_float_rows(f"{field}_wf", wf))
                wf_expr = f"{field}_wf.flat"
            else:
                parts.append(_array("float", f"{field}_wf", wf, _f32, 6))
                wf_expr = f"{field}_wf"
            fields.append(
                f"    .{field} = {{.rows = {rows}, .cols = {cols}, .quantized = 0, "
                f".rows_pad = 0, .cols_pad = 0, .w8 = NULL, .wsum = NULL, "
                f".scale = NULL, .wf = {wf_expr}, .bias = {field}_bias}},")
    conv1 = t["conv1.weight"].shape[0]
    hidden = t["gru1.weight_hh_l0"].shape[1]
    head = (f"/* Generated by scripts/export/export_model.py from {source_name}; do not edit.\n"
            f" * Model id {model_id(data)} (SHA-256 of the file, first 16 hex digits),\n"
            f" * conv1 {conv1}, hidden {hidden}. Layout: lib/nnet/pn_model.h. */\n"
            "#include <stddef.h>\n#include <stdint.h>\n\n#include \"pn_model.h\"\n\n")
    model = ("const PnModel pn_default_model = {\n"
             f"    .conv1_size = {conv1},\n    .hidden = {hidden},\n" +
             "\n".join(fields) +
             f"\n    .id = \"{model_id(data)}\",\n    .storage = NULL,\n}};\n")
    return head + "".join(parts) + "\n" + model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="PyTorch checkpoint of PercepNet")
    src.add_argument("--random-seed", type=int, help="seeded random init (PyTorch default init)")
    src.add_argument("--from-pnm", help="existing model file (only --c is written)")
    ap.add_argument("--conv1", type=int, default=128, help="conv1 size for --random-seed")
    ap.add_argument("--hidden", type=int, default=192, help="hidden size for --random-seed")
    ap.add_argument("--features", type=int, default=NB_FEATURES_BASE, choices=FEATURE_COUNTS,
                    help="features per step for --random-seed")
    ap.add_argument("-o", "--output", help="model file to write")
    ap.add_argument("--c", dest="c_out", help="generated C file to write")
    ap.add_argument("--float", action="store_true",
                    help="store every layer as float32 (no int8), for tests")
    a = ap.parse_args(argv)
    if a.from_pnm:
        with open(a.from_pnm, "rb") as f:
            data = f.read()
        source = os.path.basename(a.from_pnm)
    else:
        if a.checkpoint:
            net = model_from_state_dict(load_state_dict(a.checkpoint))
        else:
            torch.manual_seed(a.random_seed)
            net = PercepNet(conv1=a.conv1, hidden=a.hidden, nb_features=a.features)
        data = pnm.write_pnm(model_tensors(net, quantize=not a.float))
        source = os.path.basename(a.output) if a.output else "(memory)"
        if a.output:
            with open(a.output, "wb") as f:
                f.write(data)
    if a.c_out:
        with open(a.c_out, "w") as f:
            f.write(generate_c(data, source))
    inputs = pnm.read_pnm(data, any_version=True)["conv1.weight"].shape[1]
    print(f"model id {model_id(data)}, {len(data)} bytes, {inputs} features per step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
