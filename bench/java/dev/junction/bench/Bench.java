package dev.junction.bench;

import java.util.Arrays;

/** Entry point of {@code bench/run NAME [options]}: picks the benchmark by name. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        // Embedded servers leave non-daemon threads behind: always end with an explicit exit code.
        try {
            BenchOptions options = BenchOptions.parse(Arrays.copyOfRange(args, 1, args.length));
            switch (args[0]) {
                case "kafka-baseline" -> KafkaBaselineBench.run(options);
                case "outbox" -> OutboxBench.run(options);
                case "quic-sync" -> QuicSyncBench.run(options);
                case "quic-sync-wan" -> QuicSyncWanBench.run(options);
                case "fanout" -> FanoutBench.run(options);
                case "db-sync" -> DbSyncBench.run(options);
                case "glue" -> GlueBench.run(options);
                default -> {
                    System.err.println("unknown benchmark '" + args[0] + "'; known: kafka-baseline, outbox, quic-sync, quic-sync-wan, fanout, db-sync, glue");
                    System.exit(2);
                }
            }
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.err.println("benchmark " + args[0] + " failed: " + e);
            System.exit(1);
        }
    }
}
