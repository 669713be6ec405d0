"""Reader and writer of the percepnet model file format (weights/FORMAT.md).

write_pnm(tensors) -> bytes, tensors: list of (name, numpy array) with dtype
float32 or int8. read_pnm(bytes, any_version=False) -> dict name -> numpy
array (validates the header, directory and checksum like the C loader, less
strictly on values).
"""
import struct

import numpy as np

MAGIC = b"PNETMODL"
VERSION = 2  # 2: level-relative band-energy features (weights/FORMAT.md)
HEADER_SIZE = 32
ENTRY_SIZE = 80
NAME_SIZE = 40
ALIGN = 16
DTYPE_F32 = 1
DTYPE_I8 = 2
FNV_BASIS = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1


def fnv1a64(data):
    """FNV-1a 64 of a bytes object (the file checksum)."""
    h = FNV_BASIS
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK64
    return h


def _pad(n):
    return (-n) % ALIGN


def write_pnm(tensors):
    n = len(tensors)
    dir_end = HEADER_SIZE + ENTRY_SIZE * n
    offset = dir_end + _pad(dir_end)
    entries, blobs = [], []
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr)
        if arr.dtype == np.float32:
            dtype = DTYPE_F32
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{name}: NaN or infinity")
        elif arr.dtype == np.int8:
            dtype = DTYPE_I8
        else:
            raise ValueError(f"{name}: dtype {arr.dtype} not float32/int8")
        nb = name.encode("ascii")
        if not nb or len(nb) >= NAME_SIZE:
            raise ValueError(f"{name}: name length")
        if not 1 <= arr.ndim <= 4:
            raise ValueError(f"{name}: rank {arr.ndim}")
        dims = list(arr.shape) + [0] * (4 - arr.ndim)
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        entries.append(nb.ljust(NAME_SIZE, b"\0") +
                       struct.pack("<II4IQQ", dtype, arr.ndim, *dims, offset, len(data)))
        blobs.append(data + b"\0" * _pad(len(data)))
        offset += len(data) + _pad(len(data))
    size = offset + 8
    body = (MAGIC + struct.pack("<IIQII", VERSION, n, size, HEADER_SIZE, 0) +
            b"".join(entries) + b"\0" * _pad(dir_end) + b"".join(blobs))
    assert len(body) == size - 8
    return body + struct.pack("<Q", fnv1a64(body))


def read_pnm(data, any_version=False):
    """any_version: accept every format version (the tensor layout has not
    changed across versions; what a version pins is the features the weights
    were trained for), e.g. to warm-start training from an older model."""
    if len(data) < HEADER_SIZE + 8 or data[:8] != MAGIC:
        raise ValueError("not a percepnet model file")
    version, n, size, dir_off, reserved = struct.unpack_from("<IIQII", data, 8)
    if version != VERSION and not any_version:
        raise ValueError(f"unsupported version {version}")
    if size != len(data) or dir_off != HEADER_SIZE or reserved:
        raise ValueError("bad header")
    if struct.unpack_from("<Q", data, size - 8)[0] != fnv1a64(data[:size - 8]):
        raise ValueError("checksum mismatch")
    out = {}
    for i in range(n):
        e = HEADER_SIZE + ENTRY_SIZE * i
        name = data[e:e + NAME_SIZE].split(b"\0")[0].decode("ascii")
        dtype, ndim, d0, d1, d2, d3, off, nbytes = struct.unpack_from("<II4IQQ", data, e + NAME_SIZE)
        shape = (d0, d1, d2, d3)[:ndim]
        npt = np.dtype("<f4") if dtype == DTYPE_F32 else np.dtype("i1")
        arr = np.frombuffer(data, dtype=npt, count=int(np.prod(shape)), offset=off)
        out[name] = arr.reshape(shape).astype(np.float32 if dtype == DTYPE_F32 else np.int8)
    return out
