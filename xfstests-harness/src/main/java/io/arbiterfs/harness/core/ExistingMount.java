package io.arbiterfs.harness.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A mount someone else made ({@code --mount DIR}); the harness never unmounts it. */
public final class ExistingMount implements MountTarget {
    private final Path root;
    private final Optional<Path> source;

    public ExistingMount(Path root, Optional<Path> source) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a directory");
        }
        this.root = root.toAbsolutePath().normalize();
        this.source = source.map(p -> p.toAbsolutePath().normalize());
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Optional<Path> source() {
        return source;
    }

    @Override
    public MountFacts facts() {
        return MountFacts.unknown();
    }

    @Override
    public String section() {
        return "existing";
    }

    @Override
    public String describe() {
        return "existing mount " + root + source.map(s -> " (source " + s + ")").orElse(" (source unknown: no backing-file comparison)");
    }

    @Override
    public void close() {
        // not ours to unmount
    }
}
