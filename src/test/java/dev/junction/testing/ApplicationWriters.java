package dev.junction.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application writing events as docs/outbox-schema.md asks, from many threads at once: each transaction locks
 * its aggregate's row ({@code SELECT ... FOR UPDATE}), reads the aggregate's next sequence number, inserts one
 * outbox row with it, keeps the transaction open for a random while (0-200 ms; one in 30 for 1-3 s) and commits,
 * or rolls back one in ten. Committed events of one aggregate therefore carry seq 0, 1, 2, ... without a gap, in
 * {@code id} order, but commit out of {@code id} order across aggregates.
 */
public final class ApplicationWriters implements AutoCloseable {

    public static final String AGGREGATE_TYPE = "order";

    private final OutboxFixture outbox;
    private final int aggregates;
    private final AtomicInteger committed = new AtomicInteger();
    private final AtomicInteger rolledBack = new AtomicInteger();
    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();

    public ApplicationWriters(OutboxFixture outbox, int writers, int aggregates) throws SQLException {
        this.outbox = outbox;
        this.aggregates = aggregates;
        this.threads = Executors.newFixedThreadPool(writers);
        try (Connection c = outbox.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE aggregates (id varchar(64) PRIMARY KEY, seq integer NOT NULL)");
            for (int a = 0; a < aggregates; a++) {
                s.execute("INSERT INTO aggregates VALUES ('agg-" + a + "', 0)");
            }
        }
        for (int w = 0; w < writers; w++) {
            long seed = 7919L * w;
            running.add(threads.submit(() -> write(new Random(seed))));
        }
    }

    public int committed() {
        return committed.get();
    }

    public int rolledBack() {
        return rolledBack.get();
    }

    /** Stops every writer; a transaction still open is rolled back. Returns once none is left open. */
    public void stop() throws InterruptedException {
        threads.shutdownNow();
        if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("application writers did not stop");
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("an application writer failed", e.getCause());
            }
        }
    }

    private Void write(Random random) throws Exception {
        try (Connection c = outbox.connect();
             PreparedStatement lock = c.prepareStatement("SELECT seq FROM aggregates WHERE id = ? FOR UPDATE");
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + outbox.table
                     + " (aggregate_type, aggregate_id, event_type, payload) VALUES (?, ?, 'Changed', ?)");
             PreparedStatement advance = c.prepareStatement("UPDATE aggregates SET seq = ? WHERE id = ?")) {
            c.setAutoCommit(false);
            while (!Thread.currentThread().isInterrupted()) {
                String aggregate = "agg-" + random.nextInt(aggregates);
                lock.setString(1, aggregate);
                int seq;
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    seq = rs.getInt(1);
                }
                insert.setString(1, AGGREGATE_TYPE);
                insert.setString(2, aggregate);
                insert.setBytes(3, ("{\"aggregate\":\"" + aggregate + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
                insert.executeUpdate();
                advance.setInt(1, seq + 1);
                advance.setString(2, aggregate);
                advance.executeUpdate();
                // The application's own work while it holds the aggregate (part of the workload being simulated).
                Thread.sleep(random.nextInt(30) == 0 ? 1000 + random.nextInt(2000) : random.nextInt(200));
                if (random.nextInt(10) == 0) {
                    c.rollback();
                    rolledBack.incrementAndGet();
                } else {
                    c.commit();
                    committed.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            // stop(): closing the connection rolls back the open transaction
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
