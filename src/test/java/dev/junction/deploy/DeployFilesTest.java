package dev.junction.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.junction.config.JunctionConfig;
import dev.junction.testing.TestJunction;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine or cluster runs here, so the deploy files are checked by parsing: every service, port,
 * environment variable, mounted path and copied file they name must exist.
 */
class DeployFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path REPO = TestJunction.repoDir();
    private static final String ROUTES_IN_CONTAINER = "/opt/junction/routes";

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(REPO.resolve(file).toFile());
    }

    private static List<JsonNode> yamlDocuments(String file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(REPO.resolve(file).toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    /** Environment variables Junction understands: a key of application.properties in env form, or CAMEL_*. */
    private static void assertKnownVariable(String name) throws IOException {
        Properties defaults = new Properties();
        try (var in = JunctionConfig.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        boolean known = name.startsWith("CAMEL_") || defaults.stringPropertyNames().stream()
                .anyMatch(key -> JunctionConfig.envName(key).equals(name));
        assertThat(known).as("environment variable %s maps to a configuration key", name).isTrue();
    }

    @Test
    void dockerComposeReferencesResolve() throws IOException {
        JsonNode services = yaml("docker-compose.yml").get("services");
        assertThat(services.has("kafka") && services.has("mysql") && services.has("postgres") && services.has("junction")).isTrue();

        JsonNode junction = services.get("junction");
        junction.get("depends_on").fieldNames().forEachRemaining(dep -> assertThat(services.has(dep)).as(dep).isTrue());
        JsonNode env = junction.get("environment");
        for (var it = env.fieldNames(); it.hasNext(); ) {
            assertKnownVariable(it.next());
        }

        // KAFKA_BOOTSTRAP names the kafka service on the listener that service advertises.
        String bootstrap = env.get("KAFKA_BOOTSTRAP").asText();
        String host = bootstrap.split(":")[0];
        assertThat(services.has(host)).isTrue();
        assertThat(services.get(host).get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText()).contains("//" + bootstrap);

        // DB_URL names the postgres service, its port and the database it creates, with its password.
        var db = java.net.URI.create(env.get("DB_URL").asText().substring("jdbc:".length()));
        JsonNode postgres = services.get(db.getHost());
        assertThat(postgres).as("service %s", db.getHost()).isNotNull();
        assertThat(postgres.get("ports").toString()).contains(":" + db.getPort());
        assertThat(db.getPath()).isEqualTo("/" + postgres.at("/environment/POSTGRES_DB").asText());
        assertThat(env.get("DB_PASSWORD").asText()).isEqualTo(postgres.at("/environment/POSTGRES_PASSWORD").asText());

        // The mounted routes directory exists and JUNCTION_ROUTES points into the mount.
        String volume = junction.get("volumes").get(0).asText();
        String[] parts = volume.split(":");
        assertThat(Files.isDirectory(REPO.resolve(parts[0]))).isTrue();
        assertThat(parts[1]).isEqualTo(ROUTES_IN_CONTAINER);
        assertThat(env.get("JUNCTION_ROUTES").asText()).startsWith(ROUTES_IN_CONTAINER + "/");

        // MySQL has what CDC needs: row binlog and GTIDs. PostgreSQL has logical WAL.
        assertThat(services.get("mysql").get("command").toString()).contains("--binlog-format=ROW", "--gtid-mode=ON");
        assertThat(services.get("postgres").get("command").toString()).contains("wal_level=logical");
    }

    @Test
    void dockerfileCopiesWhatTheBuildMakesAndRunsTheJar() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            String source = copy.group(1);
            // target/ is made by `mvn package`; everything else must be in the repository.
            if (!source.startsWith("target/")) {
                assertThat(Files.exists(REPO.resolve(source))).as(source).isTrue();
            } else {
                assertThat(source).isIn("target/lib/", "target/junction.jar");
            }
        }
        assertThat(copies).isGreaterThanOrEqualTo(3);
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/junction/junction.jar\"]");
        assertThat(dockerfile).contains("JUNCTION_ROUTES=" + ROUTES_IN_CONTAINER + "/*.camel.yaml");
        assertThat(Files.readString(REPO.resolve("pom.xml"))).contains("<finalName>junction</finalName>", "<classpathPrefix>lib/</classpathPrefix>");
    }

    @Test
    void kubernetesDeploymentMountsRoutesFromAConfigMapAndProbesTheManagementPort() throws IOException {
        List<JsonNode> docs = yamlDocuments("deploy/kubernetes/deployment.yaml");
        JsonNode deployment = docs.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst().orElseThrow();
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.get("containers").get(0);

        JsonNode mount = container.get("volumeMounts").get(0);
        assertThat(mount.get("mountPath").asText()).isEqualTo(ROUTES_IN_CONTAINER);
        JsonNode volume = pod.get("volumes").get(0);
        assertThat(volume.get("name").asText()).isEqualTo(mount.get("name").asText());
        assertThat(volume.at("/configMap/name").asText()).isEqualTo("junction-routes");
        assertThat(Files.readString(REPO.resolve("deploy/kubernetes/README.md")))
                .contains("kubectl create configmap junction-routes --from-file=routes/");

        for (JsonNode env : container.get("env")) {
            assertKnownVariable(env.get("name").asText());
            if ("JUNCTION_ROUTES".equals(env.get("name").asText())) {
                assertThat(env.get("value").asText()).startsWith(ROUTES_IN_CONTAINER + "/");
            }
        }
        int managementPort = Integer.parseInt(JunctionConfig.load(Map.of(), Map.of()).get("camel.management.port"));
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(managementPort);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/observe/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/observe/health/live");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo(container.at("/ports/0/name").asText());

        JsonNode service = docs.stream().filter(d -> "Service".equals(d.path("kind").asText())).findFirst().orElseThrow();
        assertThat(service.at("/spec/selector/app").asText()).isEqualTo(deployment.at("/spec/template/metadata/labels/app").asText());
    }

    @Test
    void camelKIntegrationRunsTheHeartbeatRouteFileUnchanged() throws IOException {
        JsonNode integration = yaml("deploy/kubernetes/camel-k-integration.yaml");
        assertThat(integration.get("kind").asText()).isEqualTo("Integration");
        JsonNode route = YAML.readTree(REPO.resolve("routes/heartbeat.camel.yaml").toFile());
        assertThat(integration.at("/spec/flows")).isEqualTo(route);
        String pom = Files.readString(REPO.resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>junction</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).isTrue();
        assertThat(integration.at("/spec/dependencies").toString()).contains("mvn:dev.junction:junction:" + version.group(1));
    }
}
