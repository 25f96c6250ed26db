package io.arbiterfs.daemon.coherence;

import io.arbiterfs.testkit.sys.Syscalls;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Threads looping non-extending 4 KiB O_DIRECT pwrites into an existing file, until stopped. */
final class DirectWriters implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    DirectWriters(Path file, int threadCount, long fileSize) {
        for (int t = 0; t < threadCount; t++) {
            byte fill = (byte) ('a' + t);
            Thread th = new Thread(() -> {
                int fd = Syscalls.openOk(file, Linux.O_RDWR | Linux.O_DIRECT);
                ByteBuffer buf = Syscalls.filled(Syscalls.PAGE, fill);
                long pages = fileSize / Syscalls.PAGE;
                try {
                    while (!stop.get()) {
                        long off = ThreadLocalRandom.current().nextLong(pages) * Syscalls.PAGE;
                        if (Syscalls.libc.pwrite(fd, Native.address(buf), Syscalls.PAGE, off) == Syscalls.PAGE) {
                            writes.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                } finally {
                    Syscalls.close(fd);
                }
            }, "direct-writer-" + t);
            threads.add(th);
        }
        threads.forEach(Thread::start);
    }

    long writes() {
        return writes.get();
    }

    long errors() {
        return errors.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }
}
