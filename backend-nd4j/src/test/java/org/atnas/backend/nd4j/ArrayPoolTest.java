package org.atnas.backend.nd4j;


import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrayPoolTest
{
    @Test
    void anArrayGivenBackIsHandedOutForTheSameTypeShapeAndOrderOnly()
    {
        ArrayPool pool = new ArrayPool(1 << 20);
        INDArray array = pool.allocate(false, DataType.FLOAT, 2, 3, 4);
        pool.give(array);
        assertThat(pool.pooledBytes()).isEqualTo(96);

        assertThat(pool.allocate(false, DataType.FLOAT, 3, 2, 4)).as("another shape").isNotSameAs(array);
        assertThat(pool.allocate(false, DataType.DOUBLE, 2, 3, 4)).as("another type").isNotSameAs(array);
        assertThat(pool.allocate(false, LongShapeDescriptor.fromShape(new long[] {2, 3, 4}, new long[] {1, 2, 6}, 0, 'f', DataType.FLOAT, false)))
                .as("another order").isNotSameAs(array);
        assertThat(pool.allocate(false, LongShapeDescriptor.fromShape(new long[] {2, 3, 4}, DataType.FLOAT))).isSameAs(array);
        assertThat(pool.pooledBytes()).isZero();
        assertThat(pool.allocate(false, DataType.FLOAT, 2, 3, 4)).as("taken already").isNotSameAs(array);
    }

    @Test
    void whatDoesNotFitIsClosed()
    {
        ArrayPool pool = new ArrayPool(100);
        INDArray kept = pool.allocate(false, DataType.FLOAT, 20);
        INDArray over = pool.allocate(false, DataType.FLOAT, 10);
        pool.give(kept);
        pool.give(over);
        assertThat(kept.wasClosed()).isFalse();
        assertThat(over.wasClosed()).as("80 + 40 bytes exceed 100").isTrue();
        assertThat(pool.pooledBytes()).isEqualTo(80);

        ArrayPool none = new ArrayPool(0);
        INDArray array = none.allocate(false, DataType.FLOAT, 1);
        none.give(array);
        assertThat(array.wasClosed()).isTrue();
        assertThat(none.pooledBytes()).isZero();
    }

    @Test
    void aViewIsNeitherPooledNorClosed()
    {
        ArrayPool pool = new ArrayPool(1 << 20);
        INDArray base = pool.allocate(false, DataType.FLOAT, 4, 4);
        INDArray row = base.getRow(1);
        pool.give(row);
        assertThat(pool.pooledBytes()).isZero();
        assertThat(base.wasClosed()).isFalse();
        assertThat(pool.allocate(false, DataType.FLOAT, 4)).isNotSameAs(row);
    }

    @Test
    void theSessionsOwnReleaseDoesNotPool()
    {
        ArrayPool pool = new ArrayPool(1 << 20);
        INDArray array = pool.allocate(false, DataType.FLOAT, 5);
        pool.release(array);
        assertThat(array.wasClosed()).isFalse();
        assertThat(pool.pooledBytes()).isZero();
        assertThat(pool.allocate(false, DataType.FLOAT, 5)).isNotSameAs(array);
    }

    @Test
    void closingFreesWhatIsPooled()
    {
        ArrayPool pool = new ArrayPool(1 << 20);
        INDArray array = pool.allocate(false, DataType.FLOAT, 8);
        pool.give(array);
        pool.close();
        assertThat(array.wasClosed()).isTrue();
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void aNegativeCapacityIsRefused()
    {
        assertThatThrownBy(() -> new ArrayPool(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacityBytes must not be negative, got -1");
    }
}
