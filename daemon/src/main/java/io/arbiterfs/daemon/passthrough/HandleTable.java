package io.arbiterfs.daemon.passthrough;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** File handles (the fh the kernel echoes back) → open state; handles come from a counter, never reused. */
final class HandleTable<T> {
    private final ConcurrentHashMap<Long, T> byHandle = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long add(T value) {
        long fh = next.getAndIncrement();
        byHandle.put(fh, value);
        return fh;
    }

    T get(long fh) {
        return byHandle.get(fh);
    }

    T remove(long fh) {
        return byHandle.remove(fh);
    }

    int size() {
        return byHandle.size();
    }

    /** Removes and returns everything (for shutdown). */
    Collection<T> drain() {
        Collection<T> all = new java.util.ArrayList<>(byHandle.values());
        byHandle.clear();
        return all;
    }
}
