package io.arbiterfs.locking;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel's IO-mode transitions (contract §2.4, rows 1–21) and what this module does for each, as data. The same
 * rows label the entries of each inode's transition log, drive one unit test each ({@code TransitionRowsTest}), and
 * are rendered into the README by {@link #markdown()} (a test keeps the README in sync).
 *
 * <p>Rows marked "no" have nothing a server can observe or decide; S-rows are the server's own additions.
 */
public final class TransitionTable {

    /** One row: kernel event, states, and the {@link IoModeTable} call and result that mirror it. */
    public enum Row {
        R1("1", "cached open", "NEUTRAL", "CACHED(1)", true, "cachedOpen → GRANTED"),
        R2("2", "cached open", "CACHED(n)", "CACHED(n+1)", true, "cachedOpen → GRANTED"),
        R3("3", "cached open while parallel writes run", "UNCACHED(m)", "DRAINING → CACHED(1) at m = 0", true,
                "cachedOpen waits (bounded, interruptible); new writes go exclusive (DRAINING) → GRANTED"),
        R4("4", "cached open", "passthrough", "unchanged (kernel: EIO)", true,
                "cachedOpen → MUST_USE_PASSTHROUGH(id), counted as a passthrough open"),
        R5("5", "inode became passthrough while a cached opener waited", "DRAINING", "UNCACHED (kernel: EIO)", true,
                "the waiting cachedOpen → MUST_USE_PASSTHROUGH(id, BECAME_PASSTHROUGH_WHILE_WAITING)"),
        R6("6", "first shared mmap of a direct-IO file", "as 1–3", "as 1–3", true,
                "not visible to the server; inferred from a FUSE_WRITE_CACHE write: notePageCacheWrite (row S2)"),
        R7("7", "cached file released", "CACHED(n)", "CACHED(n−1), NEUTRAL at 0", true, "cachedRelease"),
        R8("8", "passthrough open", "NEUTRAL", "UNCACHED(1), backing id installed", true,
                "passthroughOpen → GRANTED(id)"),
        R9("9", "passthrough open, same id", "UNCACHED(m)", "UNCACHED(m+1)", true, "passthroughOpen → GRANTED(id)"),
        R10("10", "passthrough open, different id", "passthrough", "unchanged (kernel: EIO)", true,
                "passthroughOpen → MUST_USE_PASSTHROUGH(existing id, OTHER_BACKING_ID); close your own id"),
        R11("11", "passthrough open", "CACHED(n)", "unchanged (kernel: EIO)", true,
                "passthroughOpen → CONFLICT(CACHED_USERS)"),
        R12("12", "passthrough open while parallel writes run", "UNCACHED / DRAINING(m)", "UNCACHED(m+1)", true,
                "passthroughOpen → GRANTED(id); waiting cached openers get row 5"),
        R13("13", "passthrough open with bad flags or id", "any", "unchanged (kernel: EIO)", true,
                "passthroughOpen(id ≤ 0) → CONFLICT(INVALID_BACKING_ID); reply flags are the daemon's job"),
        R14("14", "passthrough file released", "UNCACHED(m)", "UNCACHED(m−1), NEUTRAL at 0", true,
                "passthroughRelease; closeBackingId = true for the last one"),
        R15("15", "direct-IO open (no passthrough)", "NEUTRAL / CACHED / UNCACHED", "unchanged", true,
                "directOpen → GRANTED, counted for status only"),
        R16("16", "direct-IO open (no passthrough)", "passthrough", "unchanged (kernel: EIO)", true,
                "directOpen → MUST_USE_PASSTHROUGH(id), counted as a passthrough open"),
        R17("17", "parallel write starts", "NEUTRAL / UNCACHED", "UNCACHED(m+1)", true,
                "beginWrite → SHARED (passthrough never conflicts: no backing id involved)"),
        R18("18", "parallel write starts", "CACHED", "unchanged", true,
                "beginWrite → EXCLUSIVE(CACHED_MODE); never an error"),
        R19("19", "parallel write ends", "UNCACHED(m)", "UNCACHED(m−1), NEUTRAL at 0", true,
                "WriteGrant.close; at 0 waiting cached openers wake"),
        R20("20", "MAP_PRIVATE mmap of a direct-IO file", "any non-passthrough", "unchanged", false,
                "nothing: invisible to the server and no mode change"),
        R21("21", "DAX inode or server without OPEN", "–", "no accounting", false,
                "nothing: arbiterfs implements OPEN and has no DAX"),
        S1("S1", "cached opener gives up waiting (deadline or interrupt)", "DRAINING", "UNCACHED", true,
                "cachedOpen → TIMED_OUT / INTERRUPTED; its draining mark is removed"),
        S2("S2", "page-cache write seen (FUSE_WRITE_CACHE)", "NEUTRAL / UNCACHED / CACHED", "CACHED or DRAINING",
                true, "notePageCacheWrite; kept until the inode's last open is released (S3)"),
        S3("S3", "last open of any kind released", "any", "NEUTRAL", true,
                "the page-cache mark is dropped; the entry leaves the live table once no write is in flight");

        private final String id;
        private final String event;
        private final String from;
        private final String to;
        private final boolean appliesToServer;
        private final String serverAction;

        Row(String id, String event, String from, String to, boolean appliesToServer, String serverAction) {
            this.id = id;
            this.event = event;
            this.from = from;
            this.to = to;
            this.appliesToServer = appliesToServer;
            this.serverAction = serverAction;
        }

        public String id() {
            return id;
        }

        public String event() {
            return event;
        }

        public String from() {
            return from;
        }

        public String to() {
            return to;
        }

        public boolean appliesToServer() {
            return appliesToServer;
        }

        public String serverAction() {
            return serverAction;
        }
    }

    private TransitionTable() {
    }

    /** The table as GitHub markdown, one line per row. */
    public static String markdown() {
        String header = "| # | Event | From | To | Applies | arbiterfs |\n|---|---|---|---|---|---|\n";
        return header + Stream.of(Row.values())
                .map(r -> "| " + String.join(" | ", r.id, r.event, r.from, r.to, r.appliesToServer ? "yes" : "no",
                        r.serverAction) + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    /** Prints {@link #markdown()}, for pasting into the README. */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
