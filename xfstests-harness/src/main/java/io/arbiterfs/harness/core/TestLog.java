package io.arbiterfs.harness.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** A test's own log, {@code results/<section>/<name>.full}: everything a failure needs to be understood. */
public final class TestLog implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    public TestLog(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        this.file = file;
        this.out = Files.newBufferedWriter(file);
    }

    public Path file() {
        return file;
    }

    /** A timestamped line; safe to call from the test's worker threads. */
    public synchronized void line(String format, Object... args) {
        try {
            out.write(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + (args.length == 0 ? format : String.format(format, args)));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Verbatim text (tool output). */
    public synchronized void raw(String text) {
        try {
            out.write(text);
            if (!text.endsWith("\n")) {
                out.newLine();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
