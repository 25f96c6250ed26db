/**
 * arbiterfs-fuse: a FUSE engine for Java that speaks the kernel protocol on /dev/fuse itself.
 */
package io.arbiterfs.fuse;
