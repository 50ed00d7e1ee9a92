package org.atnas.core.search;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that keeps its {@code capacity} most recently used entries; not thread-safe. */
final class LruMap<K, V>
        extends LinkedHashMap<K, V>
{
    private final int capacity;

    LruMap(int capacity)
    {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest)
    {
        return size() > capacity;
    }
}
