package org.atnas.searchspace.nasbench201;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;

/** A complete NAS-Bench-201 table written by the tests: one row per code of the space, in code order. */
final class TableFixtures
{
    static final String HEADER = "CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString";
    static final int CELLS = 15_625;

    private TableFixtures() {}

    /** The rows after the header; row i is code i in base 5, with CIFAR-10 accuracy {@code 50 + i / 1000}. */
    static List<String> rows()
    {
        NasBench201SearchSpace space = new NasBench201SearchSpace(1, 1, Optional.empty());
        List<String> rows = new ArrayList<>(CELLS);
        for (int i = 0; i < CELLS; i++) {
            int[] values = new int[NasBench201SearchSpace.EDGES];
            for (int edge = NasBench201SearchSpace.EDGES - 1, rest = i; edge >= 0; edge--, rest /= 5) {
                values[edge] = rest % 5;
            }
            rows.add((50 + i / 1000.0) + ",60.5,30.25," + space.toNotation(ArchitectureCode.of(values)) + ",x");
        }
        return rows;
    }

    static String table(List<String> rows)
    {
        return HEADER + "\n" + String.join("\n", rows) + "\n";
    }
}
