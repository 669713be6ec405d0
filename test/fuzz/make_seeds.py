"""Writes the seed corpora of the fuzz harnesses (test/fuzz/corpus/*), small
files kept in git; rerun after a change of the model format or of a
harness's input layout, from the repository root (the package scripts.export
must import):  PYTHONPATH=. /usr/bin/python3 test/fuzz/make_seeds.py

model_load: valid models with tiny layers (C1 = H = 1 or 2) in float and
int8, with 70 inputs and one with 104 (the SNR features, which has its own
generator so that the other seeds stay as they were), plus a few
near-misses; frames: one input per frame class of
fuzz_frames.c; cli_input: short files in the containers libsndfile reads
(made with sox, opusenc and ffmpeg) and raw PCM headers for fuzz_cli_input.c.
"""
import os
import struct
import subprocess
import tempfile

import numpy as np

from scripts.export import pnm

HERE = os.path.dirname(os.path.abspath(__file__))

RNG = np.random.default_rng(20261122)
CORPUS = os.path.join(HERE, "corpus")


def tiny_model(c1, h, int8, features=70, rng=RNG):
    """Tensors of a network with conv1 = c1 and hidden = h channels reading
    `features` inputs, drawn from rng."""
    def f32(*shape):
        return (rng.standard_normal(shape) * 0.3).astype(np.float32)

    def weight(name, *shape):
        if not int8:
            return [(name, f32(*shape))]
        q = rng.integers(-60, 61, size=shape).astype(np.int8)
        s = np.full(shape[0], 0.01, dtype=np.float32)
        return [(name, q), (name + ".scale", s)]

    t = [("conv1.weight", f32(c1, features, 3)), ("conv1.bias", f32(c1))]
    t += weight("conv2.weight", h, c1, 3) + [("conv2.bias", f32(h))]
    for g in ("gru1", "gru2"):
        t += weight(g + ".weight_ih_l0", 3 * h, h)
        t += weight(g + ".weight_hh_l0", 3 * h, h)
        t += [(g + ".bias_ih_l0", f32(3 * h)), (g + ".bias_hh_l0", f32(3 * h))]
    for d, n in (("dense_g", 34), ("dense_r", 34), ("dense_vad", 1)):
        t += weight(d + ".weight", n, 3 * h) + [(d + ".bias", f32(n))]
    return t


def write(sub, name, data):
    os.makedirs(os.path.join(CORPUS, sub), exist_ok=True)
    with open(os.path.join(CORPUS, sub, name), "wb") as f:
        f.write(data)


