package org.atnas.api.network;

/**
 * The fixed vocabulary of operations a {@link NetworkDescription} is written in. A backend
 * implements each kind once; a search space combines them. Every convolution is bias-free and
 * every batch norm has a learnable scale and shift and uses the batch's statistics.
 *
 * <p>Padding is always "same": {@code dilation * (kernel - 1) / 2}, so a stride-2 op maps a size
 * {@code h} to {@code ceil(h / 2)}. The parameter names an op owns (relative to its
 * {@link Op#prefix()}) are listed per kind, with shapes in PyTorch's convention (OIHW for
 * convolutions, depthwise weights {@code [C, 1, k, k]}).
 */
public enum OpKind
{
    /** Conv k×k (stride, dilation), then BN. The stem. Parameters: {@code conv.weight [out, in, k, k]}, {@code bn.weight [out]}, {@code bn.bias [out]}. */
    CONV_BN,
    /** ReLU, conv k×k (stride, dilation), BN. Parameters as {@link #CONV_BN}. */
    RELU_CONV_BN,
    /**
     * Separable conv: (ReLU, depthwise k×k with the op's stride, pointwise in→in, BN) then (ReLU,
     * depthwise k×k stride 1, pointwise in→out, BN). Parameters: {@code dw1.weight [in, 1, k, k]},
     * {@code pw1.weight [in, in, 1, 1]}, {@code bn1.weight/bias [in]}, {@code dw2.weight [in, 1, k, k]},
     * {@code pw2.weight [out, in, 1, 1]}, {@code bn2.weight/bias [out]}.
     */
    SEP_CONV,
    /**
     * Dilated separable conv: ReLU, depthwise k×k (stride, dilation), pointwise in→out, BN.
     * Parameters: {@code dw.weight [in, 1, k, k]}, {@code pw.weight [out, in, 1, 1]}, {@code bn.weight/bias [out]}.
     */
    DIL_CONV,
    /** Max pool k×k (stride, same padding), then BN. Parameters: {@code bn.weight/bias [out]}; in = out. */
    MAX_POOL_BN,
    /** Average pool k×k (stride, same padding, padding not counted), then BN. Parameters as {@link #MAX_POOL_BN}. */
    AVG_POOL_BN,
    /** Average pool k×k (stride, same padding, padding not counted), no parameters; in = out. */
    AVG_POOL,
    /** Identity; stride 1, in = out, no parameters. */
    SKIP,
    /**
     * ReLU, then two 1×1 stride-2 convs each to out/2 channels, the second reading the input shifted
     * by one pixel (zero-padded at the bottom and right, so both halves are {@code ceil(h / 2)}),
     * concatenated, BN. Parameters: {@code conv1.weight [out/2, in, 1, 1]},
     * {@code conv2.weight [out/2, in, 1, 1]}, {@code bn.weight/bias [out]}. Stride is 2; out is even.
     */
    FACTORIZED_REDUCE,
    /**
     * The shortcut of a residual reduction block: average pool 2×2 stride 2 (size {@code ceil(h / 2)},
     * padding not counted), then a 1×1 conv in→out. Parameters: {@code conv.weight [out, in, 1, 1]}.
     */
    POOLED_PROJECTION,
    /** BN then ReLU; in = out. Parameters: {@code bn.weight/bias [out]}. */
    BN_RELU
}
