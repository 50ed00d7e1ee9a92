#!/bin/sh
# Per meta-step compute vs communication time of a search on a Hazelcast cluster on loopback:
# two networks (2 cells C = 16, 8 cells C = 36), 2 and 3 worker JVMs, one worker of Eq. 7 each.
# Usage: docs/figures/cluster/measure.sh DISTRIBUTION_DIR OUTPUT_DIR   (takes about 30 minutes on 2 cores)
set -e
ATNAS="$1/bin/atnas"
OUT=$(mkdir -p "$2" && cd "$2" && pwd)
cd "$OUT"
COMMON="--set task.ways=5 --set task.shots=1 --set task.queries=15 --set djl.threads=1 --set search.population=4
 --set search.arch-batch=2 --set search.task-batch=1 --set search.warmup-steps=6 --set search.steps=0 --set search.validation-tasks=1
 --set search.inner-steps=3 --set search.inner-lr=0.1 --set search.task-pool=64 --set search.checkpoint-every=1000 --set hazelcast.cluster-name=atnas-figure"
SMALL="--set darts.cells=2 --set darts.channels=16"
LARGE="--set darts.cells=8 --set darts.channels=36"
MEMBERS=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703,127.0.0.1:5704
start_worker() {
  # shellcheck disable=SC2086
  "$ATNAS" worker --set cluster=hazelcast --set hazelcast.members=$MEMBERS --set hazelcast.port="$1" --set hazelcast.cluster-name=atnas-figure > "worker-$1.log" 2>&1 &
  echo $! >> workers.pid
  until grep -q "joined the cluster" "worker-$1.log"; do sleep 1; done
}
search() {
  # shellcheck disable=SC2086
  "$ATNAS" search $COMMON $2 --set cluster=hazelcast --set hazelcast.members=$MEMBERS --set hazelcast.port=5701 \
    --set cluster.wait-for="$3" --set search.workers="$3" --set run.name="$1" > "$1.out" 2> "$1.err"
}
: > workers.pid
trap 'kill $(cat workers.pid) 2>/dev/null' EXIT
start_worker 5702
start_worker 5703
search small-2 "$SMALL" 2
search large-2 "$LARGE" 2
start_worker 5704
search small-3 "$SMALL" 3
search large-3 "$LARGE" 3
