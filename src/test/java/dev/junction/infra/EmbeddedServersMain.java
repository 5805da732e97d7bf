package dev.junction.infra;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.junction.config.JunctionConfig;

/**
 * A JVM that only runs Junction's embedded PostgreSQL and MariaDB, for tests that kill it: starts both through
 * {@link Infrastructure} on the data directory {@code args[0]}, prints {@code READY <postgres url> <mariadb url>},
 * and runs until it is stopped (SIGTERM closes the servers as Junction does) or killed.
 */
public final class EmbeddedServersMain {

    private EmbeddedServersMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Infrastructure infra = new Infrastructure(JunctionConfig.load(Map.of(), Map.of("junction.data.dir", args[0])));
        Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "servers-stop"));
        EmbeddedPostgres postgres = infra.postgres();
        EmbeddedMariaDb mariaDb = infra.mariaDb();
        System.out.println("READY " + postgres.jdbcUrl("postgres") + " " + mariaDb.jdbcUrl("test"));
        new CountDownLatch(1).await();
    }
}
