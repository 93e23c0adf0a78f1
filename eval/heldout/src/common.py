import json, os
def E(s, t, c, title=None): return {"surface": s, "type": t, "canonical": c, "title": title}
def Q(sp, ss, cue, kind, text): return {"speaker": sp, "speaker_surface": ss, "cue": cue, "kind": kind, "text": text}
def V(t, mode, src, tgt, loc, date, ev): return {"type": t, "mode": mode, "source": src, "target": tgt, "location": loc, "date": date, "evidence": ev}
def T(s, v): return {"surface": s, "value": v, "precision": {10: "day", 7: "month", 4: "year"}[len(v)]}
def A(s, src): return {"surface": s, "source": src}
def doc(id, published, basis, outlet, headline, boilerplate, byline, entities, quotes, events, times, attributions):
    return {"id": id, "file": id + ".txt", "published": published, "published_basis": basis,
            "outlet": {"surface": outlet[0], "name_en": outlet[1]} if outlet else {"surface": None, "name_en": None},
            "headline": headline, "boilerplate": boilerplate, "byline": byline, "entities": entities,
            "quotes": quotes, "events": events, "times": times, "attributions": attributions}
