package io.arbiterfs.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One job of the fixed fio suite: 4 jobs (unless named) on one shared 256 MiB file, time-based.
 * {@link #jobFile} renders it for a directory; {@link #reportGroup} is the fio group whose numbers
 * are reported (the MAP_SHARED companion of {@code randwrite-4k+mmap} is a group of its own).
 *
 * @param name      the key in tables and file names
 * @param writes    whether it writes (only those differ between parallel and serial)
 * @param core      part of the short suite run on the disk backing
 * @param buffered  a page-cache variant (direct=0), for the passthrough target
 * @param sections  fio job sections (everything but [global])
 */
public record FioJob(String name, String description, boolean writes, boolean core, boolean buffered, String sections) {
    public static final String FILE = "bench.dat";
    public static final long FILE_SIZE = 256L << 20;

    public int reportGroup() {
        return 0;
    }

    /** The whole job file for {@code dir}, each job running {@code runtimeSeconds}. */
    public String jobFile(String dir, int runtimeSeconds) {
        return "[global]\n"
                + "filename=" + dir + "/" + FILE + "\n"
                + "size=" + (FILE_SIZE >> 20) + "m\n"
                + "direct=" + (buffered ? 0 : 1) + "\n"
                + "time_based=1\nruntime=" + runtimeSeconds + "\n"
                + "fallocate=none\ngroup_reporting=1\nrandrepeat=0\nnorandommap=1\n"
                + "percentile_list=50:99\n"
                + sections;
    }

    private static String simple(String rw, String bs, String engine, int iodepth, int jobs) {
        return "[" + rw + "]\nrw=" + rw + "\nbs=" + bs + "\nioengine=" + engine + "\niodepth=" + iodepth + "\nnumjobs=" + jobs + "\n";
    }

    /** The suite, in report order. */
    public static List<FioJob> suite() {
        List<FioJob> all = new ArrayList<>();
        for (String rw : List.of("randwrite", "randread")) {
            boolean w = rw.equals("randwrite");
            for (String bs : List.of("4k", "128k")) {
                all.add(new FioJob(rw + "-" + bs + "-psync", "4 jobs " + rw + " " + bs + " psync", w,
                        bs.equals("4k") || !w, false, simple(rw, bs, "psync", 1, 4)));
                all.add(new FioJob(rw + "-" + bs + "-libaio16", "4 jobs " + rw + " " + bs + " libaio iodepth 16", w,
                        bs.equals("128k") && w, false, simple(rw, bs, "libaio", 16, 4)));
            }
        }
        all.add(new FioJob("seqwrite-1m", "1 job sequential write 1 MiB psync", true, true, false,
                simple("write", "1m", "psync", 1, 1)));
        all.add(new FioJob("randwrite-4k+mmap", "4 jobs randwrite 4k psync (reported) + 1 MAP_SHARED mmap writer", true, false, false,
                simple("randwrite", "4k", "psync", 1, 4)
                        + "[mmap-writer]\nnew_group\nrw=randwrite\nbs=4k\nioengine=mmap\ndirect=0\nnumjobs=1\n"));
        all.add(new FioJob("mix095", "generic/095-style: direct read 4k, libaio direct write 8k qd4, buffered read 4k, mmap write 4k", true, false, false,
                "[dio-read]\nrw=randread\nbs=4k\nioengine=psync\n"
                        + "[aio-write]\nrw=randwrite\nbs=8k\nioengine=libaio\niodepth=4\n"
                        + "[buffered-read]\nrw=randread\nbs=4k\nioengine=psync\ndirect=0\n"
                        + "[mmap-write]\nrw=randwrite\nbs=4k\nioengine=mmap\ndirect=0\n"));
        // page-cache variants: what passthrough is for (FOPEN_PASSTHROUGH applies to cached opens)
        for (String[] j : new String[][] {{"randwrite", "4k"}, {"randwrite", "128k"}, {"randread", "4k"}, {"randread", "128k"}}) {
            all.add(new FioJob(j[0] + "-" + j[1] + "-psync-buf", "4 jobs " + j[0] + " " + j[1] + " psync, buffered (direct=0)",
                    j[0].equals("randwrite"), false, true, simple(j[0], j[1], "psync", 1, 4)));
        }
        all.add(new FioJob("seqwrite-1m-buf", "1 job sequential write 1 MiB psync, buffered", true, false, true,
                simple("write", "1m", "psync", 1, 1)));
        return List.copyOf(all);
    }

    public static FioJob named(String name) {
        return suite().stream().filter(j -> j.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fio job " + name));
    }
}
