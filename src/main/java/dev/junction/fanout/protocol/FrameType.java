package dev.junction.fanout.protocol;

/** The type byte of each frame. Numbers are part of the wire format: never reuse one. */
final class FrameType {

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REDIRECT = 3;
    static final byte DELIVER = 4;
    static final byte ACK = 5;
    static final byte NACK = 6;
    static final byte HEARTBEAT = 7;
    static final byte CLOSE = 8;

    private FrameType() {
    }
}
