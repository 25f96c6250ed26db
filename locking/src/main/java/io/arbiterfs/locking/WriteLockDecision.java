package io.arbiterfs.locking;

/**
 * The direct-write lock decision of contract §3.2 as a pure function, so it can be read and tested as a table.
 *
 * <p>A write is EXCLUSIVE if any of these holds, checked in this order (the first match is the reported reason):
 * <ol>
 *   <li>the open lacks PARALLEL_DIRECT_WRITES ({@link ExclusiveReason#NOT_PARALLEL});</li>
 *   <li>O_APPEND ({@link ExclusiveReason#APPEND});</li>
 *   <li>it ends past the <em>server's</em> size ({@link ExclusiveReason#EXTENDING}); the kernel judges this by its
 *       cached, possibly stale i_size, so we check again with ours;</li>
 *   <li>the inode is CACHED or DRAINING ({@link ExclusiveReason#CACHED_MODE}, {@link ExclusiveReason#DRAINING}).</li>
 * </ol>
 * Otherwise SHARED. {@link InodeIoMode#beginWrite} applies 1–2 before touching the lock, 4 atomically with joining the
 * shared side, and 3 once after joining (where the size cannot shrink), so it asks the server's size once.
 */
public final class WriteLockDecision {

    /** The decision: SHARED (reason {@code null}) or EXCLUSIVE with its reason. */
    public record Decision(WriteLockMode mode, ExclusiveReason reason) {
        static Decision shared() {
            return new Decision(WriteLockMode.SHARED, null);
        }

        static Decision exclusive(ExclusiveReason reason) {
            return new Decision(WriteLockMode.EXCLUSIVE, reason);
        }
    }

    private WriteLockDecision() {
    }

    /** The full decision for a write of {@code intent} on an inode of size {@code serverSize} in {@code mode}. */
    public static Decision decide(WriteIntent intent, long serverSize, IoMode mode) {
        ExclusiveReason early = beforeLocking(intent, () -> serverSize);
        if (early != null) {
            return Decision.exclusive(early);
        }
        ExclusiveReason byMode = byMode(mode);
        return byMode == null ? Decision.shared() : Decision.exclusive(byMode);
    }

    /**
     * Rules 1–3, which need no lock; {@code null} if the write may try the shared side. The size is
     * asked only when rules 1 and 2 leave the answer open: for the daemon it is a system call.
     */
    static ExclusiveReason beforeLocking(WriteIntent intent, java.util.function.LongSupplier serverSize) {
        ExclusiveReason byFlags = byFlags(intent);
        if (byFlags != null) {
            return byFlags;
        }
        return intent.extendsPast(serverSize.getAsLong()) ? ExclusiveReason.EXTENDING : null;
    }

    /** Rules 1 and 2, which need neither the size nor the lock; {@code null} if the write may try the shared side. */
    static ExclusiveReason byFlags(WriteIntent intent) {
        if (!intent.parallelAllowed()) {
            return ExclusiveReason.NOT_PARALLEL;
        }
        return intent.append() ? ExclusiveReason.APPEND : null;
    }

    /** Rule 4; {@code null} if the mode allows shared writes (NEUTRAL, UNCACHED incl. passthrough: row 17). */
    static ExclusiveReason byMode(IoMode mode) {
        switch (mode) {
            case CACHED:
                return ExclusiveReason.CACHED_MODE;
            case DRAINING:
                return ExclusiveReason.DRAINING;
            default:
                return null;
        }
    }
}
