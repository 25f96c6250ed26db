package io.arbiterfs.fuse;

import java.time.Duration;

/** The reply to GETATTR and SETATTR: the attributes, and how long the kernel may cache them. */
public interface AttributeReply {
    /** The attributes to fill. */
    Attributes attributes();

    /** How long the kernel may use these attributes without asking again (0: ask every time). */
    AttributeReply validFor(Duration validity);
}
