#!/usr/bin/env python3
"""Other ways to rank a digest's days, tried leave-one-topic-out on the candidate days
`annalist train-date-ranker --examples DAYS.jsonl` writes (needs numpy and
scikit-learn: `pip install scikit-learn`).

  scripts/t17-ranker.py DAYS.jsonl T17_DIR

Each topic's timelines are scored by a model fitted to the other topics' only; a
timeline's score is the share of gold days among the K best candidates (K: the gold's
number of dates; date precision equals recall then). The digest's novelty step is left
out, so the vote's line differs a little from `annalist eval timeline17`'s.

- votes: the articles' vote alone (the digest's default).
- logistic: a logistic regression over all features (what `train-date-ranker` fits),
  each timeline weighing the same, at several strengths of the L2 penalty.
- pairwise: a logistic regression on the differences between a gold and a non-gold
  candidate of the same timeline (a ranking loss).
- trees: gradient-boosted trees of depth 1-3.
- neighbours: the vote, with the days beside a day already taken lowered by a factor
  chosen on the other topics (a day and the next often carry one event).
"""
import collections
import datetime
import glob
import json
import os
import re
import sys

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def gold_sizes(t17):
    sizes = {}
    for f in glob.glob(os.path.join(t17, "*", "timelines", "*.txt")):
        with open(f) as lines:
            days = {l.strip() for l in lines if re.fullmatch(r"\d{4}-\d{2}-\d{2}", l.strip())}
        sizes[os.path.basename(f)[:-4]] = len(days)
    return sizes


def main(days_path, t17):
    with open(days_path) as f:
        rows = [json.loads(l) for l in f]
    k_of = gold_sizes(t17)
    names = list(rows[0]["features"])
    timelines = collections.defaultdict(list)
    for r in rows:
        timelines[(r["topic"], r["timeline"])].append(r)
    topics = sorted({r["topic"] for r in rows})
    matrix = lambda rs: np.array([[r["features"][f] for f in names] for r in rs])

    def share(rs, scores, k):
        best = sorted(range(len(rs)), key=lambda i: (-scores[i], rs[i]["date"]))[:k]
        return sum(rs[i]["key"] for i in best) / k

    def loto(fit):
        out = {}
        for t in topics:
            model = fit([r for r in rows if r["topic"] != t])
            for key, rs in timelines.items():
                if key[0] == t:
                    out[key] = share(rs, model(matrix(rs)), k_of[key[1]])
        return out

    def report(name, scores):
        by = collections.defaultdict(list)
        for (t, _), v in scores.items():
            by[t].append(v)
        parts = " ".join(f"{t} {np.mean(v):.3f}" for t, v in sorted(by.items()))
        print(f"{name:<32} {np.mean(list(scores.values())):.3f}   {parts}")

    def weights(train):
        n = collections.Counter((r["topic"], r["timeline"]) for r in train)
        return np.array([1 / n[(r["topic"], r["timeline"])] for r in train])

    def votes(_train):
        i = names.index("votes")
        return lambda x: x[:, i]

    def logistic(c):
        def fit(train):
            x, y = matrix(train), np.array([r["key"] for r in train])
            scale = StandardScaler().fit(x)
            m = LogisticRegression(C=c, max_iter=5000).fit(scale.transform(x), y, sample_weight=weights(train))
            return lambda z: m.decision_function(scale.transform(z))
        return fit

    def pairwise(c, most=200):
        def fit(train):
            by = collections.defaultdict(list)
            for r in train:
                by[(r["topic"], r["timeline"])].append(r)
            rng = np.random.default_rng(0)
            xs, ys, ws = [], [], []
            for rs in by.values():
                x, y = matrix(rs), np.array([r["key"] for r in rs])
                pairs = [(p, n) for p in np.where(y)[0] for n in np.where(~y)[0]]
                if len(pairs) > most:
                    pairs = [pairs[i] for i in rng.choice(len(pairs), most, replace=False)]
                for j, (p, n) in enumerate(pairs):
                    sign = 1 if j % 2 else -1
                    xs.append(sign * (x[p] - x[n]))
                    ys.append(int(sign > 0))
                    ws.append(1 / len(pairs))
            x = np.array(xs)
            scale = np.abs(x).std(axis=0) + 1e-9
            m = LogisticRegression(C=c, max_iter=5000, fit_intercept=False).fit(x / scale, ys, sample_weight=np.array(ws))
            return lambda z: (z / scale) @ m.coef_[0]
        return fit

    def trees(depth, n):
        def fit(train):
            x, y = matrix(train), np.array([r["key"] for r in train])
            m = GradientBoostingClassifier(max_depth=depth, n_estimators=n, subsample=0.8, random_state=0)
            m.fit(x, y, sample_weight=weights(train))
            return m.decision_function
        return fit

    def neighbours(keys, factor):
        day = datetime.date.fromisoformat
        out = {}
        for key in keys:
            rs, k = timelines[key], k_of[key[1]]
            vote = [np.expm1(r["features"]["votes"]) for r in rs]
            left, taken = list(range(len(rs))), set()
            hits = 0
            while len(taken) < k and left:
                def score(i):
                    d = day(rs[i]["date"])
                    beside = any(d + datetime.timedelta(days=o) in taken for o in (-1, 1))
                    return (vote[i] * (factor if beside else 1.0), -d.toordinal())
                best = max(left, key=score)
                left.remove(best)
                taken.add(day(rs[best]["date"]))
                hits += rs[best]["key"]
            out[key] = hits / k
        return out

    print(f"{'ranker':<32} {'mean':>5}   per topic (mean over its timelines)")
    report("votes", loto(votes))
    for c in (0.01, 0.1, 1, 10):
        report(f"logistic C={c}", loto(logistic(c)))
    for c in (0.01, 0.1, 1):
        report(f"pairwise C={c}", loto(pairwise(c)))
    for depth, n in ((1, 100), (2, 50), (3, 50)):
        report(f"trees depth {depth}, {n}", loto(trees(depth, n)))
    factors = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
    chosen = {}
    for t in topics:
        others = [key for key in timelines if key[0] != t]
        f = max(factors, key=lambda f: np.mean(list(neighbours(others, f).values())))
        chosen.update(neighbours([key for key in timelines if key[0] == t], f))
        print(f"  neighbours: factor {f} chosen without {t}")
    report("neighbours, factor chosen", chosen)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
