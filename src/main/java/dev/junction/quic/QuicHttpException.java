package dev.junction.quic;

/** The server answered with a status outside 2xx. */
public class QuicHttpException extends Exception {

    private final int status;

    public QuicHttpException(int status, String body) {
        super("HTTP/3 request failed with status " + status + (body.isEmpty() ? "" : ": " + body));
        this.status = status;
    }

    public int getStatus() {
        return status;
    }
}
