package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import com.fasterxml.jackson.databind.JsonNode;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("mount")
class AppendAndStatusTest {
    private static final int THREADS = 4;
    private static final int RECORDS = 10_000;

    @Test
    void appendDirectRecordsFromFourThreadsAllLandIntact() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm().open()) {
            Path f = m.file("log");
            Files.createFile(f);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    int fd = Syscalls.openOk(f, Linux.O_WRONLY | Linux.O_APPEND | Linux.O_DIRECT);
                    ByteBuffer rec = Syscalls.aligned(Syscalls.PAGE);
                    try {
                        for (int i = 0; i < RECORDS; i++) {
                            for (int j = 0; j < Syscalls.PAGE; j += 8) {
                                rec.putInt(j, id).putInt(j + 4, i);
                            }
                            long n = Syscalls.libc.write(fd, Native.address(rec), Syscalls.PAGE);
                            if (n != Syscalls.PAGE) {
                                throw new AssertionError("append " + id + "/" + i + " wrote " + n + " errno " + Native.errno());
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    } finally {
                        Syscalls.close(fd);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
            Path backing = m.source().resolve("log");
            assertEquals((long) THREADS * RECORDS * Syscalls.PAGE, Files.size(backing));
            BitSet[] seen = new BitSet[THREADS];
            for (int t = 0; t < THREADS; t++) {
                seen[t] = new BitSet(RECORDS);
            }
            try (FileChannel ch = FileChannel.open(backing)) {
                ByteBuffer rec = ByteBuffer.allocate(Syscalls.PAGE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (long off = 0; off < ch.size(); off += Syscalls.PAGE) {
                    rec.clear();
                    while (rec.hasRemaining()) {
                        ch.read(rec, off + rec.position());
                    }
                    int id = rec.getInt(0);
                    int seq = rec.getInt(4);
                    for (int j = 0; j < Syscalls.PAGE; j += 8) {
                        assertEquals(id, rec.getInt(j), "torn record at " + off);
                        assertEquals(seq, rec.getInt(j + 4), "torn record at " + off);
                    }
                    assertTrue(id >= 0 && id < THREADS && seq >= 0 && seq < RECORDS, "garbage record at " + off);
                    assertTrue(!seen[id].get(seq), "record " + id + "/" + seq + " twice");
                    seen[id].set(seq);
                }
            }
            for (int t = 0; t < THREADS; t++) {
                assertEquals(RECORDS, seen[t].cardinality(), "records of thread " + t);
            }
        }
    }

    @Test
    void statusNamesTheProcessThatPushedAFileIntoCachedMode() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm().open()) {
            Path f = m.file("db");
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(1 << 20);
            }
            int directFd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT); // the "database"
            Process scanner = new ProcessBuilder("sh", "-c", "exec 3<\"$0\"; sleep 3", f.toString()).start();
            try {
                long pid = scanner.pid();
                await().atMost(Duration.ofSeconds(5)).until(() -> Status.file(f).get("mode").asText().equals("CACHED"));
                JsonNode json = Status.file(f);
                assertEquals(pid, json.at("/pushedOutBy/pid").asLong(), json.toString());
                assertEquals("sh", json.at("/pushedOutBy/process").asText(), json.toString());
                assertEquals(1, json.at("/opens/cached").asInt(), json.toString());
                assertEquals(1, json.at("/opens/direct").asInt(), json.toString());

                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream old = System.out;
                System.setOut(new PrintStream(out, true));
                int rc;
                try {
                    rc = io.arbiterfs.daemon.cli.Main.run(io.arbiterfs.daemon.ArbiterDaemon.BackendLayer.NONE, "status", m.mnt().toString(), "db");
                } finally {
                    System.setOut(old);
                }
                assertEquals(0, rc);
                String text = out.toString();
                assertTrue(text.contains("mode CACHED"), text);
                assertTrue(text.contains("pushed out of parallel mode by sh[" + pid + "]"), text);
            } finally {
                scanner.destroy();
                scanner.waitFor();
                Syscalls.close(directFd);
            }
        }
    }

    @Test
    void passthroughOpensGetOneBackingIdAndBypassTheDaemon() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm("passthrough").open()) {
            Path f = m.file("pt");
            Files.write(f, new byte[8192]);
            Status.resetWritePeak(m.mnt());
            try (RandomAccessFile a = new RandomAccessFile(f.toFile(), "rw");
                 RandomAccessFile b = new RandomAccessFile(f.toFile(), "rw")) {
                a.write(new byte[] {1, 2, 3});
                b.seek(4096);
                b.write(new byte[] {4, 5, 6});
                JsonNode json = Status.file(f);
                assertEquals("UNCACHED", json.get("mode").asText(), json.toString());
                assertEquals(2, json.at("/opens/passthrough").asInt(), json.toString());
                assertTrue(json.get("backingId").asInt() > 0, json.toString());
            }
            assertEquals(0, Status.writePeak(m.mnt()), "passthrough writes must not reach the daemon");
            byte[] backing = Files.readAllBytes(m.source().resolve("pt"));
            assertEquals(3, backing[2]);
            assertEquals(6, backing[4098]);
        }
    }
}
