"""ONNX export of the fine-tuned encoder tagger (training only): ``tagger_fp32.onnx`` (kept only
for checks, not shipped) and ``tagger.onnx.gz``, its dynamic-int8 quantization, gzip-compressed
(int8 weights still compress to about 63 %; the run time decompresses it in memory)."""

from __future__ import annotations

from pathlib import Path


def export_onnx(model, out: Path, pad_row: int, keep_fp32: bool = True) -> Path:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    ids = torch.full((2, 7), pad_row, dtype=torch.long)
    mask = torch.ones((2, 7))
    fp32 = out / "tagger_fp32.onnx"
    torch.onnx.export(
        model,
        (ids, mask),
        str(fp32),
        input_names=["ids", "mask"],
        output_names=["em"],
        dynamic_axes={"ids": {0: "B", 1: "T"}, "mask": {0: "B", 1: "T"}, "em": {0: "B", 1: "T"}},
        opset_version=17,
        dynamo=False,
    )
    q = out / "tagger.onnx"
    quantize_dynamic(str(fp32), str(q), weight_type=QuantType.QInt8, per_channel=False)
    if not keep_fp32:
        fp32.unlink()
    return compress(q)


def compress(graph: Path) -> Path:
    """``graph`` gzip-compressed beside it as ``NAME.gz`` (no timestamp: the same bytes every
    time), the plain file removed."""
    import gzip

    gz = graph.with_name(graph.name + ".gz")
    gz.write_bytes(gzip.compress(graph.read_bytes(), compresslevel=9, mtime=0))
    graph.unlink()
    return gz
