#!/usr/bin/env python3
"""The table and curves of issue 14's study across seeds, from the runs of transfer-seeds.sh.

  transfer_seeds.py OUT_DIR SEED ...

Prints a Markdown table: per row (transfer, untrained, scratch, darts-v2) the test accuracy of each
seed, the mean with its 95% t-interval across seeds, parameters, multiply-adds and CPU minutes; then
each baseline's paired difference to the transfer on the same seed (same data sample, same test
set) with its 95% t-interval, and the survivor's against DARTS-V2's, both from scratch. Draws OUT_DIR/transfer-seeds.png: validation accuracy against CPU
minutes, one line per run. The table needs only Python 3; the picture needs matplotlib (Debian's
python3-matplotlib, /usr/bin/python3).
"""
import json
import math
import os
import statistics
import sys

ROWS = [("transfer", "transfer (search's W, P = 8 → 1)"), ("untrained", "untrained supernet (fresh W, same population)"),
        ("scratch", "the transfer's survivor from scratch"), ("darts-v2", "DARTS-V2 cells from scratch")]
# two-sided 95% quantiles of Student's t for 1..10 degrees of freedom
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def interval(values):
    """Mean and half-width of the 95% t-interval (None for one value)."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, None
    if len(values) - 1 > len(T95):
        raise SystemExit(f"{len(values)} seeds: this script knows Student's t up to {len(T95) + 1} seeds")
    return mean, T95[len(values) - 2] * statistics.stdev(values) / math.sqrt(len(values))


def pct(mean, half):
    return f"{100 * mean:.2f}%" if half is None else f"{100 * mean:.2f}% ± {100 * half:.2f}"


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    out, seeds = sys.argv[1], sys.argv[2:]
    runs = {}
    for row, _ in ROWS:
        for seed in seeds:
            path = os.path.join(out, f"{row}-s{seed}", "metrics.jsonl")
            if not os.path.exists(path):
                raise SystemExit(f"{path} does not exist: run transfer-seeds.sh first")
            lines = records(path)
            test = [r for r in lines if r["type"] == "transfer-test"]
            if not test:
                raise SystemExit(f"{path} has no transfer-test record: the run did not finish")
            runs[row, seed] = (test[-1], lines)

    print("| run | " + " | ".join(f"seed {s}" for s in seeds) + " | mean (95% CI across seeds) | parameters | multiply-adds / image | CPU minutes (mean) |")
    print("|---|" + "---:|" * (len(seeds) + 4))
    for row, label in ROWS:
        tests = [runs[row, s][0] for s in seeds]
        accuracies = [t["accuracy"] for t in tests]
        params = sorted({t["parameters"] for t in tests})
        madds = sorted({t["multiplyAdds"] for t in tests})
        span = lambda v: f"{v[0]:,}" if len(v) == 1 else f"{v[0]:,}–{v[-1]:,}"
        print(f"| {label} | " + " | ".join(f"{100 * a:.2f}%" for a in accuracies) + f" | {pct(*interval(accuracies))} | {span(params)} | {span(madds)} | "
              f"{statistics.fmean(t['cpuMinutes'] for t in tests):.1f} |")
    print()
    print("| paired difference, same seed | " + " | ".join(f"seed {s}" for s in seeds) + " | mean (95% CI) |")
    print("|---|" + "---:|" * (len(seeds) + 1))
    # each baseline against the transfer; and the search's architecture against the fixed cells, both from scratch
    for row, other in [(row, "transfer") for row, _ in ROWS[1:]] + [("scratch", "darts-v2")]:
        diffs = [runs[row, s][0]["accuracy"] - runs[other, s][0]["accuracy"] for s in seeds]
        mean, half = interval(diffs)
        ci = "" if half is None else f" ({100 * (mean - half):+.2f} to {100 * (mean + half):+.2f})"
        print(f"| {row} − {other} | " + " | ".join(f"{100 * d:+.2f}" for d in diffs) + f" | {100 * mean:+.2f} points{ci} |")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("\n(no matplotlib: the curves were not drawn)", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(8, 4.5))
    colours = dict(zip([r for r, _ in ROWS], ["C0", "C1", "C2", "C3"]))
    for row, label in ROWS:
        for i, seed in enumerate(seeds):
            test, lines = runs[row, seed]
            minutes = {r["step"]: r["cpuMinutes"] for r in lines if r["type"] == "transfer-epoch"}
            points = [(minutes[r["step"]], r["accuracy"]) for r in lines if r["type"] == "transfer-validation" and r["step"] in minutes]
            ax.plot([p[0] for p in points], [100 * p[1] for p in points], color=colours[row], alpha=0.75, linewidth=1.2, label=label if i == 0 else None)
            ax.plot([test["cpuMinutes"]], [100 * test["accuracy"]], marker="D", color=colours[row], markersize=5, linestyle="none")
    ax.set_xlabel("CPU minutes")
    ax.set_ylabel("validation accuracy of the final phase (%)\n(diamonds: test accuracy)")
    ax.set_title(f"Fashion-MNIST, {len(seeds)} seeds: one line per run")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    picture = os.path.join(out, "transfer-seeds.png")
    fig.savefig(picture, dpi=110)
    print(f"\nCurves: {picture}", file=sys.stderr)


if __name__ == "__main__":
    main()
