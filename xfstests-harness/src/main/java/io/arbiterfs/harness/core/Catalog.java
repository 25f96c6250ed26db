package io.arbiterfs.harness.core;

import io.arbiterfs.harness.fsx.Fsx;
import io.arbiterfs.harness.tests.AioDioVsBufferedRead;
import io.arbiterfs.harness.tests.BufferedDirectCoherence;
import io.arbiterfs.harness.tests.ConcurrentBufferedDirect;
import io.arbiterfs.harness.tests.DioWriteMmapRead;
import io.arbiterfs.harness.tests.DirectWriteInvalidatesCache;
import io.arbiterfs.harness.tests.DisjointDioMmapReaders;
import io.arbiterfs.harness.tests.Fio095;
import io.arbiterfs.harness.tests.MmapWriteDioRead;
import io.arbiterfs.harness.tests.TruncateVsParallelDio;
import java.util.ArrayList;
import java.util.List;

/** Every test of the subset, in run order, and selection by name ({@code arbiter/095}, {@code 095}, {@code fsx}). */
public final class Catalog {
    private Catalog() {}

    public static List<HarnessTest> all() {
        return List.of(new Fio095(), new BufferedDirectCoherence(), new ConcurrentBufferedDirect(),
                new DirectWriteInvalidatesCache(), new MmapWriteDioRead(), new DisjointDioMmapReaders(),
                new TruncateVsParallelDio(), new AioDioVsBufferedRead(), new DioWriteMmapRead(), new Fsx());
    }

    /** The named tests (all when {@code names} is empty); an unknown name is an error listing the known ones. */
    public static List<HarnessTest> select(List<String> names) {
        if (names.isEmpty()) {
            return all();
        }
        List<HarnessTest> out = new ArrayList<>();
        for (String n : names) {
            String want = n.contains("/") ? n : "arbiter/" + n;
            HarnessTest t = all().stream().filter(x -> x.name().equals(want)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown test '" + n + "'; known: "
                            + String.join(" ", all().stream().map(HarnessTest::name).toList())));
            out.add(t);
        }
        return out;
    }
}
