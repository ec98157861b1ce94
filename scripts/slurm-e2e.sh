#!/usr/bin/env bash
# scripts/slurm-batch.sh end to end on a real Slurm: a one-node cluster on this machine
# (scripts/slurm-local.sh), a corpus of DOCS JSON lines documents in SHARDS shards as a
# job array, one shard's job killed mid-run and requeued (it resumes), the dependent
# merge job, and the merged timeline compared byte for byte with a single run's.
#
#   scripts/slurm-e2e.sh            # needs slurm-wlm, munge, root, target/release/annalist
#
# Prints what it measured; exits non-zero when anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
annalist=$repo/target/release/annalist
[ -x "$annalist" ] || { echo "build first: cargo build --release" >&2; exit 1; }
docs=${DOCS:-90}
shards=${SHARDS:-3}
killed=1   # the shard whose job is killed and requeued
work=$(mktemp -d /tmp/annalist-slurm.XXXXXX)
export SLURM_CONF=$work/cluster/slurm.conf
trap 'scripts/slurm-local.sh stop "$work/cluster"; rm -rf "$work"' EXIT
started=$(date +%s)
scripts/slurm-local.sh start "$work/cluster" >/dev/null
say() { echo "slurm-e2e: $(( $(date +%s) - started )) s: $*"; }
say "cluster up: $(sinfo -h -o '%P %D node(s) %c CPUs %t')"

# A corpus cut from the seed articles' paragraphs, as batch_cli.rs makes it.
python3 - "$work/corpus.jsonl" "$docs" <<'PY'
import glob, json, sys
paragraphs = []
for seed in sorted(glob.glob("../shared/seeds/*.txt")):
    paragraphs += [p.strip() for p in open(seed, encoding="utf-8").read().split("\n\n") if len(p.split()) > 12]
with open(sys.argv[1], "w") as out:
    for i in range(int(sys.argv[2])):
        line = {"id": f"doc-{i:03}", "text": paragraphs[i % len(paragraphs)] + "\n\n" + paragraphs[(i * 7 + 3) % len(paragraphs)]}
        if i % 3:
            line["published"] = f"2025-07-{10 + i % 9:02}"
        out.write(json.dumps(line) + "\n")
PY

export INPUT=$work/corpus.jsonl OUT=$work/out ANNALIST=$annalist PRECISION=f32 CHUNK=1 RAYON_NUM_THREADS=1
# This machine has no GPU and little memory: override the job file's requests.
small=(--gres=none --mem=1G --cpus-per-task=1 --time=20 --output="$work/annalist-batch-%A_%a.log")
jid=$(sbatch --parsable "${small[@]}" --array=0-$((shards - 1)) scripts/slurm-batch.sh)
jid=${jid%%;*}
mid=$(sbatch --parsable "${small[@]}" --dependency=afterok:"$jid" --job-name=annalist-merge \
  --output="$work/merge.log" --wrap "$annalist merge $OUT/shard-* --output $OUT/timeline.json")
say "submitted array job $jid ($shards tasks) and merge job $mid (afterok)"

# Kill shard $killed's job once it has committed some documents, and requeue it.
manifest=$OUT/shard-$killed/manifest.jsonl
for _ in $(seq 600); do
  [ -s "$manifest" ] && [ "$(wc -l <"$manifest")" -ge 3 ] && break
  sleep 0.2
done
before=$(wc -l <"$manifest")
scontrol requeue "${jid}_$killed"
say "task $killed killed and requeued after $before documents committed"

# Wait for the merge job to leave the queue.
for _ in $(seq 1200); do
  squeue -h -j "$mid" 2>/dev/null | grep -q . || break
  sleep 1
done
state=$(scontrol show job "$mid" | grep -o 'JobState=[A-Z]*' || echo JobState=gone)
say "merge job: $state"
[ "$state" = JobState=COMPLETED ] || { cat "$work"/*.log >&2; exit 1; }

# The requeued task restarted and resumed.
log=$(ls "$work"/annalist-batch-"${jid}"_"$killed".log)
grep -q "restart 1" "$log" || { echo "task $killed was not restarted:" >&2; cat "$log" >&2; exit 1; }
grep -E "after [0-9]+ done before --resume" "$log" | sed "s/^/slurm-e2e: task $killed log: /"

# Every document once, in some shard.
total=$(cat "$OUT"/shard-*/manifest.jsonl | wc -l)
unique=$(cat "$OUT"/shard-*/manifest.jsonl | python3 -c 'import json, sys; print(len({json.loads(l)["id"] for l in sys.stdin}))')
say "manifests: $total lines, $unique distinct ids, $docs documents"
[ "$total" = "$docs" ] && [ "$unique" = "$docs" ]

# The same corpus in one run, without Slurm.
"$annalist" batch --input "$INPUT" --output-dir "$work/single" --device cpu --precision f32 2>/dev/null
if cmp -s "$OUT/timeline.json" "$work/single/timeline.json"; then
  say "merged timeline equals the single run's ($(wc -c <"$OUT/timeline.json") bytes)"
else
  say "merged timeline differs from the single run's" >&2
  exit 1
fi
