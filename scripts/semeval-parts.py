#!/usr/bin/env python3
"""SemEval-2015 Task 4 timelines scored in parts, beside the task's own scorer.

  scripts/semeval-parts.py GOLD_DIR SYSTEM_DIR

Per target file and overall (micro): event mentions found (the ids in the third and
later columns, dates and order ignored), and, of the mentions found, how many carry the
gold's date (the second column). The task's scorer gives the whole score and, with
--ord, the order alone.
"""
import os
import sys


def lines(path):
    """{event id: date} of a timeline file (the target name line skipped)."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            cols = line.split("\t")
            for event in cols[2:]:
                out[event] = cols[1]
    return out


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gold_dir, sys_dir = sys.argv[1:]
    tp = fp = fn = dated = 0
    print(f"{'timeline':28} {'P':>6} {'R':>6} {'F1':>6} {'date ok':>8}")
    for name in sorted(os.listdir(gold_dir)):
        gold, system = lines(os.path.join(gold_dir, name)), lines(os.path.join(sys_dir, name))
        found = [e for e in system if e in gold]
        ok = sum(system[e] == gold[e] for e in found)
        p, r = pct(len(found), len(system)), pct(len(found), len(gold))
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{name:28} {p:6.2f} {r:6.2f} {f1:6.2f} {ok:>4}/{len(found):<3}")
        tp, fp, fn, dated = tp + len(found), fp + len(system) - len(found), fn + len(gold) - len(found), dated + ok
    p, r = pct(tp, tp + fp), pct(tp, tp + fn)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{'MICRO':28} {p:6.2f} {r:6.2f} {f1:6.2f} {dated:>4}/{tp:<3} ({pct(dated, tp):.2f}% dated right)")


if __name__ == "__main__":
    main()
