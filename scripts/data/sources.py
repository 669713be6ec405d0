"""sources.py - the catalogue of training speech and noise: which files of the
unpacked Debian packages (scripts/data/fetch.sh) and of the shared speech
folder are used, under which speaker label, source name and licence.

Sources reserved for independent evaluation are never listed here:
  the Danish, English and Dutch clips of tuxpaint-stamps-default, klettres-data
  and ktuberling-data; the hedgewars voice packs British and Default_es;
  asterisk-core-sounds-ru-g722; fillets-ng-data-nl; 0ad-data
  audio/ambient/water; redeclipse-data; supertuxkart-data music.
is_reserved() re-checks every path so that a future edit of a glob cannot
let one of them in.

Each entry is a dict: path, kind ("speech" | "noise"), speaker, source,
licence, cutoff_hz (known bandwidth in Hz, or 0 = measure it).
"""

import csv
import os
import re

# Language codes reserved (with their regional variants: en_GB, en_US, ...).
_REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# The data folder (fetched packages, prepared audio, dumps, models):
# $PERCEPNET_DATA, else data/ under the repository (git-ignored).
DATA_DIR = os.environ.get("PERCEPNET_DATA") or os.path.join(_REPO, "data")
# The shared folder (docs/, data/speech/, peers/): $PERCEPNET_SHARED, else
# the folder "shared" beside the repository.
SHARED_DIR = os.environ.get("PERCEPNET_SHARED") or os.path.join(os.path.dirname(_REPO), "shared")

RESERVED_LANGS = ("da", "en", "nl")
RESERVED_HEDGEWARS_PACKS = ("British", "Default_es")
# Processed (vocoded) voices: not a clean-speech target.
SKIPPED_HEDGEWARS_PACKS = ("Robot",)
AUDIO_EXT = (".ogg", ".wav", ".flac", ".opus", ".mp3", ".g722", ".oga", ".aiff", ".aif")


def _lang_reserved(lang):
    base = re.split(r"[_@.-]", lang)[0].lower()
    return base in RESERVED_LANGS


def is_reserved(path):
    """True when path lies in a source reserved for evaluation."""
    p = path.replace("\\", "/")
    if "asterisk-core-sounds-ru" in p or "/ru_RU" in p and "asterisk" in p:
        return True
    if "fillets-ng-data-nl" in p or re.search(r"/fillets-ng/sound/[^/]+/nl/", p):
        return True
    if "redeclipse" in p:
        return True
    if "0ad" in p and "ambient/water" in p:
        return True
    if "supertuxkart" in p and "/music/" in p:
        return True
    m = re.search(r"/hedgewars/Data/Sounds/voices/([^/]+)/", p)
    if m and m.group(1) in RESERVED_HEDGEWARS_PACKS:
        return True
    if "/tuxpaint/stamps/" in p:
        m = re.search(r"_desc(?:_([A-Za-z@_]+))?\.ogg", os.path.basename(p))
        # "<name>_desc.ogg" without a language is the English description.
        if m and (m.group(1) is None or _lang_reserved(m.group(1))):
            return True
    m = re.search(r"/klettres/([^/]+)/", p)
    if m and _lang_reserved(m.group(1)):
        return True
    m = re.search(r"/ktuberling/sounds/([^/]+)/", p)
    if m and _lang_reserved(m.group(1)):
        return True
    return False


def _walk(root, exts=AUDIO_EXT):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.lower().endswith(exts):
                out.append(os.path.join(d, f))
    out.sort()
    return out


def _entry(path, kind, speaker, source, licence, cutoff_hz=0.0, vetted=False):
    """vetted: the clip already passed a clipping check by its curator (the
    shared speech folder: <= 0.2 % clipped samples), so prepare.py trusts
    that rather than its own cruder near-peak count."""
    return {"path": path, "kind": kind, "speaker": speaker, "source": source,
            "licence": licence, "cutoff_hz": float(cutoff_hz), "vetted": vetted}


