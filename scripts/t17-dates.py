#!/usr/bin/env python3
"""Checks of the digest's date choice on the Timeline17 development topics, beside
`annalist eval timeline17`.

  scripts/t17-dates.py ceiling T17_DIR BATCH_DIR
  scripts/t17-dates.py pooled  T17_DIR BATCH_DIR ANNALIST
  scripts/t17-dates.py sweep   T17_DIR BATCH_DIR

BATCH_DIR/TOPIC is an `annalist batch` output folder of T17_DIR/TOPIC/articles.jsonl.

ceiling: per gold timeline, as the protocol reads it (articles published between its
first and last date), how many gold dates any article names at all (a one-day date, or
the day a "since" span starts, in any stored TIMEX3 of the text) or was published on,
hence the best date recall any ranking of those days can have (the digest picks only
among them), and what the count baseline gets.

pooled: a harder variant of our own making. All topics are read as one story, from
the first to the last date of any gold timeline; the gold is the union of the gold
dates, K their number. Articles of one topic are far more numerous than the other's,
and most days of the span have none, as in long stories. Scores `annalist digest`
over the batch folders and the count baseline (the K days the stored TIMEX3s name
most often) by date precision, recall and F1.

sweep: the protocol's date F1 of 648 weightings of per-article evidence on the stored
TIMEX3s: mentions, and articles naming the day (as a one-day date or the start of a
"since" span) published before it, that day, the next day, two days after, three or
more days after, and articles published that day. Prints how many weightings reach
each F1, and the best.
"""
import datetime
import itertools
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def golds(t17):
    """[(topic, name, set of gold days)] of every timeline."""
    out = []
    for path in sorted(glob.glob(os.path.join(t17, "*", "timelines", "*.txt"))):
        topic = path.split(os.sep)[-3]
        with open(path, encoding="utf-8") as f:
            days = {line.strip() for line in f if DAY.match(line.strip())}
        out.append((topic, os.path.basename(path)[:-4], days))
    return out


def articles(batch, topic):
    """[(published day, [(first, last, value, mod)] of its TIMEX3s)] of a batch folder."""
    out = []
    with open(os.path.join(batch, topic, "results.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            published = (r.get("dct") or {}).get("date")
            timexes = [(x["interval"][0], x["interval"][1], x["value"], x.get("mod")) for x in r["timexes"] if x.get("interval")]
            out.append((published, timexes))
    return out


def counts(docs, lo, hi):
    """Mentions of each one-day date within [lo, hi] in articles published then."""
    n = {}
    for published, timexes in docs:
        if published and lo <= published <= hi:
            for first, last, _, _ in timexes:
                if first == last and lo <= first <= hi:
                    n[first] = n.get(first, 0) + 1
    return n


def top(n, k):
    return [d for d, _ in sorted(n.items(), key=lambda x: (-x[1], x[0]))[:k]]


def prf(picked, gold):
    hits = len(set(picked) & gold)
    p = hits / len(set(picked)) if picked else 0.0
    r = hits / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def day_of(first, last, value, mod):
    """The day a TIMEX3 names: its only day, or the day a "since" span starts from.
    (The digest reads only body sentences and leaves out an article's own stamps.)"""
    if first == last:
        return first
    return value if mod == "ON_OR_AFTER" and DAY.match(value) else None


def parts(docs, lo, hi):
    """Per day within [lo, hi], the parts the sweep weighs, from articles published then."""
    out = {}
    for published, timexes in docs:
        if not published or not lo <= published <= hi:
            continue
        out.setdefault(published, {}).setdefault("published", 0)
        out[published]["published"] += 1
        seen = set()
        for timex in timexes:
            day = day_of(*timex)
            if not day or not lo <= day <= hi:
                continue
            f = out.setdefault(day, {})
            f["mentions"] = f.get("mentions", 0) + 1
            if day not in seen:
                seen.add(day)
                gap = (datetime.date.fromisoformat(published) - datetime.date.fromisoformat(day)).days
                key = "gap%d" % max(-1, min(gap, 3))
                f[key] = f.get(key, 0) + 1
    return {d: f for d, f in out.items() if f.get("mentions")}


def sweep(t17, batch):
    timelines = [(parts(articles(batch, topic), min(g), max(g)), g) for topic, _, g in golds(t17)]
    names = ["mentions", "gap-1", "gap0", "gap1", "gap2", "gap3", "published"]
    grid = [[0, 0.25], [0, 0.5], [0.5, 1], [0.5, 1, 1.5], [1, 1.5, 2], [1, 2, 3], [0, 0.25, 0.5]]
    scores = []
    for w in itertools.product(*grid):
        ps, rs = [], []
        for f, gold in timelines:
            rank = sorted(f, key=lambda d: (-sum(x * f[d].get(n, 0) for x, n in zip(w, names)), d))[: len(gold)]
            p, r, _ = prf(rank, gold)
            ps.append(p)
            rs.append(r)
        p, r = sum(ps) / len(ps), sum(rs) / len(rs)
        scores.append((2 * p * r / (p + r) if p + r else 0.0, w))
    counted = {}
    for f1, _ in scores:
        counted[round(f1, 3)] = counted.get(round(f1, 3), 0) + 1
    print("F1: weightings", ", ".join(f"{f}: {n}" for f, n in sorted(counted.items(), reverse=True)))
    best = max(scores)
    print("best", f"{best[0]:.3f}", dict(zip(names, best[1])))


def ceiling(t17, batch):
    recalls, base = [], []
    for topic, name, gold in golds(t17):
        lo, hi = min(gold), max(gold)
        docs = articles(batch, topic)
        named = set()
        for published, timexes in docs:
            if published and lo <= published <= hi:
                named.add(published)
                named.update(day_of(*timex) for timex in timexes)
        reachable = gold & named
        recalls.append(len(reachable) / len(gold))
        base.append(prf(top(counts(docs, lo, hi), len(gold)), gold)[1])
        print(f"{topic}/{name}: K {len(gold)}, named or published on {len(reachable)}, neither {sorted(gold - named)}")
    print(f"best mean recall {sum(recalls) / len(recalls):.3f}; count baseline {sum(base) / len(base):.3f}")


def pooled(t17, batch, annalist):
    gs = golds(t17)
    gold = set().union(*(g for _, _, g in gs))
    lo, hi, k = min(gold), max(gold), len(gold)
    topics = sorted({t for t, _, _ in gs})
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "digest.json")
        cmd = [annalist, "digest", *(os.path.join(batch, t) for t in topics), "--dates", str(k),
               "--published-from", lo, "--published-to", hi, "--output", out]
        subprocess.run(cmd, check=True)
        with open(out, encoding="utf-8") as f:
            picked = [d["date"] for d in json.load(f)["dates"]]
    n = {}
    for t in topics:
        for d, c in counts(articles(batch, t), lo, hi).items():
            n[d] = n.get(d, 0) + c
    print(f"pooled {'+'.join(topics)}, {lo} to {hi}, K {k}")
    for label, days in (("digest", picked), ("count baseline", top(n, k))):
        p, r, f = prf(days, gold)
        print(f"{label:<15} P {p:.3f} R {r:.3f} F1 {f:.3f}  wrong: {' '.join(sorted(set(days) - gold))}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "ceiling":
        ceiling(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "sweep":
        sweep(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "pooled":
        pooled(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
