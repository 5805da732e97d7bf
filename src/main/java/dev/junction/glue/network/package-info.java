/**
 * glue's network layer: a UDP data socket (unicast) and a discovery socket (a multicast group, or a unicast port
 * for rendezvous mode), on Netty's datagram channels (epoll where available), bound to a chosen interface. It
 * decodes each datagram ({@code dev.junction.glue.wire}), drops and counts what is refused, and hands the rest on.
 */
package dev.junction.glue.network;