def model_seeds():
    write("model_load", "tiny_float.pnm", pnm.write_pnm(tiny_model(1, 1, False)))
    write("model_load", "tiny_int8.pnm", pnm.write_pnm(tiny_model(2, 2, True)))
    good = pnm.write_pnm(tiny_model(1, 2, True))
    write("model_load", "truncated.pnm", good[: len(good) // 2])
    missing = [t for t in tiny_model(1, 1, False) if t[0] != "dense_vad.bias"]
    write("model_load", "missing_tensor.pnm", pnm.write_pnm(missing))
    write("model_load", "header_only.bin", good[:32] + b"\0" * 8)
    write("model_load", "tiny_float_104.pnm",
          pnm.write_pnm(tiny_model(1, 1, False, 104, np.random.default_rng(104))))


def frame_seeds():
    # byte 0: config; then per frame a class byte and a parameter byte
    # (classes: 0 raw, 1 nasty, 2 nan/inf, 3 denormal, 4 huge, 5 dc, 6 square)
    speech = np.fromfile(os.path.join(HERE, "..", "data", "speech_48k.s16"), dtype="<i2")
    raw = (speech[48000:48000 + 480 * 6].astype(np.float32) / 32768.0).tobytes()
    frames = b"".join(bytes([0, 0]) + raw[i * 1920:(i + 1) * 1920] for i in range(6))
    write("frames", "speech_raw", bytes([0]) + frames)
    write("frames", "speech_nan_speech",
          bytes([0]) + frames[: 2 * 1922] + bytes([2, 0]) + frames[2 * 1922:])
    write("frames", "inf_huge_denorm", bytes([2]) + bytes([2, 1, 2, 2, 4, 3, 3, 0, 0, 0]) + raw[:1920])
    write("frames", "dc_square", bytes([1]) + bytes([5, 13, 5, 11, 6, 0, 6, 47, 6, 255]))
    write("frames", "nasty_linked", bytes([8]) + bytes([1, 0]) + bytes(range(240)) * 2
          + bytes([1, 0]) + bytes(range(15, -1, -1)) * 30)
    write("frames", "oracle", bytes([16]) + bytes([0, 0]) + raw[:1920] + bytes([0, 0]) + raw[1920:3840]
          + bytes([2, 0, 6, 3]))


def cli_seeds():
    t = tempfile.mkdtemp()
    n = 800  # samples
    x = (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / 16000)).astype(np.float32)
    src = os.path.join(t, "src.f32")
    x.tofile(src)
    base = ["sox", "-q", "-D", "-t", "raw", "-r", "16000", "-c", "1", "-e", "floating-point",
            "-b", "32", src]
    for name, args in (("s16.wav", ["-b", "16", "-e", "signed"]),
                       ("u8.wav", ["-b", "8", "-e", "unsigned"]),
                       ("f32.wav", ["-b", "32", "-e", "floating-point"]),
                       ("ulaw.au", ["-e", "u-law"]),
                       ("s16.flac", ["-b", "16"]),
                       ("ima.wav", ["-e", "ima-adpcm"]),
                       ("stereo_44k.wav", ["-b", "16", "-c", "2", "-r", "44100"])):
        out = os.path.join(t, name)
        subprocess.run(base + args + [out], check=True)
        with open(out, "rb") as f:
            write("cli_input", name, bytes([0]) + f.read())
    wav = os.path.join(t, "s16.wav")
    # fixed stream serials and no encoder tags: the seeds are reproducible
    for name, cmd in (("vorbis.ogg", ["ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-c:a",
                                      "libvorbis", "-fflags", "+bitexact", "-flags:a", "+bitexact",
                                      os.path.join(t, "vorbis.ogg")]),
                      ("opus.opus", ["opusenc", "--quiet", "--serial", "1", "--bitrate", "16",
                                     wav, os.path.join(t, "opus.opus")]),
                      ("s24.aiff", ["ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-c:a",
                                    "pcm_s24be", "-fflags", "+bitexact", "-flags:a", "+bitexact",
                                    os.path.join(t, "s24.aiff")]),
                      ("mp3.mp3", ["ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-b:a", "32k",
                                   "-fflags", "+bitexact", "-flags:a", "+bitexact",
                                   os.path.join(t, "mp3.mp3")])):
        subprocess.run(cmd, check=True)
        with open(os.path.join(t, name), "rb") as f:
            write("cli_input", name, bytes([0]) + f.read())
    pcm = (x * 32767).astype("<i2").tobytes()
    # raw: byte 0 bit 0 set; rate index 0 = 8000, 3 = 48000; channels; encoding index
    write("cli_input", "raw_s16_8k", bytes([1, 0, 1, 0]) + pcm)
    write("cli_input", "raw_f32_48k_stereo", bytes([1, 3, 2, 5]) + x.tobytes())
    write("cli_input", "raw_u8_bigendian", bytes([1, 1, 1, 8 | 4]) + bytes(range(256)) * 2)
    bad = struct.pack("<4sI4s", b"RIFF", 0xFFFFFFF0, b"WAVE") + b"fmt " + struct.pack(
        "<IHHIIHH", 16, 3, 1, 48000, 192000, 4, 32) + b"data" + struct.pack("<I", 64) + \
        struct.pack("<16f", *([float("nan"), float("inf"), 1e30, -1e30] * 4))
    write("cli_input", "float_nan_inf.wav", bytes([0]) + bad)
    for f in os.listdir(t):
        os.unlink(os.path.join(t, f))
    os.rmdir(t)


if __name__ == "__main__":
    model_seeds()
    frame_seeds()
    cli_seeds()
