"""Halves of scripts/compare-hf.sh (run that; it prepares the venv this needs).

  docs TBAQ_DIR OUT [--limit N]
      TempEval-3 TBAQ .tml files -> JSON lines {"id", "text", "published"} for
      `annalist batch`: the <TEXT> element without its tags, the DCT as YYYY-MM-DD.
  compare RESULTS MODEL --annalist-seconds S [--batch-sizes 1,8,32] [--show-diffs N]
      Tags the sentences of annalist's results.jsonl with the `transformers`
      token-classification pipeline (aggregation "first", CPU, float32; sentences
      sorted by length) at each batch size, then prints the sentences/s of each, how
      many entities agree exactly with annalist's, and the ratio annalist / best HF.
"""
import argparse
import glob
import json
import os
import sys
import time
import xml.etree.ElementTree as ET


def docs(args):
    paths = sorted(glob.glob(os.path.join(args.tbaq, "*", "*.tml")))
    if not paths:
        sys.exit(f"compare_hf: no .tml files under {args.tbaq}/*/")
    with open(args.out, "w") as out:
        for path in paths[: args.limit]:
            root = ET.parse(path).getroot()
            doc = {
                "id": os.path.splitext(os.path.basename(path))[0],
                "text": "".join(root.find("TEXT").itertext()),
                "published": root.find("DCT/TIMEX3").get("value")[:10],
            }
            out.write(json.dumps(doc) + "\n")


def in_pieces(ours, theirs):
    """How many of `ours` are missing from `theirs` while every entity of `theirs` that
    overlaps them (one at least) lies inside them, with the same type."""
    extra = theirs - ours
    n = 0
    for doc, s, e, typ in ours - theirs:
        over = [(hs, he, t) for d, hs, he, t in extra if d == doc and hs < e and s < he]
        n += bool(over) and all(s <= hs and he <= e and t == typ for hs, he, t in over)
    return n


def compare(args):
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    results = [json.loads(line) for line in open(args.results)]
    sents = [(r["id"], s, r["text"][s:e]) for r in results for s, e in r["sentences"]]
    texts = [t for _, _, t in sents]
    ours = {(r["id"], m["start"], m["end"], m["type"]) for r in results for m in r["mentions"]}

    model = AutoModelForTokenClassification.from_pretrained(args.model, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    tagger = pipeline("token-classification", model=model, tokenizer=tokenizer,
                      aggregation_strategy="first", device="cpu")
    tagger(texts[:8])  # warm-up, untimed

    # Sorted by length, so that batches hold sentences of similar length (less padding).
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    rows, best = [], None
    for bs in args.batch_sizes:
        t0 = time.perf_counter()
        out = tagger([texts[i] for i in order], batch_size=bs)
        secs = time.perf_counter() - t0
        theirs = {(sents[i][0], sents[i][1] + e["start"], sents[i][1] + e["end"], e["entity_group"])
                  for i, ents in zip(order, out) for e in ents}
        rows.append((f"HF pipeline, batch_size {bs}", len(texts) / secs, secs, theirs))
        if best is None or rows[-1][1] > best[1]:
            best = rows[-1]

    print(f"{len(results)} documents, {len(texts)} sentences, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}")
    print(f"{'':28} {'sentences/s':>11} {'seconds':>8} {'entities':>8} {'identical':>9} {'in pieces':>9}")
    print(f"{'annalist batch (whole run)':28} {len(texts) / args.annalist_seconds:11.2f} "
          f"{args.annalist_seconds:8.2f} {len(ours):8}")
    for name, rate, secs, theirs in rows:
        same = len(ours & theirs)
        print(f"{name:28} {rate:11.2f} {secs:8.2f} {len(theirs):8} {same:9} {in_pieces(ours, theirs):9}  "
              f"identical: {100 * same / max(len(ours), 1):.1f}% of annalist's, {100 * same / max(len(theirs), 1):.1f}% of HF's")
    print("(in pieces: annalist entities that HF has only in pieces of the same type: its \"first\"\n"
          " aggregation ends words at every punctuation mark, U.S. -> U . S . with the dots O)")
    for label, diff in (("annalist only", ours - best[3]), ("HF only", best[3] - ours)):
        for doc, s, e, typ in sorted(diff)[: args.show_diffs]:
            text = next(r["text"] for r in results if r["id"] == doc)
            print(f"  {label}: {doc} {s}-{e} {typ} {text[s:e]!r}")
    ours_rate = len(texts) / args.annalist_seconds
    print(f"ratio: annalist {ours_rate:.2f} sentences/s / HF {best[1]:.2f} sentences/s = {ours_rate / best[1]:.2f}x")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(required=True)
    d = sub.add_parser("docs")
    d.add_argument("tbaq")
    d.add_argument("out")
    d.add_argument("--limit", type=int)
    d.set_defaults(run=docs)
    c = sub.add_parser("compare")
    c.add_argument("results")
    c.add_argument("model")
    c.add_argument("--annalist-seconds", type=float, required=True)
    c.add_argument("--batch-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    c.add_argument("--show-diffs", type=int, default=0)
    c.set_defaults(run=compare)
    args = p.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
