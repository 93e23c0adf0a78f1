"""The ONNX graphs the run-time NER loads, made from the exported ``tagger.onnx``: the character
CNN split out of the tagger (run once per distinct word) and the body's LSTM pairs fused into one
bidirectional LSTM each.  Needs only ``onnx`` (no torch); :func:`marsad.extract.ner.train.train_ner`
calls it after the export, so ``marsad train ner`` rebuilds the shipped files."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def split_tagger(out: Path) -> None:
    """Splits ``out/tagger.onnx`` into ``char_encoder.onnx`` (char ids [N,1,C] → per-token
    char-CNN vector ``cv`` [N,F]) and ``tagger_body.onnx`` (``cv`` [B,T,F] + the other inputs →
    ``em``), so that inference runs the character CNN once per distinct word.  Needs only
    ``onnx``; the arithmetic of both parts is the original graph's (the body's LSTM pairs are
    fused by :func:`fuse_bilstm`, same results)."""
    import onnx
    from onnx import helper

    out = Path(out)
    m = onnx.load(str(out / "tagger.onnx"))
    g = m.graph
    prod = {o: n for n in g.node for o in n.output}
    cat = next(n for n in g.node if n.op_type == "Concat" and "wv" in n.input)
    ins = list(cat.input)
    k = ins.index("sv") + 1
    char_parts = []
    while (
        k < len(ins)
        and ins[k] in prod
        and prod[ins[k]].op_type == "Reshape"
        and prod[prod[ins[k]].input[0]].op_type == "Relu"
    ):
        char_parts.append(ins[k])
        k += 1
    if not char_parts:
        raise RuntimeError("tagger.onnx: char-CNN outputs not found")
    relus = [prod[c].input[0] for c in char_parts]  # [B*T, F_i]

    def prune(graph, inputs, outputs):
        need = set(outputs)
        keep = []
        for n in reversed(list(graph.node)):
            if any(o in need for o in n.output):
                keep.append(n)
                need.update(i for i in n.input if i)
        keep.reverse()
        names = {i for n in keep for i in n.input}
        inits = [t for t in graph.initializer if t.name in names]
        gi = [i for i in graph.input if i.name in inputs]
        return keep, inits, gi

    # char encoder: the original nodes up to the ReLUs, fed cid as [N, 1, C]
    enc_nodes, enc_inits, enc_in = prune(g, {"cid"}, relus)
    enc_nodes = [onnx.NodeProto.FromString(n.SerializeToString()) for n in enc_nodes]
    enc_nodes.append(helper.make_node("Concat", relus, ["cv"], axis=1, name="cv_concat"))
    cid_in = helper.make_tensor_value_info("cid", onnx.TensorProto.INT64, ["N", 1, "C"])
    cv_out = helper.make_tensor_value_info("cv", onnx.TensorProto.FLOAT, ["N", "F"])
    eg = helper.make_graph(enc_nodes, "char_encoder", [cid_in], [cv_out], enc_inits)
    em_ = helper.make_model(eg, opset_imports=m.opset_import, ir_version=m.ir_version)
    onnx.checker.check_model(em_)
    onnx.save(em_, str(out / "char_encoder.onnx"))

    # body: the char parts of the concat replaced by one input cv [B,T,F]; B and T from pid
    nodes = []
    for n in g.node:
        n = onnx.NodeProto.FromString(n.SerializeToString())
        if n.name == cat.name:
            new = ins[: ins.index(char_parts[0])] + ["cv"] + ins[ins.index(char_parts[-1]) + 1 :]
            del n.input[:]
            n.input.extend(new)
        nodes.append(n)
    body_g = helper.make_graph(nodes, "tagger_body", list(g.input), list(g.output), list(g.initializer))
    keep, inits, _ = prune(body_g, set(), [o.name for o in g.output])
    used = {i for n in keep for i in n.input}
    for n in keep:
        if n.op_type == "Shape" and n.input[0] == "cid":
            n.input[0] = "pid"
            used.add("pid")
    # the remaining uses of cid (its shape) only read dims 0 and 1, which pid shares
    assert not any(i == "cid" for n in keep for i in n.input), "body still reads cid"
    cv_in = helper.make_tensor_value_info("cv", onnx.TensorProto.FLOAT, ["B", "T", "F"])
    b_in = [i for i in g.input if i.name in used and i.name != "cid"]
    b_in.insert(2, cv_in)
    bg = helper.make_graph(keep, "tagger_body", b_in, list(g.output), inits)
    bm = helper.make_model(bg, opset_imports=m.opset_import, ir_version=m.ir_version)
    bm = fuse_bilstm(bm)
    onnx.checker.check_model(bm)
    onnx.save(bm, str(out / "tagger_body.onnx"))


def fuse_bilstm(model):
    """The exported body with each forward/backward LSTM pair of :class:`net.Tagger` replaced by
    one ONNX LSTM, ``direction="bidirectional"`` with ``sequence_lens`` = ``lens``.

    The torch graph reverses each sentence within its length by GatherElements before the backward
    LSTM and gathers its outputs back; onnxruntime's LSTM with ``sequence_lens`` reads the same
    steps in the same order, so the emissions of the real tokens are bit-identical (checked on all
    the batches of 3,500 ant_bench articles, and random batches of 1-64 sentences), while the
    gathers, shape arithmetic and transposes around them go: ~6% less time in the body.  Padding
    positions now get zero hidden states; nothing reads their emissions.  A graph without such
    pairs (e.g. already fused) is returned unchanged."""
    import onnx
    from onnx import helper, numpy_helper

    g = model.graph
    prod = {o: n for n in g.node for o in n.output}
    cons: dict[str, list] = {}
    for n in g.node:
        for i in n.input:
            cons.setdefault(i, []).append(n)
    inits = {t.name: t for t in g.initializer}
    lstms = {n.name: n for n in g.node if n.op_type == "LSTM"}
    replace: dict[str, list] = {}  # name of the Concat [hf, hb] -> the nodes replacing it
    new_inits = []
    layer = 0
    while f"/fw.{layer}/LSTM" in lstms and f"/bw.{layer}/LSTM" in lstms:
        fw, bw = lstms[f"/fw.{layer}/LSTM"], lstms[f"/bw.{layer}/LSTM"]
        cat = _lstm_pair_concat(fw, bw, prod, cons)
        hidden = helper.get_attribute_value(fw.attribute[0])
        weights = []
        for k, part in ((1, "W"), (2, "R"), (3, "B")):
            both = np.concatenate(
                [numpy_helper.to_array(inits[fw.input[k]]), numpy_helper.to_array(inits[bw.input[k]])], axis=0
            )
            name = f"bilstm.{layer}.{part}"
            new_inits.append(numpy_helper.from_array(both, name))
            weights.append(name)
        p = f"/bilstm.{layer}"
        shape = numpy_helper.from_array(np.array([0, 0, 2 * hidden], np.int64))
        replace[cat.name] = [
            # fw's input, x as [T, B, D]; Y [T, 2, B, H] -> [B, T, 2, H] -> [B, T, 2H] = [hf, hb]
            helper.make_node(
                "LSTM",
                [fw.input[0], *weights, "lens_i32"],
                [p + "/Y"],
                hidden_size=hidden,
                direction="bidirectional",
                name=p + "/LSTM",
            ),
            helper.make_node("Transpose", [p + "/Y"], [p + "/Y_bt"], perm=[2, 0, 1, 3], name=p + "/Transpose"),
            helper.make_node("Constant", [], [p + "/shape"], value=shape, name=p + "/shape"),
            helper.make_node("Reshape", [p + "/Y_bt", p + "/shape"], [cat.output[0]], name=p + "/Reshape"),
        ]
        layer += 1
    if not replace:
        return model
    nodes = [helper.make_node("Cast", ["lens"], ["lens_i32"], to=onnx.TensorProto.INT32, name="/lens_i32")]
    for n in g.node:
        nodes += replace.get(n.name, [n])
    # drop what only the old pairs used (the gathers, the old LSTMs and their weights)
    need = {o.name for o in g.output}
    keep = []
    for n in reversed(nodes):
        if any(o in need for o in n.output):
            keep.append(n)
            need.update(i for i in n.input if i)
    keep.reverse()
    used = {i for n in keep for i in n.input}
    fused = helper.make_graph(
        keep, g.name, list(g.input), list(g.output), [t for t in g.initializer if t.name in used] + new_inits
    )
    return helper.make_model(fused, opset_imports=model.opset_import, ir_version=model.ir_version)


def _lstm_pair_concat(fw, bw, prod, cons):
    """The Concat joining the outputs of a ``net.Tagger`` LSTM pair, after checking the pattern
    ``fuse_bilstm`` relies on: plain LSTMs (hidden_size only, zero initial states), fw reading
    Transpose(x), bw reading Transpose(GatherElements(x)), bw's output gathered back."""
    from onnx import numpy_helper

    for n in (fw, bw):
        if [a.name for a in n.attribute] != ["hidden_size"] or len(n.input) != 7 or n.input[4]:
            raise RuntimeError(f"{n.name}: not a plain LSTM")
        for s in n.input[5:]:
            z = prod[s]
            value = [numpy_helper.to_array(a.t) for a in z.attribute if a.name == "value"]
            if z.op_type != "ConstantOfShape" or any(v.any() for v in value):
                raise RuntimeError(f"{n.name}: initial state is not zeros")
    x = prod[fw.input[0]].input[0]
    gin = prod[prod[bw.input[0]].input[0]]
    if prod[fw.input[0]].op_type != "Transpose" or gin.op_type != "GatherElements" or gin.input[0] != x:
        raise RuntimeError(f"{bw.name}: input is not the reversed input of {fw.name}")

    def after(n, *ops):  # follow the consumers of the given types
        for op in ops:
            n = next((c for c in cons.get(n.output[0], ()) if c.op_type == op), None)
            if n is None:
                raise RuntimeError(f"LSTM pair {fw.name}: no {op} after it")
        return n

    hf = after(fw, "Squeeze", "Transpose")
    cat = after(bw, "Squeeze", "Transpose", "GatherElements", "Concat")
    if list(cat.input[:1]) != [hf.output[0]] or len(cat.input) != 2:
        raise RuntimeError(f"{cat.name}: not the concat of the pair's outputs")
    return cat
