package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.internal.abi.*;

/** One instance of every struct view, owned by one exchange (and so by one worker thread). */
final class Views {
    final InitIn initIn = new InitIn();
    final InitOut initOut = new InitOut();
    final InterruptIn interruptIn = new InterruptIn();
    final ForgetIn forgetIn = new ForgetIn();
    final BatchForgetIn batchForgetIn = new BatchForgetIn();
    final GetattrIn getattrIn = new GetattrIn();
    final SetattrIn setattrIn = new SetattrIn();
    final AttrOut attrOut = new AttrOut();
    final EntryOut entryOut = new EntryOut();
    final MknodIn mknodIn = new MknodIn();
    final MkdirIn mkdirIn = new MkdirIn();
    final RenameIn renameIn = new RenameIn();
    final Rename2In rename2In = new Rename2In();
    final LinkIn linkIn = new LinkIn();
    final OpenIn openIn = new OpenIn();
    final OpenOut openOut = new OpenOut();
    final CreateIn createIn = new CreateIn();
    final ReadIn readIn = new ReadIn();
    final WriteIn writeIn = new WriteIn();
    final WriteOut writeOut = new WriteOut();
    final StatfsOut statfsOut = new StatfsOut();
    final ReleaseIn releaseIn = new ReleaseIn();
    final FlushIn flushIn = new FlushIn();
    final FsyncIn fsyncIn = new FsyncIn();
    final SetxattrIn setxattrIn = new SetxattrIn();
    final GetxattrIn getxattrIn = new GetxattrIn();
    final GetxattrOut getxattrOut = new GetxattrOut();
    final AccessIn accessIn = new AccessIn();
    final LkIn lkIn = new LkIn();
    final LkOut lkOut = new LkOut();
    final FallocateIn fallocateIn = new FallocateIn();
    final LseekIn lseekIn = new LseekIn();
    final LseekOut lseekOut = new LseekOut();
    final CopyFileRangeIn copyFileRangeIn = new CopyFileRangeIn();
    final CopyFileRangeOut copyFileRangeOut = new CopyFileRangeOut();

    static Views of(Exchange x) {
        return x.views;
    }
}
