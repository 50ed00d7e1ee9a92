#!/bin/sh
# How the meta-step's cost grows with the work (issue 13): one factor at a time from the protocol's
# point (2 cells, C = 16, 4 tasks per step, 5 ways, 2 workers x 1 thread), atnas and the PyTorch peer
# alternating at each point. One JSON line per run goes to the output file; plot_benchmarks.py draws it.
#
#   docs/scripts/meta-step-sweep.sh ATNAS_HOME OUTPUT.jsonl [STEPS]
#
# ATNAS_HOME: the assembled distribution (distribution/target/atnas-*). The peer needs Debian's
# python3-torch (/usr/bin/python3). STEPS timed meta-steps per run (default 3, after 1 warm-up).
set -eu
home=$1
out=$2
steps=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
peer="$here/peer_pytorch_fomaml.py"
: > "$out"
# label cells channels tasks ways workers
points="base 2 16 4 5 2
cells8 8 16 4 5 2
channels8 2 8 4 5 2
channels32 2 32 4 5 2
tasks2 2 16 2 5 2
tasks8 2 16 8 5 2
ways20 2 16 4 20 2
workers1 2 16 4 5 1"
echo "$points" | while read -r label cells channels tasks ways workers; do
    if [ "$workers" = 2 ]; then
        # the peer has no workers: it runs at the 2-worker points only, with its 2 threads
        /usr/bin/python3 "$peer" --threads 2 --cells "$cells" --channels "$channels" --meta-batch "$tasks" --ways "$ways" --warmup 1 --steps "$steps" \
            | sed "s/^{/{\"point\": \"$label\", /" >> "$out"
    fi
    "$home/bin/atnas" bench meta-step --cells "$cells" --channels "$channels" --meta-batch "$tasks" --ways "$ways" --workers "$workers" --warmup 1 --steps "$steps" 2>/dev/null \
        | tail -n 1 | sed "s/^{/{\"point\":\"$label\",/" >> "$out"
done
