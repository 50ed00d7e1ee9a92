#!/usr/bin/env python3
"""Draws the figures of docs/benchmarks.md from the benchmark commands' JSON lines (issue 13).

  plot_benchmarks.py rss OUTPUT.png LABEL=FILE.jsonl ...   resident memory over meta-steps (bench meta-step --rss-log)
  plot_benchmarks.py sweep OUTPUT.png SWEEP.jsonl          tasks/s, GFLOP/s and peak RSS per point (meta-step-sweep.sh)

Needs Debian's python3-matplotlib; run with /usr/bin/python3.
"""
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def rss(output, series):
    fig, ax = plt.subplots(figsize=(7, 4))
    for item in series:
        label, path = item.split("=", 1)
        steps = lines(path)
        ax.plot([s["step"] for s in steps], [s["rssMb"] / 1024 for s in steps], marker=".", label=label)
    ax.set_xlabel("meta-step")
    ax.set_ylabel("resident memory after the step (GB)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(output, dpi=110)


def sweep(output, path):
    runs = lines(path)
    # the peer prints no GFLOP/s: it does the same work per meta-step as the atnas run of the same point
    work = {r["point"]: r["gflop_per_meta_step"] for r in runs if r["peer"].startswith("atnas")}
    for r in runs:
        if "gflops" not in r and r["point"] in work:
            r["gflops"] = work[r["point"]] / r["meta_step_s_median"]
    points = []
    for run in runs:
        if run["point"] not in points:
            points.append(run["point"])
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    width = 0.4
    for offset, who in ((-width / 2, "atnas (djl)"), (width / 2, "peer (pytorch)")):
        mine = {r["point"]: r for r in runs if r["peer"].startswith("atnas") == who.startswith("atnas")}
        xs = [i + offset for i, p in enumerate(points) if p in mine]
        for ax, key in zip(axes, ("tasks_per_s", "gflops", "peak_rss_mb")):
            ax.bar(xs, [mine[p][key] for p in points if p in mine], width, label=who)
    # the peer has no workers: points it cannot run say so rather than show a missing bar
    peer_points = {r["point"] for r in runs if not r["peer"].startswith("atnas")}
    labels = [p if p in peer_points else p + " (no peer)" for p in points]
    for ax, title in zip(axes, ("tasks per second", "achieved GFLOP/s", "peak RSS (MB)")):
        ax.set_xticks(range(len(points)))
        ax.set_xticklabels(labels, rotation=45, ha="right")
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(output, dpi=110)


if __name__ == "__main__":
    kind, output = sys.argv[1], sys.argv[2]
    if kind == "rss":
        rss(output, sys.argv[3:])
    elif kind == "sweep":
        sweep(output, sys.argv[3])
    else:
        sys.exit("unknown figure " + kind + ": rss or sweep")
