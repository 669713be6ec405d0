"""Helpers shared by the CLI tests: TAP output, running ./percepnet, and
audio I/O through libsndfile itself (ctypes), so the tests read files exactly
as the tool does. Not a test (no test_ prefix)."""
import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("PERCEPNET_TEST_BIN", os.path.join(ROOT, "percepnet"))
DATA = os.path.join(ROOT, "test", "data")

# The reader of the tool's TSV dumps lives with the evaluation scripts
# (the package `scripts`: test/run_tests.sh puts the root on the path).
from scripts.eval import dump_tsv  # noqa: E402

_failures = 0


def check(cond, name, why=""):
    global _failures
    if cond:
        print(f"ok - {name}")
    else:
        _failures += 1
        print(f"not ok - {name}: {why}")
    sys.stdout.flush()
    return cond


def done():
    sys.exit(1 if _failures else 0)


def run(args, stdin=None, env=None, cwd=None, input_bytes=None):
    """Runs percepnet; returns (returncode, stdout bytes, stderr text)."""
    e = dict(os.environ)
    e.pop("PERCEPNET_CPU", None)
    if env:
        e.update(env)
    p = subprocess.run([BIN] + list(args), input=input_bytes, stdin=stdin, capture_output=True,
                       env=e, cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def tmpdir():
    d = tempfile.mkdtemp(prefix="percepnet-test-")
    return d


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)


def run_groups(*groups):
    """Calls each group(d) with its own empty directory d (named after the
    function) under one temporary directory, removes that directory, and
    exits with the TAP verdict (done())."""
    d = tmpdir()
    try:
        for f in groups:
            sub = os.path.join(d, f.__name__)
            os.mkdir(sub)
            f(sub)
    finally:
        cleanup(d)
    done()


# ---- libsndfile through ctypes
SF_FORMAT = {
    "wav": 0x010000, "aiff": 0x020000, "au": 0x030000, "raw": 0x040000, "w64": 0x0B0000,
    "flac": 0x170000, "caf": 0x180000, "ogg": 0x200000, "rf64": 0x220000, "mpeg": 0x230000,
    "wavex": 0x130000,
}
SF_SUB = {
    "pcm_s8": 0x1, "pcm_16": 0x2, "pcm_24": 0x3, "pcm_32": 0x4, "pcm_u8": 0x5, "float": 0x6,
    "double": 0x7, "vorbis": 0x60, "opus": 0x64, "mp3": 0x82,
}


class SFInfo(ctypes.Structure):
    _fields_ = [("frames", ctypes.c_int64), ("samplerate", ctypes.c_int), ("channels", ctypes.c_int),
                ("format", ctypes.c_int), ("sections", ctypes.c_int), ("seekable", ctypes.c_int)]


_sf = ctypes.CDLL(ctypes.util.find_library("sndfile") or "libsndfile.so.1")
_sf.sf_open.restype = ctypes.c_void_p
_sf.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(SFInfo)]
_sf.sf_readf_float.restype = ctypes.c_int64
_sf.sf_readf_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
_sf.sf_readf_int.restype = ctypes.c_int64
_sf.sf_readf_int.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
_sf.sf_writef_float.restype = ctypes.c_int64
_sf.sf_writef_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
_sf.sf_writef_int.restype = ctypes.c_int64
_sf.sf_writef_int.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
_sf.sf_close.argtypes = [ctypes.c_void_p]
_sf.sf_get_string.restype = ctypes.c_char_p
_sf.sf_get_string.argtypes = [ctypes.c_void_p, ctypes.c_int]
_sf.sf_set_string.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p]
_sf.sf_strerror.restype = ctypes.c_char_p
_sf.sf_strerror.argtypes = [ctypes.c_void_p]

SF_STR_TITLE, SF_STR_SOFTWARE, SF_STR_ARTIST, SF_STR_COMMENT = 1, 3, 4, 5


def info(path):
    i = SFInfo()
    h = _sf.sf_open(path.encode(), 0x10, ctypes.byref(i))
    if not h:
        raise IOError(f"{path}: {_sf.sf_strerror(None).decode()}")
    _sf.sf_close(h)
    return i


def read(path, as_int=False):
    """(frames x channels) float32 in [-1, 1) (or int32 left-justified), SFInfo."""
    i = SFInfo()
    h = _sf.sf_open(path.encode(), 0x10, ctypes.byref(i))
    if not h:
        raise IOError(f"{path}: {_sf.sf_strerror(None).decode()}")
    chunks = []
    while True:
        buf = np.zeros((65536, i.channels), np.int32 if as_int else np.float32)
        fn = _sf.sf_readf_int if as_int else _sf.sf_readf_float
        n = fn(h, buf.ctypes.data, 65536)
        if n <= 0:
            break
        chunks.append(buf[:n].copy())
    strings = {k: _sf.sf_get_string(h, k) for k in (1, 2, 3, 4, 5, 6, 7, 8, 9, 16)}
    _sf.sf_close(h)
    i.strings = {k: v.decode() for k, v in strings.items() if v}
    data = np.concatenate(chunks) if chunks else np.zeros((0, i.channels), np.float32)
    return data, i


def write(path, data, rate, fmt, tags=None):
    """data: frames x channels float (written as float; libsndfile converts)."""
    data = np.ascontiguousarray(np.asarray(data, np.float32).reshape(len(data), -1))
    i = SFInfo(0, rate, data.shape[1], fmt, 0, 0)
    h = _sf.sf_open(path.encode(), 0x20, ctypes.byref(i))
    if not h:
        raise IOError(f"{path}: {_sf.sf_strerror(None).decode()}")
    for k, v in (tags or {}).items():
        _sf.sf_set_string(h, k, v.encode())
    if (fmt & 0xFFFF) in (1, 2, 3, 4, 5):
        # integer formats: quantise exactly as the tool does (x * 2^(bits-1), clamped)
        bits = {1: 8, 2: 16, 3: 24, 4: 32, 5: 8}[fmt & 0xFFFF]
        q = np.clip(np.round(data.astype(np.float64) * 2.0 ** (bits - 1)),
                    -2.0 ** (bits - 1), 2.0 ** (bits - 1) - 1).astype(np.int64)
        ints = np.ascontiguousarray((q << (32 - bits)).astype(np.int32))
        n = _sf.sf_writef_int(h, ints.ctypes.data, len(ints))
    else:
        n = _sf.sf_writef_float(h, data.ctypes.data, len(data))
    _sf.sf_close(h)
    if n != len(data):
        raise IOError(f"{path}: short write")


def speech(rate, seconds, channels=1, seed=1):
    """The bundled clean speech resampled to rate (via sox), tiled to length,
    channels made distinct by a per-channel gain and a seeded noise floor."""
    raw = subprocess.run(["sox", os.path.join(DATA, "demo_clean.flac"), "-t", "f32", "-r", str(rate),
                          "-c", "1", "-"], capture_output=True, check=True).stdout
    x = np.frombuffer(raw, "<f4").astype(np.float64)
    n = int(round(seconds * rate))
    x = np.tile(x, n // len(x) + 1)[:n]
    rng = np.random.Generator(np.random.PCG64(seed))
    out = np.stack([x * (0.8 - 0.1 * c) + 0.01 * rng.standard_normal(n) for c in range(channels)], 1)
    return np.clip(out, -0.99, 0.99).astype(np.float32)
