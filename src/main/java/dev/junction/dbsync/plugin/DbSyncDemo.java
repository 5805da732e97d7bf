package dev.junction.dbsync.plugin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.junction.config.JunctionConfig;
import dev.junction.flow.DemoSite;
import dev.junction.flow.FlowDemo;
import dev.junction.flow.FlowRow;
import dev.junction.infra.Ports;
import dev.junction.infra.Server;
import dev.junction.observe.ConsumerGroupLag;
import dev.junction.support.KafkaCluster;
import org.apache.camel.CamelContext;

/**
 * The db-sync demo: Sakila's film table on the embedded MariaDB and the catalogue on the embedded PostgreSQL, the
 * API on port 8081 (or a free one), and a feeder that changes films on both sides a few times a second: a new item
 * through the API, a title changed through the API, a year changed in the legacy database with SQL.
 */
final class DbSyncDemo implements FlowDemo {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DbSyncDemo.class);
    private static final int CHANGES_PER_SECOND = 6;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> created = new ArrayList<>();
    private ScheduledExecutorService feeder;
    private ConsumerGroupLag lag;
    private KafkaCluster cluster;
    private Path stateDir;
    private String api;
    private String legacyUrl;
    private String group;
    private long tick;

    @Override
    public Set<Server> servers() {
        return Set.of(Server.MARIADB, Server.POSTGRESQL);
    }

    @Override
    public JunctionConfig prepare(DemoSite site, JunctionConfig config) {
        JunctionConfig resolved = DbSyncDatabases.resolve(config.with("db-sync.enabled", "true"), site.infra());
        int port = Ports.isBusy("0.0.0.0", 8081) ? Ports.freePort() : 8081;
        try {
            Files.createDirectories(site.dataDir());
            // Debezium's offsets of this run only: the embedded MariaDB's binlog may not be the one they point into.
            stateDir = Files.createTempDirectory(site.dataDir(), "db-sync-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create db-sync's state directory in " + site.dataDir(), e);
        }
        api = "http://localhost:" + port + "/api/v1/catalogue";
        legacyUrl = site.infra().mariaDb().jdbcUrl(DbSyncDatabases.LEGACY_DATABASE);
        group = resolved.get("db-sync.group");
        cluster = resolved.kafkaCluster(KafkaCluster.DEFAULT);
        site.announce("db-sync: legacy Sakila film table (embedded MariaDB) <-> catalogue (embedded PostgreSQL); try:\n"
                + "  curl -i -X POST " + api + " -H \"Content-Type: application/json\" -d '{\"title\": \"The Sixth Sense\", \"year\": 1999}'\n"
                + "  curl -i " + api + "/UUID    curl -i '" + api + "?title=sense'\n"
                + "  curl -i -X PUT " + api + "/UUID -H \"Content-Type: application/json\" -d '{\"title\": \"The Sixth Sense\", \"year\": 2021}'\n"
                + "  curl -i -X DELETE " + api + "/UUID    OpenAPI: http://localhost:" + port + "/api/v1/openapi.json");
        return resolved.with("camel.server.port", String.valueOf(port)).with("db-sync.state-dir", stateDir.toString());
    }

    @Override
    public List<FlowRow> start(DemoSite site, CamelContext camel) {
        lag = new ConsumerGroupLag(cluster);
        feeder = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "db-sync-demo-feeder"));
        feeder.scheduleAtFixedRate(this::change, 2000, 1000 / CHANGES_PER_SECOND, TimeUnit.MILLISECONDS);
        return List.of(new FlowRow("db-sync", () -> lag.lag(group + "-catalogue") + lag.lag(group + "-legacy"),
                List.of("db-sync")));
    }

    /** One change: a new item through the API, a title changed through the API, or a year changed in SQL. */
    private void change() {
        try {
            long n = tick++;
            if (created.size() < 20 || n % 3 == 0) {
                String body = "{\"title\": \"DEMO FILM " + n + "\", \"year\": 2001}";
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api)).POST(HttpRequest.BodyPublishers.ofString(body)));
                if (r.statusCode() == 201) {
                    r.headers().firstValue("Location").ifPresent(l -> created.add(l.substring(l.lastIndexOf('/') + 1)));
                }
            } else if (n % 3 == 1) {
                String uuid = created.get((int) (n % created.size()));
                send(HttpRequest.newBuilder(URI.create(api + "/" + uuid))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"title\": \"DEMO FILM " + n + " (renamed)\", \"year\": 2002}")));
            } else {
                try (Connection c = DriverManager.getConnection(legacyUrl, DbSyncDatabases.LEGACY_USER, DbSyncDatabases.LEGACY_PASSWORD);
                        PreparedStatement s = c.prepareStatement("UPDATE film SET release_year = ? WHERE uuid = ?")) {
                    s.setInt(1, 1990 + (int) (n % 30));
                    s.setString(2, created.get((int) (n % created.size())));
                    s.executeUpdate();
                }
            }
        } catch (IOException | SQLException e) {
            LOG.debug("db-sync demo change failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Content-Type", "application/json").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (feeder != null) {
            feeder.shutdownNow();
        }
        if (lag != null) {
            lag.close();
        }
        deleteQuietly(stateDir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
