"""The torch network (training only; imports torch).  Char-CNN + frozen word/stem vectors +
proclitic/shape embeddings → BiLSTM → per-label emissions; a linear-chain CRF on top.

The backward LSTM reads each sentence reversed *within its own length* (a gather, not packed
sequences), so padding never reaches a real token and a sentence is tagged the same whatever
batch it is in; the graph exports to plain ONNX (LSTM + GatherElements)."""

from __future__ import annotations

import torch
from torch import nn

from .features import N_PREFIX, N_SHAPE


class Tagger(nn.Module):
    def __init__(
        self,
        n_chars: int,
        n_labels: int,
        wdim: int = 100,
        cdim: int = 32,
        cfilters: int = 64,
        hidden: int = 128,
        dropout: float = 0.5,
        layers: int = 1,
        cwidths=(3,),
        n_twords: int = 0,
        tdim: int = 0,
        gdim: int = 0,
    ):
        super().__init__()
        self.cemb = nn.Embedding(n_chars, cdim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(cdim, cfilters, kernel_size=k, padding=k // 2) for k in cwidths)
        self.pemb = nn.Embedding(N_PREFIX, 8)
        self.semb = nn.Embedding(N_SHAPE, 4)
        self.temb = nn.Embedding(n_twords, tdim) if tdim else None
        self.gdim = gdim
        d_in = 2 * wdim + cfilters * len(cwidths) + 8 + 4 + tdim + gdim
        self.layers = layers
        self.fw = nn.ModuleList()
        self.bw = nn.ModuleList()
        for i in range(layers):
            d = d_in if i == 0 else 2 * hidden
            self.fw.append(nn.LSTM(d, hidden, batch_first=True))
            self.bw.append(nn.LSTM(d, hidden, batch_first=True))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden, n_labels)

    def forward(self, wv, sv, pid, shp, cid, lens, tid, gz):
        B, T, C = cid.shape
        t = torch.arange(T, device=wv.device).unsqueeze(0).expand(B, T)
        L = lens.unsqueeze(1)
        rev = torch.where(t < L, L - 1 - t, t)  # [B, T]
        ce = self.cemb(cid.reshape(B * T, C)).transpose(1, 2)  # [BT, cdim, C]
        cmask = cid.reshape(B * T, 1, C) > 0
        parts = [wv, sv]
        for conv in self.convs:
            co = conv(ce)[:, :, :C]  # [BT, F, C]
            co = co.masked_fill(~cmask, -1e4).amax(dim=2)  # [BT, F]
            parts.append(torch.relu(co).reshape(B, T, -1))
        parts += [self.pemb(pid), self.semb(shp)]
        if self.temb is not None:
            parts.append(self.temb(tid))
        if self.gdim:
            parts.append(gz)
        x = torch.cat(parts, dim=-1)
        x = self.drop(x)
        for i in range(self.layers):
            idx = rev.unsqueeze(2).expand(B, T, x.shape[2])
            hf, _ = self.fw[i](x)
            hb, _ = self.bw[i](torch.gather(x, 1, idx))
            hb = torch.gather(hb, 1, rev.unsqueeze(2).expand(B, T, hb.shape[2]))
            x = self.drop(torch.cat([hf, hb], dim=-1))
        return self.out(x)


class CRF(nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(n, n))  # trans[i, j]: score of i → j
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))

    def nll(self, em, tags, mask):
        """Mean negative log-likelihood.  em [B,T,K], tags [B,T], mask [B,T] bool."""
        B, T, K = em.shape
        maskf = mask.float()
        # gold path score
        s = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for t in range(1, T):
            step = self.trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
            s = s + step * maskf[:, t]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        s = s + self.end[last]
        # partition
        a = self.start.unsqueeze(0) + em[:, 0]
        for t in range(1, T):
            nxt = torch.logsumexp(a.unsqueeze(2) + self.trans.unsqueeze(0) + em[:, t].unsqueeze(1), dim=1)
            a = torch.where(mask[:, t : t + 1], nxt, a)
        logz = torch.logsumexp(a + self.end.unsqueeze(0), dim=1)
        return (logz - s).mean()


class Mimick(nn.Module):
    """Predicts a word vector from the word's characters (Pinter et al. 2017's idea, with a
    CNN): trained to reproduce the pretrained vectors of the vocabulary, then used for words
    the vocabulary lacks."""

    def __init__(self, n_chars: int, wdim: int = 100, cdim: int = 32, filters: int = 96, widths=(2, 3, 4, 5)):
        super().__init__()
        self.cemb = nn.Embedding(n_chars, cdim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(cdim, filters, kernel_size=k, padding=k // 2) for k in widths)
        self.hid = nn.Linear(filters * len(widths), 256)
        self.out = nn.Linear(256, wdim)

    def forward(self, cid):  # [N, C]
        C = cid.shape[1]
        ce = self.cemb(cid).transpose(1, 2)
        m = (cid > 0).unsqueeze(1)
        hs = [conv(ce)[:, :, :C].masked_fill(~m, -1e4).amax(2) for conv in self.convs]
        return self.out(torch.tanh(self.hid(torch.relu(torch.cat(hs, 1)))))
