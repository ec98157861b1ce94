#!/usr/bin/env bash
# One `annalist batch` run spread over a Slurm job array: task I of N processes
# shard I/N into $OUT/shard-I; a dependent job merges the shards afterwards.
#
#   export INPUT=/shared/corpus OUT=/shared/run1     # on a filesystem all nodes see
#   jid=$(sbatch --parsable --array=0-15 scripts/slurm-batch.sh)   # 16 shards
#   sbatch --dependency=afterok:"${jid%%;*}" --job-name=annalist-merge \
#     --wrap "target/release/annalist merge $OUT/shard-* --output $OUT/timeline.json"
#
# The array must be 0-(N-1) with no step; N defaults to the array's size. Input
# paths can also be given as arguments (`sbatch ... slurm-batch.sh a.jsonl dir/`).
#
# Settings (environment, exported to the job by sbatch):
#   INPUT         input paths, whitespace-separated (ignored when arguments are given)
#   OUT           output root (required)
#   ANNALIST      binary (default target/release/annalist, relative to the submit dir)
#   MODEL         NER model dir (default: annalist's own, models/ner or $ANNALIST_MODEL)
#   TORCH_LIB     torch/lib of a CUDA torch 2.11 install, prepended to LD_LIBRARY_PATH;
#                 by default that of `python3 -c 'import torch'`, if it imports
#   PRECISION     f32|f16|bf16 (default bf16)
#   BATCH_TOKENS  passed as --batch-tokens when set
#   CHUNK         passed as --chunk when set (documents per commit)
#   SHARDS        shard count N; only needed to re-run some tasks with a smaller array
#                 (e.g. `sbatch --array=3,7`): otherwise it is read from $OUT/shards,
#                 which the first task writes, or taken from the array size
#
# Preemption: --requeue puts a preempted task back in the queue and --resume makes
# it continue where it stopped. A task that hits --time is not requeued: submit
# that index again (`sbatch --array=5 ...`) and it resumes the same way.
#
#SBATCH --job-name=annalist-batch
#SBATCH --array=0-7
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --time=12:00:00
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=annalist-batch-%A_%a.log
set -euo pipefail

: "${OUT:?set OUT to the output root (shared by all tasks)}"
: "${SLURM_ARRAY_TASK_ID:?run this as a job array: sbatch --array=0-7 $0}"
annalist=${ANNALIST:-target/release/annalist}
[ -x "$annalist" ] || { echo "annalist binary not found: $annalist (set ANNALIST)" >&2; exit 1; }

if [ $# -gt 0 ]; then
  inputs=("$@")
else
  : "${INPUT:?set INPUT or pass input paths as arguments}"
  read -r -a inputs <<<"$INPUT"
fi

# The shard count must be the same for every task of the run, re-runs included.
mkdir -p "$OUT"
if [ -z "${SHARDS:-}" ] && [ -s "$OUT/shards" ]; then
  SHARDS=$(<"$OUT/shards")
fi
shards=${SHARDS:-$SLURM_ARRAY_TASK_COUNT}
task=$SLURM_ARRAY_TASK_ID
if [ "$task" -ge "$shards" ]; then
  echo "array index $task is outside 0-$((shards - 1)); use --array=0-$((shards - 1))" >&2
  exit 1
fi
if ! [ -s "$OUT/shards" ]; then
  tmp=$OUT/shards.$SLURM_JOB_ID.tmp
  echo "$shards" >"$tmp"
  ln "$tmp" "$OUT/shards" 2>/dev/null || true   # atomic: the first task wins
  rm -f "$tmp"
fi
recorded=$(<"$OUT/shards")
if [ "$recorded" != "$shards" ]; then
  echo "shard count $shards differs from $recorded recorded in $OUT/shards" >&2
  exit 1
fi

torch_lib=${TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)}
if [ -n "$torch_lib" ]; then
  export LD_LIBRARY_PATH=$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

args=(batch --input "${inputs[@]}"
  --output-dir "$OUT/shard-$task" --shard "$task/$shards"
  --resume --no-timeline --device auto --precision "${PRECISION:-bf16}")
[ -n "${MODEL:-}" ] && args+=(--model "$MODEL")
[ -n "${BATCH_TOKENS:-}" ] && args+=(--batch-tokens "$BATCH_TOKENS")
[ -n "${CHUNK:-}" ] && args+=(--chunk "$CHUNK")

echo "$(date -Is) $(hostname) task $task/$shards restart ${SLURM_RESTART_COUNT:-0}: $annalist ${args[*]}" >&2
exec "$annalist" "${args[@]}"
