package io.arbiterfs.testkit.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Reading a child process's output. */
public final class Streams {
    private Streams() {}

    /** Reads {@code in} to the end on a thread of its own: a full pipe must never block the command. */
    public static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("<unreadable: " + e.getMessage() + ">");
            }
        }, "output-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
