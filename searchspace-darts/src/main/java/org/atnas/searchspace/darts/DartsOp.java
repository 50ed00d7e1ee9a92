package org.atnas.searchspace.darts;

import java.util.List;

import org.atnas.api.network.Op;
import org.atnas.api.network.OpKind;

/** The DARTS candidate operations with their code values (the DARTS order). */
enum DartsOp
{
    NONE("none"),
    MAX_POOL_3X3("max_pool_3x3"),
    AVG_POOL_3X3("avg_pool_3x3"),
    SKIP_CONNECT("skip_connect"),
    SEP_CONV_3X3("sep_conv_3x3"),
    SEP_CONV_5X5("sep_conv_5x5"),
    DIL_CONV_3X3("dil_conv_3x3"),
    DIL_CONV_5X5("dil_conv_5x5");

    static final List<DartsOp> ALL = List.of(values());
    static final List<String> NAMES = ALL.stream().map(DartsOp::opName).toList();

    private final String opName;

    DartsOp(String opName)
    {
        this.opName = opName;
    }

    String opName()
    {
        return opName;
    }

    int code()
    {
        return ordinal();
    }

    static DartsOp ofCode(int code)
    {
        return ALL.get(code);
    }

    /** The op on an edge of a cell with {@code channels} channels; {@code stride} 2 on a reduction cell's edges from its inputs. */
    Op toOp(String edgePrefix, int channels, int stride)
    {
        String prefix = edgePrefix + "." + opName;
        return switch (this) {
            case NONE -> throw new IllegalArgumentException("'none' is the absence of an edge and has no op");
            case MAX_POOL_3X3 -> new Op(prefix, OpKind.MAX_POOL_BN, channels, channels, 3, stride, 1);
            case AVG_POOL_3X3 -> new Op(prefix, OpKind.AVG_POOL_BN, channels, channels, 3, stride, 1);
            case SKIP_CONNECT -> stride == 1
                    ? new Op(prefix, OpKind.SKIP, channels, channels, 1, 1, 1)
                    : new Op(prefix, OpKind.FACTORIZED_REDUCE, channels, channels, 1, 2, 1);
            case SEP_CONV_3X3 -> new Op(prefix, OpKind.SEP_CONV, channels, channels, 3, stride, 1);
            case SEP_CONV_5X5 -> new Op(prefix, OpKind.SEP_CONV, channels, channels, 5, stride, 1);
            case DIL_CONV_3X3 -> new Op(prefix, OpKind.DIL_CONV, channels, channels, 3, stride, 2);
            case DIL_CONV_5X5 -> new Op(prefix, OpKind.DIL_CONV, channels, channels, 5, stride, 2);
        };
    }
}
