package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.internal.nativeio.Sys;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request loop on its own /dev/fuse descriptor: read a request into its own buffer, dispatch,
 * write the reply with one writev on the same descriptor (the kernel looks replies up per
 * descriptor). Ends when the connection goes away (ENODEV at unmount or abort).
 */
final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Sys libc = Sys.get();

    private final int fd;
    private final OpTable<?, ?> table;
    private final Exchange exchange;
    private final ByteBuffer iovec = Native.buffer(16);
    private final long iovecAddress = Native.address(iovec);
    private final Runnable onExit;
    private final Runnable onInitReplied;

    Worker(int fd, OpTable<?, ?> table, int maxWrite, Runnable onExit, Runnable onInitReplied) {
        this.fd = fd;
        this.table = table;
        this.exchange = new Exchange(maxWrite);
        this.onExit = onExit;
        this.onInitReplied = onInitReplied;
    }

    Exchange exchange() {
        return exchange;
    }

    @Override
    public void run() {
        try {
            loop();
        } finally {
            onExit.run();
        }
    }

    private void loop() {
        long bufferAddress = exchange.requestAddress();
        int capacity = exchange.requestCapacity();
        while (true) {
            long n = libc.read(fd, bufferAddress, capacity);
            if (n < 0) {
                int e = Native.errno();
                if (e == Errno.EINTR || e == Errno.EAGAIN || e == Errno.ENOENT) {
                    continue; // ENOENT: the request was interrupted before we could read it
                }
                if (e == Errno.ENODEV) {
                    log.debug("fd {}: connection closed", fd);
                } else {
                    log.error("fd {}: reading /dev/fuse failed with errno {}; worker stops", fd, e);
                }
                return;
            }
            int replyLength = table.dispatch(exchange, (int) n);
            boolean open = replyLength <= 0 || reply(replyLength);
            if (exchange.header().opcode() == Opcode.INIT) {
                onInitReplied.run(); // written (or failed): the kernel has processed it either way
            }
            if (!open) {
                return;
            }
        }
    }

    /** Returns false when the connection is gone. */
    private boolean reply(int length) {
        iovec.putLong(0, exchange.replyAddress()).putLong(8, length);
        long w = libc.writev(fd, iovecAddress, 1);
        if (w >= 0) {
            return true;
        }
        int e = Native.errno();
        if (e == Errno.ENOENT) {
            log.debug("reply to {} dropped: request was interrupted", exchange.header().unique());
            return true;
        }
        if (e == Errno.ENODEV) {
            return false;
        }
        log.warn("reply to {} ({} bytes) refused by the kernel: errno {}", exchange.header().unique(), length, e);
        return true;
    }
}
