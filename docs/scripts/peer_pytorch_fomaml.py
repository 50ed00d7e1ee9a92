#!/usr/bin/env python3
"""Reference peer for the meta-step benchmark: the same DARTS subnet and the same
first-order MAML step, written the way a PyTorch user would write it (eager mode,
module copies for the inner loop). Prints one JSON line.

Needs Debian's python3-torch (apt-get install python3-torch); run with
/usr/bin/python3. Input is random data of Omniglot's shape: speed only.

A copy of shared/bench/peer_pytorch_fomaml.py with two flags added (issue 13): --profile N prints
the N most expensive ops of one more meta-step (torch.autograd.profiler, self CPU time) to stderr.
The timed figures are the original's. --batch-tasks (first order only) runs the tasks of a meta-step
as one graph: functorch.vmap over a task dimension of the weights, which turns each convolution into
a grouped one (groups x tasks) and keeps batch norm's statistics per task — the lever issue 13 names,
measured here before building it into the DJL backend (it makes the step slower: docs/benchmarks.md).
"""
import argparse, copy, json, resource, time
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
       "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]
# DARTS-V2 cells written as architecture codes (14 edges per cell, see BENCHMARK.md)
NORMAL = [4, 4, 4, 4, 0, 3, 4, 0, 0, 3, 0, 6, 0, 0]
REDUCE = [1, 1, 0, 1, 3, 1, 0, 3, 0, 0, 1, 3, 0, 0]


def bn(c):
    return nn.BatchNorm2d(c, affine=True, track_running_stats=False)


class ReLUConvBN(nn.Sequential):
    def __init__(self, ci, co, k, s, p, d=1, groups=1):
        super().__init__(nn.ReLU(), nn.Conv2d(ci, co, k, s, p, dilation=d, groups=groups, bias=False), bn(co))


class DilConv(nn.Sequential):
    def __init__(self, ci, co, k, s, p, d):
        super().__init__(nn.ReLU(), nn.Conv2d(ci, ci, k, s, p, dilation=d, groups=ci, bias=False),
                         nn.Conv2d(ci, co, 1, bias=False), bn(co))


class SepConv(nn.Sequential):
    def __init__(self, ci, co, k, s, p):
        super().__init__(DilConv(ci, ci, k, s, p, 1), DilConv(ci, co, k, 1, p, 1))


