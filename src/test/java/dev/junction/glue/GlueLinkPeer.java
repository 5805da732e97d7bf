package dev.junction.glue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A glue endpoint in a process of its own (for tests across network namespaces), driven by commands on standard
 * input, one per line; it answers on standard output:
 * <ul>
 *   <li>{@code sub TOPIC}: prints {@code GOT <payload>} per message (a payload over 1 KB as {@code GOT blob:<sha-256>});
 *   <li>{@code pub TOPIC N PREFIX}: publishes PREFIX-0 .. PREFIX-(N-1), prints {@code PUBLISHED <peers of the last>};
 *   <li>{@code blob TOPIC BYTES SEED}: publishes random bytes, prints {@code BLOB <sha-256>};
 *   <li>{@code put KEY VALUE}: writes the state of topic {@code model};
 *   <li>{@code state}: prints {@code STATE k=v,k=v} (sorted);
 *   <li>{@code peers}: prints {@code PEERS <n> ABSENT <n>}.
 * </ul>
 * Arguments: name, listen address, discovery target (0: rendezvous point), discovery listen address.
 */
public final class GlueLinkPeer {

    private GlueLinkPeer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("GLUE_NETWORK_ID", "link-test");
        env.put("GLUE_ENDPOINT_NAME", args[0]);
        env.put("GLUE_LISTEN_ADDRESS", args[1]);
        env.put("GLUE_DISCOVERY_TARGET_ADDRESS", args[2]);
        env.put("GLUE_DISCOVERY_LISTEN_ADDRESS", args[3]);
        env.put("GLUE_DISCOVERY_RATE_MILLISECONDS", "200");
        env.put("GLUE_PARTITION_CACHE_MILLISECONDS", "60000");
        try (GlueNode node = GlueNode.start(GlueSettings.from(env));
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            GlueState model = node.state("model");
            System.out.println("READY");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.trim().split(" ");
                switch (w[0]) {
                    case "sub" -> node.subscribe(w[1], "t", m -> System.out.println("GOT " + (m.payload().length > 1024
                            ? "blob:" + sha256(m.payload()) : new String(m.payload(), StandardCharsets.UTF_8))));
                    case "pub" -> {
                        int peers = 0;
                        for (int i = 0; i < Integer.parseInt(w[2]); i++) {
                            peers = node.publish(w[1], "t", null, (w[3] + "-" + i).getBytes(StandardCharsets.UTF_8));
                        }
                        System.out.println("PUBLISHED " + peers);
                    }
                    case "blob" -> {
                        byte[] blob = new byte[Integer.parseInt(w[2])];
                        new Random(Long.parseLong(w[3])).nextBytes(blob);
                        node.publish(w[1], "t", null, blob);
                        System.out.println("BLOB " + sha256(blob));
                    }
                    case "put" -> model.put(w[1], w[2].getBytes(StandardCharsets.UTF_8));
                    case "state" -> {
                        Map<String, String> sorted = new TreeMap<>();
                        model.values().forEach((k, v) -> sorted.put(k, new String(v, StandardCharsets.UTF_8)));
                        StringBuilder b = new StringBuilder();
                        sorted.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
                        System.out.println("STATE " + b);
                    }
                    case "peers" -> System.out.println("PEERS " + node.peers().size() + " ABSENT " + node.absentPeers());
                    default -> System.out.println("UNKNOWN " + line);
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
