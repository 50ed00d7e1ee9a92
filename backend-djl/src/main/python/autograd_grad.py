#!/usr/bin/env python3
"""Writes autograd-grad.pt, the TorchScript module the DJL backend takes gradients through.

DJL 0.36's JNI offers only Tensor.backward, which accumulates into the .grad of leaf tensors; with
create_graph that makes the reference cycle parameter -> .grad -> graph -> parameter that libtorch
warns about, and no JNI call resets .grad to break it. torch.autograd.grad returns the gradients as
values and touches no .grad; TorchScript exposes it, and DJL runs TorchScript methods.

Run with Debian's python3-torch (1.13; the archive loads in libtorch 2.7.1):
    /usr/bin/python3 backend-djl/src/main/python/autograd_grad.py \
        backend-djl/src/main/resources/org/atnas/backend/djl/autograd-grad.pt
"""
import sys
from typing import List

import torch


class Gradients(torch.nn.Module):
    def forward(self, loss: torch.Tensor, inputs: List[torch.Tensor]) -> List[torch.Tensor]:
        """First order: the gradients are constants and the loss's graph is freed."""
        return self.gradients(loss, inputs, False)

    @torch.jit.export
    def create_graph(self, loss: torch.Tensor, inputs: List[torch.Tensor]) -> List[torch.Tensor]:
        """Second order: the gradients stay in the graph, which is kept for a later gradient through them."""
        return self.gradients(loss, inputs, True)

    def gradients(self, loss: torch.Tensor, inputs: List[torch.Tensor], create_graph: bool) -> List[torch.Tensor]:
        grads = torch.autograd.grad([loss], inputs, retain_graph=create_graph, create_graph=create_graph, allow_unused=True)
        result: List[torch.Tensor] = []
        for i in range(len(inputs)):
            grad = grads[i]
            # an input the loss does not depend on has a zero gradient
            if grad is None:
                result.append(torch.zeros_like(inputs[i]))
            else:
                result.append(grad)
        return result


if __name__ == "__main__":
    torch.jit.script(Gradients()).save(sys.argv[1])