class FactorizedReduce(nn.Module):
    def __init__(self, ci, co):
        super().__init__()
        self.relu = nn.ReLU()
        self.c1 = nn.Conv2d(ci, co // 2, 1, 2, bias=False)
        self.c2 = nn.Conv2d(ci, co // 2, 1, 2, bias=False)
        self.bn = bn(co)

    def forward(self, x):
        x = self.relu(x)
        return self.bn(torch.cat([self.c1(x), self.c2(x[:, :, 1:, 1:])], dim=1))


class Pool(nn.Module):
    def __init__(self, kind, c, s):
        super().__init__()
        self.pool = nn.MaxPool2d(3, s, 1) if kind == "max" else nn.AvgPool2d(3, s, 1, count_include_pad=False)
        self.bn = bn(c)

    def forward(self, x):
        return self.bn(self.pool(x))


def make_op(code, c, s):
    name = OPS[code]
    if name == "max_pool_3x3": return Pool("max", c, s)
    if name == "avg_pool_3x3": return Pool("avg", c, s)
    if name == "skip_connect": return nn.Identity() if s == 1 else FactorizedReduce(c, c)
    if name == "sep_conv_3x3": return SepConv(c, c, 3, s, 1)
    if name == "sep_conv_5x5": return SepConv(c, c, 5, s, 2)
    if name == "dil_conv_3x3": return DilConv(c, c, 3, s, 2, 2)
    if name == "dil_conv_5x5": return DilConv(c, c, 5, s, 4, 2)
    raise ValueError(name)


class Cell(nn.Module):
    def __init__(self, code, cpp, cp, c, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(cpp, c) if reduction_prev else ReLUConvBN(cpp, c, 1, 1, 0)
        self.pre1 = ReLUConvBN(cp, c, 1, 1, 0)
        self.edges = nn.ModuleDict()
        self.inputs = []  # per node: list of (edge index, input node)
        e = 0
        for node in range(4):
            chosen = []
            for src in range(node + 2):
                if code[e] != 0:
                    s = 2 if reduction and src < 2 else 1
                    self.edges[str(e)] = make_op(code[e], c, s)
                    chosen.append((str(e), src))
                e += 1
            assert len(chosen) == 2, "each intermediate node takes exactly two edges"
            self.inputs.append(chosen)

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for chosen in self.inputs:
            states.append(sum(self.edges[e](states[src]) for e, src in chosen))
        return torch.cat(states[2:], dim=1)


class Net(nn.Module):
    def __init__(self, codes, c=16, classes=5, in_ch=1, stem_mult=3):
        super().__init__()
        cs = stem_mult * c
        self.stem = nn.Sequential(nn.Conv2d(in_ch, cs, 3, padding=1, bias=False), bn(cs))
        cpp, cp, cc = cs, cs, c
        self.cells = nn.ModuleList()
        n = len(codes)
        reduction_prev = False
        for i, code in enumerate(codes):
            reduction = n == 2 and i == 1 or n > 2 and i in (n // 3, 2 * n // 3)
            if reduction:
                cc *= 2
            self.cells.append(Cell(code, cpp, cp, cc, reduction, reduction_prev))
            reduction_prev = reduction
            cpp, cp = cp, 4 * cc
        self.classifier = nn.Linear(cp, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(F.adaptive_avg_pool2d(s1, 1).flatten(1))


def fomaml_step(net, meta_opt, tasks, inner_steps, inner_lr):
    meta_opt.zero_grad()
    grads = [torch.zeros_like(p) for p in net.parameters()]
    for xs, ys, xq, yq in tasks:
        learner = copy.deepcopy(net)
        opt = torch.optim.SGD(learner.parameters(), lr=inner_lr)
        for _ in range(inner_steps):
            opt.zero_grad()
            F.cross_entropy(learner(xs), ys).backward()
            opt.step()
        learner.zero_grad()
        F.cross_entropy(learner(xq), yq).backward()
        for g, p in zip(grads, learner.parameters()):
            g.add_(p.grad)
    for p, g in zip(net.parameters(), grads):
        p.grad = g / len(tasks)
    meta_opt.step()


def batched_fomaml_step(net, meta_opt, tasks, inner_steps, inner_lr):
    """First-order MAML with the tasks of the step in one graph (functorch.vmap over stacked weights)."""
    from functorch import vmap
    from torch.nn.utils import stateless
    meta_opt.zero_grad()
    names = [n for n, _ in net.named_parameters()]
    count = len(tasks)
    xs, ys, xq, yq = (torch.stack(part) for part in zip(*tasks))

    def loss(params, x, y):
        return F.cross_entropy(stateless.functional_call(net, dict(zip(names, params)), (x,)), y)

    batched = vmap(loss, in_dims=(0, 0, 0))
    # every task starts from the same weights: a task dimension in front of each
    params = [p.detach().unsqueeze(0).expand(count, *p.shape).clone().requires_grad_() for p in net.parameters()]
    for _ in range(inner_steps):
        # the tasks are independent: the gradient of their summed losses is each task's own gradient
        grads = torch.autograd.grad(batched(params, xs, ys).sum(), params)
        params = [(p - inner_lr * g).detach().requires_grad_() for p, g in zip(params, grads)]
    grads = torch.autograd.grad(batched(params, xq, yq).sum(), params)
    for p, g in zip(net.parameters(), grads):
        p.grad = g.mean(0)
    meta_opt.step()


def maml2_step(net, meta_opt, tasks, inner_steps, inner_lr):
    """Second-order MAML, written functionally (torch.nn.utils.stateless, torch 1.13)."""
    from torch.nn.utils import stateless
    meta_opt.zero_grad()
    names = [n for n, _ in net.named_parameters()]
    start = [p for _, p in net.named_parameters()]
    for xs, ys, xq, yq in tasks:
        params = start
        for _ in range(inner_steps):
            loss = F.cross_entropy(stateless.functional_call(net, dict(zip(names, params)), (xs,)), ys)
            grads = torch.autograd.grad(loss, params, create_graph=True)
            params = [p - inner_lr * g for p, g in zip(params, grads)]
        query = F.cross_entropy(stateless.functional_call(net, dict(zip(names, params)), (xq,)), yq)
        (query / len(tasks)).backward()
    meta_opt.step()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cells", type=int, default=2)
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--ways", type=int, default=5)
    ap.add_argument("--shots", type=int, default=1)
    ap.add_argument("--queries", type=int, default=15)
    ap.add_argument("--meta-batch", type=int, default=4)
    ap.add_argument("--inner-steps", type=int, default=5)
    ap.add_argument("--inner-lr", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--second-order", action="store_true", help="second-order MAML instead of first order")
    ap.add_argument("--batch-tasks", action="store_true", help="first order with the tasks of a step in one graph (functorch.vmap)")
    ap.add_argument("--channels-last", action="store_true", help="the network's weights and the images in channels-last memory layout")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="after the timed steps, profile one more meta-step and print its N most expensive ops to stderr")
    a = ap.parse_args()
    step = maml2_step if a.second_order else batched_fomaml_step if a.batch_tasks else fomaml_step
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    codes = [REDUCE if (a.cells == 2 and i == 1) or (a.cells > 2 and i in (a.cells // 3, 2 * a.cells // 3)) else NORMAL
             for i in range(a.cells)]
    net = Net(codes, c=a.channels, classes=a.ways)
    if a.channels_last:
        net = net.to(memory_format=torch.channels_last)
    meta_opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def task():
        xs = torch.rand(a.ways * a.shots, 1, 28, 28)
        ys = torch.arange(a.ways).repeat_interleave(a.shots)
        xq = torch.rand(a.ways * a.queries, 1, 28, 28)
        yq = torch.arange(a.ways).repeat_interleave(a.queries)
        if a.channels_last:
            xs, xq = (x.contiguous(memory_format=torch.channels_last) for x in (xs, xq))
        return xs, ys, xq, yq

    tasks = [task() for _ in range(a.meta_batch)]
    for _ in range(a.warmup):
        step(net, meta_opt, tasks, a.inner_steps, a.inner_lr)
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step(net, meta_opt, tasks, a.inner_steps, a.inner_lr)
        times.append(time.perf_counter() - t)
    times.sort()
    if a.profile:
        import sys
        with torch.autograd.profiler.profile() as prof:
            step(net, meta_opt, tasks, a.inner_steps, a.inner_lr)
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=a.profile), file=sys.stderr)
    print(json.dumps({
        "peer": "pytorch-eager-maml2" if a.second_order else "pytorch-vmap-fomaml" if a.batch_tasks else "pytorch-eager-fomaml", "torch": torch.__version__, "threads": a.threads,
        "params": sum(p.numel() for p in net.parameters()),
        "meta_step_s_median": times[len(times) // 2], "meta_step_s_min": times[0],
        "tasks_per_s": a.meta_batch / times[len(times) // 2],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "config": vars(a)}))


if __name__ == "__main__":
    main()
