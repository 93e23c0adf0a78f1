"""A plain post-LayerNorm BERT in torch, built from the dequantized e5 weights (training only).

``EncoderTagger`` = this encoder + a linear head over the first piece of each word; it is what
``marsad train encoder`` fine-tunes and exports to ONNX.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from . import e5file


class Layer(nn.Module):
    def __init__(self, H: int, NH: int, FF: int, eps: float):
        super().__init__()
        self.nh = NH
        self.hd = H // NH
        self.scale = 1.0 / math.sqrt(self.hd)
        self.q, self.k, self.v, self.ao = (nn.Linear(H, H) for _ in range(4))
        self.aln = nn.LayerNorm(H, eps=eps)
        self.fi = nn.Linear(H, FF)
        self.fo = nn.Linear(FF, H)
        self.oln = nn.LayerNorm(H, eps=eps)

    def forward(self, x, bias):
        B, T, H = x.shape
        hd = self.hd

        def heads(t):
            return t.view(B, T, self.nh, hd).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        att = torch.matmul(q, k.transpose(-1, -2)) * self.scale + bias
        ctx = torch.matmul(att.softmax(-1), v).transpose(1, 2).reshape(B, T, H)
        x = self.aln(x + self.ao(ctx))
        h = nn.functional.gelu(self.fi(x))
        return self.oln(x + self.fo(h))


class Encoder(nn.Module):
    def __init__(self, cfg: dict, n_rows: int):
        super().__init__()
        H = cfg["hidden"]
        self.cfg = dict(cfg)
        self.word = nn.Embedding(n_rows, H)
        self.pos = nn.Embedding(cfg["max_pos"], H)
        self.typ = nn.Parameter(torch.zeros(H))
        self.eln = nn.LayerNorm(H, eps=cfg["eps"])
        self.layers = nn.ModuleList(Layer(H, cfg["heads"], cfg["ff"], cfg["eps"]) for _ in range(cfg["layers"]))
        self.frozen = -1  # after freeze(n): the embeddings and n bottom layers run without gradients

    def freeze(self, n_layers: int) -> None:
        self.frozen = n_layers
        for mod in [self.word, self.pos, self.eln] + list(self.layers[:n_layers]):
            for p in mod.parameters():
                p.requires_grad_(False)
        self.typ.requires_grad_(False)

    def forward(self, ids, mask):
        """ids [B,T] (model rows), mask [B,T] (1 = token) → hidden states [B,T,H]."""
        T = ids.shape[1]
        pos = torch.arange(T, device=ids.device)
        bias = (1.0 - mask[:, None, None, :]) * -1e4
        with torch.set_grad_enabled(torch.is_grad_enabled() and self.frozen < 0):
            x = self.eln(self.word(ids) + self.pos(pos)[None] + self.typ)
            for layer in self.layers[: max(self.frozen, 0)]:
                x = layer(x, bias)
        for layer in self.layers[max(self.frozen, 0) :]:
            x = layer(x, bias)
        return x


def load_encoder(f: "e5file.E5File", rows: np.ndarray | None = None) -> Encoder:
    """The encoder with the file's weights; ``rows`` = original piece ids kept as embedding rows
    (all rows when None)."""
    cfg = f.config
    H, FF = cfg["hidden"], cfg["ff"]
    V = cfg["vocab"]
    if rows is None:
        rows = np.arange(V)
    enc = Encoder(cfg, len(rows))
    t = lambda name, shape=None: torch.from_numpy(e5file.tensor(f, name, shape).copy())  # noqa: E731
    with torch.no_grad():
        enc.word.weight.copy_(torch.from_numpy(e5file.tensor(f, "emb.word", (V, H), rows=rows)))
        enc.pos.weight.copy_(t("emb.pos", (cfg["max_pos"], H)))
        enc.typ.copy_(t("emb.type", (cfg["type_vocab"], H))[0])
        enc.eln.weight.copy_(t("emb.ln.w"))
        enc.eln.bias.copy_(t("emb.ln.b"))
        for i, ly in enumerate(enc.layers):
            for name, (o, n) in dict(q=(H, H), k=(H, H), v=(H, H), ao=(H, H), fi=(FF, H), fo=(H, FF)).items():
                lin = getattr(ly, name)
                lin.weight.copy_(t(f"l{i}.{name}.w", (o, n)))
                lin.bias.copy_(t(f"l{i}.{name}.b"))
            for name in ("aln", "oln"):
                ln = getattr(ly, name)
                ln.weight.copy_(t(f"l{i}.{name}.w"))
                ln.bias.copy_(t(f"l{i}.{name}.b"))
    return enc


class EncoderTagger(nn.Module):
    """Encoder + dropout + linear head: emissions [B,T,K] at every piece."""

    def __init__(self, enc: Encoder, n_labels: int, dropout: float = 0.1):
        super().__init__()
        self.enc = enc
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(enc.cfg["hidden"], n_labels)

    def forward(self, ids, mask):
        return self.head(self.drop(self.enc(ids, mask)))
