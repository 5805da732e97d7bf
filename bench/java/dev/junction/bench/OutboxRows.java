package dev.junction.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.junction.infra.EmbeddedDatabase;

/** Writes benchmark outbox rows: 200-byte JSON payloads carrying a sequence number, over 1,000 aggregates. */
final class OutboxRows {

    static final int AGGREGATES = 1000;
    private static final int PAYLOAD_BYTES = 200;

    private OutboxRows() {
    }

    static byte[] payload(long seq) {
        String head = "{\"seq\":" + seq + ",\"pad\":\"";
        StringBuilder sb = new StringBuilder(head);
        while (sb.length() < PAYLOAD_BYTES - 2) {
            sb.append('x');
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static long seqOf(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 40), StandardCharsets.UTF_8);
        int from = s.indexOf(':') + 1;
        return Long.parseLong(s.substring(from, s.indexOf(',', from)));
    }

    static Connection connect(EmbeddedDatabase db, String url) throws Exception {
        return DriverManager.getConnection(url, db.user(), db.password());
    }

    /**
     * Inserts rows {@code from} .. {@code from+count-1} from {@code writers} connections at once, as fast as they go,
     * each in transactions of {@code perTransaction} rows (writer k takes every k-th row); returns the commit rate.
     */
    static double insertConcurrently(EmbeddedDatabase db, String url, long from, long count, int writers,
            int perTransaction) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    try (Connection c = connect(db, url); PreparedStatement s = c.prepareStatement(INSERT)) {
                        c.setAutoCommit(false);
                        int inTransaction = 0;
                        for (long seq = from + writer; seq < from + count; seq += writers) {
                            add(s, seq);
                            if (++inTransaction == perTransaction) {
                                s.executeBatch();
                                c.commit();
                                inTransaction = 0;
                            }
                        }
                        s.executeBatch();
                        c.commit();
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    static final String INSERT = "INSERT INTO outbox (aggregate_type, aggregate_id, event_type, payload)"
            + " VALUES ('order', ?, 'OrderChanged', ?)";

    static void add(PreparedStatement s, long seq) throws SQLException {
        s.setString(1, "order-" + (seq % AGGREGATES));
        s.setBytes(2, payload(seq));
        s.addBatch();
    }

    /** Inserts rows {@code from} .. {@code from+count-1} in transactions of {@code perTransaction} rows. */
    static void insert(Connection c, long from, long count, int perTransaction) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (long i = 0; i < count; i++) {
                add(s, from + i);
                if ((i + 1) % perTransaction == 0) {
                    s.executeBatch();
                    c.commit();
                }
            }
            s.executeBatch();
            c.commit();
        }
    }
}
