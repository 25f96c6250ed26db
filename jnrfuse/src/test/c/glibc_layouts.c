/* Prints "struct.member offset" and "struct sizeof N" for the glibc x86-64 structs jnr-fuse's struct classes
 * are laid over (struct stat, statvfs, flock, timespec). Compiled and run by StructLayoutTest. */
#define _FILE_OFFSET_BITS 64
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#define MEMBER(s, m) printf("%s.%s %zu\n", #s, #m, offsetof(struct s, m))
#define SIZE(s) printf("%s sizeof %zu\n", #s, sizeof(struct s))

int main(void) {
    SIZE(stat);
    MEMBER(stat, st_dev); MEMBER(stat, st_ino); MEMBER(stat, st_nlink); MEMBER(stat, st_mode);
    MEMBER(stat, st_uid); MEMBER(stat, st_gid); MEMBER(stat, st_rdev); MEMBER(stat, st_size);
    MEMBER(stat, st_blksize); MEMBER(stat, st_blocks);
    MEMBER(stat, st_atim.tv_sec); MEMBER(stat, st_atim.tv_nsec); MEMBER(stat, st_mtim.tv_sec);
    MEMBER(stat, st_mtim.tv_nsec); MEMBER(stat, st_ctim.tv_sec); MEMBER(stat, st_ctim.tv_nsec);
    SIZE(statvfs);
    MEMBER(statvfs, f_bsize); MEMBER(statvfs, f_frsize); MEMBER(statvfs, f_blocks); MEMBER(statvfs, f_bfree);
    MEMBER(statvfs, f_bavail); MEMBER(statvfs, f_files); MEMBER(statvfs, f_ffree); MEMBER(statvfs, f_favail);
    MEMBER(statvfs, f_fsid); MEMBER(statvfs, f_flag); MEMBER(statvfs, f_namemax);
    SIZE(flock);
    MEMBER(flock, l_type); MEMBER(flock, l_whence); MEMBER(flock, l_start); MEMBER(flock, l_len); MEMBER(flock, l_pid);
    SIZE(timespec);
    MEMBER(timespec, tv_sec); MEMBER(timespec, tv_nsec);
    return 0;
}