def shared_speech(shared_dir):
    """The free-licensed 44.1 kHz speech of shared/data/speech/ (manifests
    give speaker and measured cutoff). gcompris-voices and its wideband
    folder share speakers, so both map to one label space."""
    out = []
    for folder, prefix in (("gcompris-voices", "gcompris"),
                           ("gcompris-voices-wideband", "gcompris"),
                           ("artikulate-data", "artikulate")):
        man = os.path.join(shared_dir, folder, "manifest.tsv")
        if not os.path.exists(man):
            continue
        with open(man, newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                # "lang:Name": a named person may speak several languages
                # (one label, so validation holds the person out entirely)
                lang, _, name = row["speaker"].partition(":")
                anon = not name or name == "unknown" or "://" in name
                spk = row["speaker"] if anon else name
                out.append(_entry(os.path.join(shared_dir, folder, row["file"]), "speech",
                                  "%s:%s" % (prefix, spk), folder,
                                  row["license"], float(row["cutoff_hz"]), vetted=True))
    return out


def debian_speech(deb):
    out = []
    j = os.path.join
    # fillets-ng-data-cs: files <level>-<character>-<line>.ogg; the two fish
    # (m = small, v = big) run through the game. The level characters share
    # a small cast, so they form one label ("other"), never split between
    # training and validation.
    for p in _walk(j(deb, "fillets-ng-data-cs/usr/share/games/fillets-ng/sound")):
        if "/cs/" not in p:
            continue
        parts = os.path.basename(p).split("-")
        ch = parts[1] if len(parts) > 2 else "other"
        spk = "fillets-cs:" + (ch if ch in ("m", "v") else "other")
        out.append(_entry(p, "speech", spk, "fillets-ng-data-cs", "GPL-2"))
    # asterisk prompts: the voice is in the folder name (en_US_f_Allison ...).
    for lang in ("en", "es", "fr", "it"):
        for p in _walk(j(deb, "asterisk-core-sounds-%s-g722/usr/share/asterisk/sounds" % lang)):
            voice = p.split("/sounds/")[1].split("/")[0]
            name = voice.split("_")[-1]
            out.append(_entry(p, "speech", "asterisk:" + name,
                              "asterisk-core-sounds-%s-g722" % lang, "CC-BY-SA-3.0", 7000.0))
    for p in _walk(j(deb, "tuxpaint-stamps-default/usr/share/tuxpaint/stamps")):
        m = re.search(r"_desc_([A-Za-z@_]+?)(?:\.ogg)+$", os.path.basename(p))
        if not m:
            continue
        out.append(_entry(p, "speech", "tuxpaint:" + m.group(1), "tuxpaint-stamps-default", "GPL-2"))
    root = j(deb, "klettres-data/usr/share/klettres")
    if os.path.isdir(root):
        for lang in sorted(os.listdir(root)):
            if lang in ("icons", "pics") or not os.path.isdir(j(root, lang)):
                continue
            for p in _walk(j(root, lang)):
                out.append(_entry(p, "speech", "klettres:" + lang, "klettres-data", "GPL-2+"))
    root = j(deb, "ktuberling-data/usr/share/ktuberling/sounds")
    if os.path.isdir(root):
        for lang in sorted(os.listdir(root)):
            if not os.path.isdir(j(root, lang)):
                continue
            for p in _walk(j(root, lang)):
                out.append(_entry(p, "speech", "ktuberling:" + lang.split("@")[0],
                                  "ktuberling-data", "GPL-2+"))
    root = j(deb, "hedgewars-data/usr/share/games/hedgewars/Data/Sounds/voices")
    if os.path.isdir(root):
        for pack in sorted(os.listdir(root)):
            if pack in SKIPPED_HEDGEWARS_PACKS:
                continue
            for p in _walk(j(root, pack)):
                out.append(_entry(p, "speech", "hedgewars:" + pack, "hedgewars-data", "GPL-2"))
    return [e for e in out if not is_reserved(e["path"])]


def debian_noise(deb):
    out = []
    j = os.path.join
    for p in _walk(j(deb, "megaglest-data/usr/share/games/megaglest/tilesets")):
        if "/sounds/" in p:
            out.append(_entry(p, "noise", "", "megaglest-data", "CC-BY-SA-3.0"))
    for p in _walk(j(deb, "supertuxkart-data/usr/share/games/supertuxkart/data/sfx")):
        out.append(_entry(p, "noise", "", "supertuxkart-data", "CC-BY-SA/CC0"))
    for p in _walk(j(deb, "torcs-data/usr/share/games/torcs")):
        out.append(_entry(p, "noise", "", "torcs-data", "GPL-2/FAL"))
    for p in _walk(j(deb, "sonic-pi-samples/usr/share/sonic-pi/samples")):
        b = os.path.basename(p)
        if b.startswith(("ambi_", "vinyl_")):
            out.append(_entry(p, "noise", "", "sonic-pi-samples", "CC0"))
    for p in _walk(j(deb, "colobot-common-sounds/usr/share/games/colobot/music")):
        out.append(_entry(p, "noise", "", "colobot-music", "GPL-3"))
    for p in _walk(j(deb, "hedgewars-data/usr/share/games/hedgewars/Data/Music")):
        out.append(_entry(p, "noise", "", "hedgewars-music", "GPL-2"))
    # 0ad-data keeps its audio in a zip; prepare.py unpacks audio/ambient
    # into 0ad-ambient/ when the package was fetched (fetch.sh --with-0ad).
    for p in _walk(j(deb, "0ad-ambient")):
        out.append(_entry(p, "noise", "", "0ad-data", "CC-BY-SA-3.0"))
    return [e for e in out if not is_reserved(e["path"])]


def user_dir(root, kind, name):
    """Any folder of audio: speaker = first-level sub-folder (or the folder's
    own name when files lie at the top); bandwidth is measured."""
    out = []
    root = os.path.abspath(root)
    for p in _walk(root):
        rel = os.path.relpath(p, root)
        spk = rel.split(os.sep)[0] if os.sep in rel else os.path.basename(root)
        out.append(_entry(p, kind, "%s:%s" % (name, spk) if kind == "speech" else "",
                          name, "user"))
    return out
