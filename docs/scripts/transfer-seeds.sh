#!/bin/sh
# Issue 14's study across seeds: does transferring the meta-learned population (Algorithm 3) pay off
# against its baselines at equal cost? For each seed: a glyph search at C = 16, then on Fashion-MNIST
#   transfer   the search's population and weights W, P = 8 -> 4 -> 2 -> 1, then the final epochs
#   untrained  the same population from fresh weights (is the meta-learned prior worth it?)
#   scratch    the transfer's survivor from fresh weights for as many subnet-images as the transfer
#   darts-v2   the DARTS-V2 cells from fresh weights, the same subnet-images
# Two processes at a time with one libtorch thread each (a lone thread does not spin, so each run's
# CPU minutes are its own work). A run that has finished is not run again, so the script continues
# where it stopped. transfer_seeds.py then prints the table (means, 95% t-intervals across seeds,
# paired differences) and draws the validation curves.
#
#   docs/scripts/transfer-seeds.sh ATNAS_HOME FASHION_MNIST_DIR OUT_DIR [SEEDS] [EPOCH_IMAGES]
#
# ATNAS_HOME: the assembled distribution (distribution/target/atnas-*); SEEDS default "1 2 3";
# EPOCH_IMAGES training images per epoch (default 2000; docs/results.md's single run used 8000).
set -eu
home=$(cd "$1" && pwd)
fashion=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)
seeds=${4:-1 2 3}
images=${5:-2000}
export ATNAS_MALLOC=${ATNAS_MALLOC:-tcmalloc}
atnas="$home/bin/atnas"
# 8 + 4 + 2 epochs of the evolutions and 10 final ones: 24 epochs of subnet-images for the baselines
transfer="--set data.dataset=fashion-mnist --set data.path=$fashion --set transfer.epoch-images=$images \
 --set transfer.param-epochs=1 --set transfer.validation-images=2000 --set djl.threads=1 --set runs.directory=$out"

done_run() { grep -q '"type":"transfer-test"' "$out/$1/metrics.jsonl" 2>/dev/null; }

# one job per line: NAME SEED KIND; runs it unless it has finished, its output in NAME.log
job() {
    name=$1 seed=$2 kind=$3
    case $kind in
        search)
            [ -f "$out/$name/population.json" ] && grep -q '"type":"final"' "$out/$name/metrics.jsonl" 2>/dev/null && return 0
            rm -rf "${out:?}/$name"
            "$atnas" search --config "$home/conf/quickstart.properties" --set seed="$seed" --set darts.channels=16 --set search.steps=40 \
                --set search.warmup-steps=20 --set search.evolve-every=10 --set search.workers=1 --set djl.threads=1 \
                --set runs.directory="$out" --set run.name="$name" > "$out/$name.log" 2>&1
            return ;;
    esac
    done_run "$name" && return 0
    rm -rf "${out:?}/$name"
    source="$out/glyph-s$seed"
    case $kind in
        transfer) extra="--set transfer.final-epochs=10" ;;
        untrained) extra="--set transfer.weights=fresh --set transfer.final-epochs=10" ;;
        scratch)
            code=$(grep '"type":"transfer-test"' "$out/transfer-s$seed/metrics.jsonl" | sed 's/.*"code":"\([0-9,]*\)".*/\1/')
            extra="--set transfer.code=$code --set transfer.weights=fresh --set transfer.final-epochs=24" ;;
        darts-v2) extra="--set transfer.code=darts-v2 --set transfer.weights=fresh --set transfer.final-epochs=24" ;;
    esac
    # shellcheck disable=SC2086 # the settings are words on purpose
    "$atnas" transfer "$source" $transfer $extra --set run.name="$name" > "$out/$name.log" 2>&1
}

# runs the jobs on standard input two at a time; fails if any failed
phase() {
    failed=0
    while read -r name seed kind; do
        job "$name" "$seed" "$kind" &
        set -- "$@" $!
        if [ $# -ge 2 ]; then
            wait "$1" || failed=1
            shift
        fi
    done
    for pid in "$@"; do wait "$pid" || failed=1; done
    [ $failed = 0 ] || { echo "a run failed: see the logs in $out" >&2; exit 1; }
}

echo "$(date +%T) searches"
for s in $seeds; do echo "glyph-s$s $s search"; done | phase
echo "$(date +%T) transfers and untrained populations"
for s in $seeds; do echo "transfer-s$s $s transfer"; echo "untrained-s$s $s untrained"; done | phase
echo "$(date +%T) the survivors and DARTS-V2 from scratch"
for s in $seeds; do echo "scratch-s$s $s scratch"; echo "darts-v2-s$s $s darts-v2"; done | phase
echo "$(date +%T) done"
/usr/bin/python3 "$(dirname "$0")/transfer_seeds.py" "$out" $seeds
