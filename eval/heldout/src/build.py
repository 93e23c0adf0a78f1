import json, importlib, glob, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
out = []
for f in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "a0*.py"))):
    m = importlib.import_module(os.path.basename(f)[:-3]); out.append(m.D)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gold.jsonl"), "w", encoding="utf-8") as fh:
    for d in out: fh.write(json.dumps(d, ensure_ascii=False) + "\n")
print(len(out), "articles")
