/**
 * Name of the index-table row a user snapshot restore sets to the raft index it was
 * installed at. Reads never answer with a lower index: the image's rows keep their own
 * Create/ModifyIndex, so without the floor a client blocked at a newer index would sleep
 * through the restore. It is replicated state, so every server (and a server rebuilt
 * from a raft snapshot) applies the same floor.
 */
export const RESTORE_INDEX_FLOOR = 'snapshot-restore';
