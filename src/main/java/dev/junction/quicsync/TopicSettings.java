package dev.junction.quicsync;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The settings a source topic has of its own (retention, cleanup policy, ...), carried to the receiver in header
 * {@value #HEADER} so that a destination topic it creates keeps records as long as the source does: records keep
 * their source timestamps, and a destination topic with a shorter retention would delete old ones within minutes.
 * Settings that belong to the cluster rather than the data are left out, as MirrorMaker 2 does.
 */
final class TopicSettings {

    static final String HEADER = "x-junction-topic-config";

    private static final Set<String> NOT_COPIED = Set.of("follower.replication.throttled.replicas",
            "leader.replication.throttled.replicas", "message.timestamp.difference.max.ms", "message.timestamp.type",
            "unclean.leader.election.enable", "min.insync.replicas");
    private static final Pattern NAME = Pattern.compile("[a-z0-9.]{1,100}");

    private TopicSettings() {
    }

    /** The settings set on the topic itself (not cluster defaults), minus those not copied. */
    static Map<String, String> of(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        Map<String, String> own = new TreeMap<>();
        for (ConfigEntry e : config.entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !NOT_COPIED.contains(e.name()) && e.value() != null) {
                own.put(e.name(), e.value());
            }
        }
        return own;
    }

    /** {@code name=value&name=value}, values URL-encoded. */
    static String encode(Map<String, String> settings) {
        StringBuilder s = new StringBuilder();
        settings.forEach((name, value) -> s.append(s.length() == 0 ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return s.toString();
    }

    static Map<String, String> decode(String header) throws BadBatchException {
        Map<String, String> settings = new TreeMap<>();
        if (header == null || header.isBlank()) {
            return settings;
        }
        for (String pair : header.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 0 || !NAME.matcher(name).matches() || NOT_COPIED.contains(name)) {
                throw new BadBatchException("header " + HEADER + ": '" + pair + "' is not a topic setting name=value", false);
            }
            try {
                settings.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new BadBatchException("header " + HEADER + ": bad value of " + name + ": " + e.getMessage(), false);
            }
        }
        return settings;
    }
}
