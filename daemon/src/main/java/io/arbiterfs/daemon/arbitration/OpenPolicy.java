package io.arbiterfs.daemon.arbitration;

import io.arbiterfs.daemon.arbitration.PathPolicy.Mode;
import io.arbiterfs.fuse.platform.Linux;

/**
 * The mode an open asks for, before the inode's state has its say: the policy file first, then the
 * options. {@code dio=auto} gives direct IO to O_DIRECT opens, {@code always} to every open,
 * {@code never} to none; {@code parallel_dio} adds parallel direct writes to every direct open;
 * {@code passthrough} turns the remaining (page-cache) opens into passthrough opens.
 */
public record OpenPolicy(DirectIo dio, boolean parallelDio, boolean passthrough, PathPolicy paths) {
    /** Who gets FOPEN_DIRECT_IO: O_DIRECT opens, every open, or none. */
    public enum DirectIo { AUTO, ALWAYS, NEVER }

    /** The daemon's defaults: dio=auto, parallel_dio, no passthrough, no policy file. */
    public static OpenPolicy defaults() {
        return new OpenPolicy(DirectIo.AUTO, true, false, PathPolicy.empty());
    }

    /** The wanted mode for an open of {@code relativePath} (null if unknown) with open(2) flags {@code userFlags}. */
    public Mode wanted(String relativePath, int userFlags) {
        var pinned = paths.modeFor(relativePath);
        if (pinned.isPresent()) {
            return pinned.get();
        }
        boolean direct = switch (dio) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> (userFlags & Linux.O_DIRECT) != 0;
        };
        if (direct) {
            return parallelDio ? Mode.PARALLEL : Mode.DIRECT;
        }
        return passthrough ? Mode.PASSTHROUGH : Mode.CACHED;
    }

    /** Whether the open needs the file's path (only to match policy rules). */
    public boolean needsPath() {
        return !paths.isEmpty();
    }
}
