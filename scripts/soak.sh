#!/usr/bin/env bash
# Soak test: mixed fio load (parallel direct writers on one file, verified direct writes, buffered
# read/write with fsync, mmap) plus a metadata storm, against a fresh arbiterfs mount, for
# SECONDS (default 600). Exits 0 only if fio and the storm saw zero errors, the daemon logged no
# ERROR, every inode is back to neutral afterwards, and the mount comes down cleanly.
#   scripts/soak.sh [SECONDS] [extra -o options]
set -uo pipefail
secs="${1:-600}"
opts="${2:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/arbiterfs-soak-XXXXXX)"
src="$work/source" mnt="$work/mnt" log="$work/daemon.log"
mkdir -p "$src" "$mnt"
fail() { echo "soak: FAIL: $*" >&2; status=1; }
status=0

cleanup() {
    if grep -qs " $mnt " /proc/mounts; then "$here/arbiterfs" unmount "$mnt" >/dev/null 2>&1 || umount -l "$mnt"; fi
    [ "$status" -eq 0 ] && rm -rf "$work" || echo "soak: kept $work for inspection" >&2
}
trap cleanup EXIT

"$here/arbiterfs" mount "$src" "$mnt" --log "$log" ${opts:+-o "$opts"} || { echo "soak: mount failed" >&2; exit 1; }
echo "soak: $secs s on $mnt (log $log)"

fio --output-format=json --output="$work/fio.json" --directory="$mnt" --time_based --runtime="$secs" \
    --group_reporting=0 --ioengine=psync \
    --name=parallel-direct --filename=shared.dat --size=64M --rw=randrw --bs=4k --direct=1 --numjobs=4 \
    --name=verified-direct --size=32M --rw=randwrite --bs=16k --direct=1 --verify=crc32c --verify_backlog=64 --verify_fatal=1 --verify_state_save=0 --numjobs=2 \
    --name=buffered --size=32M --rw=randrw --bs=64k --fsync=16 --numjobs=2 \
    --name=mmap --ioengine=mmap --size=16M --rw=randrw --bs=4k --numjobs=1 \
    >"$work/fio.out" 2>&1 &
fio_pid=$!

# metadata storm: 4 loops of create/rename/link/symlink/xattr/stat/readdir/unlink/rmdir
storm() {
    local id=$1 end=$((SECONDS + secs)) n=0 errs=0 d="$mnt/meta-$1"
    mkdir -p "$d" || errs=$((errs + 1))
    while [ $SECONDS -lt $end ]; do
        n=$((n + 1))
        { mkdir "$d/dir$n" && echo "$n" > "$d/dir$n/f" && mv "$d/dir$n/f" "$d/dir$n/g" && ln "$d/dir$n/g" "$d/dir$n/h" \
          && ln -s g "$d/dir$n/l" && setfattr -n user.soak -v "$n" "$d/dir$n/g" \
          && [ "$(getfattr --only-values -n user.soak "$d/dir$n/h")" = "$n" ] && [ "$(cat "$d/dir$n/l")" = "$n" ] \
          && ls -la "$d/dir$n" >/dev/null && stat "$d/dir$n/g" >/dev/null \
          && rm "$d/dir$n/g" "$d/dir$n/h" "$d/dir$n/l" && rmdir "$d/dir$n"; } 2>>"$work/storm-$id.err" || errs=$((errs + 1))
    done
    rmdir "$d" 2>>"$work/storm-$id.err" || errs=$((errs + 1))
    echo "$n $errs" > "$work/storm-$id.result"
}
storm_pids=()
for i in 1 2 3 4; do storm "$i" & storm_pids+=($!); done
status_errs=0
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do   # the status xattr answers throughout
    # the value changes size between getfattr's size probe and its read (ERANGE): one retry is fair
    getfattr -n user.arbiterfs.status --only-values "$mnt" >/dev/null 2>>"$work/status.err" \
        || getfattr -n user.arbiterfs.status --only-values "$mnt" >/dev/null 2>>"$work/status.err" \
        || status_errs=$((status_errs + 1))
    sleep 5
done
wait "${storm_pids[@]}"

fio_rc=0; wait "$fio_pid" 2>/dev/null || fio_rc=$?
[ -s "$work/fio.json" ] && fio_errs=$(python3 -c 'import json,sys; print(sum(j["error"] for j in json.load(open(sys.argv[1]))["jobs"]))' "$work/fio.json" 2>/dev/null \
    || grep -o '"error" : [0-9]*' "$work/fio.json" | awk '{s+=$3} END {print s+0}')
[ "$fio_rc" -eq 0 ] || fail "fio exited $fio_rc: $(tail -5 "$work/fio.out")"
[ "${fio_errs:-1}" -eq 0 ] || fail "fio reported $fio_errs job errors"
ops=0; storm_errs=0
for f in "$work"/storm-*.result; do read -r n e < "$f"; ops=$((ops + n)); storm_errs=$((storm_errs + e)); done
[ "$storm_errs" -eq 0 ] || fail "metadata storm: $storm_errs failed rounds: $(cat "$work"/storm-*.err | head -5)"
[ "$status_errs" -eq 0 ] || fail "status xattr failed $status_errs times: $(sort "$work/status.err" | uniq -c | head -3)"
sleep 2   # RELEASEs follow the last close asynchronously
live=$(getfattr -n user.arbiterfs.status --only-values "$mnt" 2>/dev/null | grep -o '"liveInodes":[0-9]*')
[ "$live" = '"liveInodes":0' ] || fail "IO-mode state left after the run: $live"
grep -q " ERROR " "$log" && fail "daemon logged errors: $(grep " ERROR " "$log" | head -3)"
"$here/arbiterfs" unmount "$mnt" >/dev/null || fail "unmount failed"
sleep 1
pgrep -f "io.arbiterfs.daemon.cli.Main mount -f --notify-ready $src $mnt" >/dev/null && fail "daemon still running after unmount"
io=$(grep -o '"io_bytes" : [0-9]*' "$work/fio.json" | awk '{s+=$3} END {printf "%.1f GiB", s/1073741824}')
echo "soak: ${secs}s, fio moved $io, $ops metadata rounds, fio errors ${fio_errs:-?}, storm errors $storm_errs: $([ $status -eq 0 ] && echo PASS || echo FAIL)"
exit $status
