package io.arbiterfs.harness.fsx;

/**
 * fsx's operation kinds, with how often each is picked. Truncate and mapwrite cost milliseconds each on a
 * FUSE mount (SETATTR with cached pages; msync + munmap writeback), so they are picked less often to keep
 * 100k operations well under a minute.
 */
enum Op {
    READ("read", 18),
    WRITE("write", 18),
    DIRECT_READ("dread", 10),
    DIRECT_WRITE("dwrite", 10),
    MAP_READ("mapread", 6),
    MAP_WRITE("mapwrite", 5),
    TRUNCATE("truncate", 3),
    FALLOCATE("fallocate", 4),
    PUNCH_HOLE("punch", 3),
    ZERO_RANGE("zero", 4),
    FSYNC("fsync", 1),
    REOPEN("reopen", 1);

    final String label;
    final int weight;

    Op(String label, int weight) {
        this.label = label;
        this.weight = weight;
    }

    boolean mapped() {
        return this == MAP_READ || this == MAP_WRITE;
    }
}
