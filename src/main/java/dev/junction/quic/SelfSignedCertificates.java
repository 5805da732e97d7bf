package dev.junction.quic;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway self-signed certificates for "localhost" (the demo, tests), made by the JDK's own keytool and written
 * as the PEM files users have: cert.pem and key.pem (PKCS#8), and for RSA also key-pkcs1.pem ("RSA PRIVATE KEY").
 */
public final class SelfSignedCertificates {

    public record Files3(Path cert, Path key, Path keyPkcs1) {
    }

    private SelfSignedCertificates() {
    }

    public static Files3 generate(Path dir, String algorithm) throws Exception {
        return generate(dir, algorithm, "dns:localhost");
    }

    /** As {@link #generate(Path, String)}, naming {@code subjectAltNames} (keytool's form: dns:localhost,ip:10.77.0.2). */
    public static Files3 generate(Path dir, String algorithm, String subjectAltNames) throws Exception {
        Files.createDirectories(dir);
        Path store = dir.resolve(algorithm + ".p12");
        Files.deleteIfExists(store); // a new pair each time: keytool will not add a second "server" entry (second demo run)
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", algorithm,
                "-keysize", "RSA".equals(algorithm) ? "2048" : "256", "-dname", "CN=localhost",
                "-ext", "SAN=" + subjectAltNames, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(p.getInputStream().readAllBytes()));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Key key = ks.getKey("server", "changeit".toCharArray());
        Path cert = dir.resolve(algorithm + "-cert.pem");
        Path keyFile = dir.resolve(algorithm + "-key.pem");
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("server").getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        Path pkcs1 = null;
        if ("RSA".equals(algorithm)) {
            pkcs1 = dir.resolve("RSA-key-pkcs1.pem");
            Files.writeString(pkcs1, pem("RSA PRIVATE KEY", pkcs1Of(key.getEncoded())));
        }
        return new Files3(cert, keyFile, pkcs1);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the content of its last element, an OCTET STRING. */
    private static byte[] pkcs1Of(byte[] pkcs8) {
        int i = skipHeader(pkcs8, 0);               // into the outer SEQUENCE
        i = skipElement(pkcs8, i);                  // version INTEGER
        i = skipElement(pkcs8, i);                  // AlgorithmIdentifier SEQUENCE
        int content = skipHeader(pkcs8, i);         // the OCTET STRING's content
        return Arrays.copyOfRange(pkcs8, content, content + length(pkcs8, i));
    }

    private static int skipHeader(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int length(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = 0;
        for (int k = 0; k < (first & 0x7f); k++) {
            n = (n << 8) | (der[at + 2 + k] & 0xff);
        }
        return n;
    }

    private static int skipElement(byte[] der, int at) {
        return skipHeader(der, at) + length(der, at);
    }
}
