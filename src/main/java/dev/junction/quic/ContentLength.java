package dev.junction.quic;

/** The content-length header of an HTTP/3 message: its value, or -1 when it is absent or not a length. */
final class ContentLength {

    private ContentLength() {
    }

    static long of(CharSequence header) {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.toString().trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
