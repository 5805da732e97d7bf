/**
 * glue's fragmentation layer: a message larger than one datagram goes as fragments on the reliable stream and is
 * put together again at the receiver; sets that stay incomplete (a fragment expired on the way) are dropped after a
 * timeout, and the bytes held for incomplete sets are bounded.
 */
package dev.junction.glue.fragment;
