package dev.junction.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.TrustManagerFactory;


/**
 * Certificates and keys from PEM files, as users have them: a certificate chain, and an RSA or EC private key in
 * PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") form. kwik (quic) reads only RSA PEM itself, and Netty
 * (fanout) wants a KeyManagerFactory: both get the KeyStore built here.
 */
public final class TlsMaterial {

    /** The alias of the key in {@link #keyStore}'s store. */
    public static final String KEY_ALIAS = "junction";
    private static final char[] KEY_PASSWORD = "junction".toCharArray();
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private TlsMaterial() {
    }

    /** The password of the key in {@link #keyStore}'s store (a KeyManagerFactory needs it). */
    public static char[] keyPassword() {
        return KEY_PASSWORD.clone();
    }

    /**
     * A KeyStore holding the key under {@link #KEY_ALIAS} with its certificate chain. {@code settings} names the
     * caller's settings for the two files, for the error a bad file gives.
     */
    public static KeyStore keyStore(Path certFile, Path keyFile, String settings) {
        List<X509Certificate> chain = certificates(certFile, settings);
        PrivateKey key = privateKey(keyFile, settings);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, key, KEY_PASSWORD, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new JunctionException("the key in " + keyFile + " does not match the certificate in " + certFile
                    + ": " + e.getMessage());
        }
    }

    /** The certificates of a PEM file; {@code setting} names the caller's setting for it, for the error. */
    /** Trusts exactly the certificates in the file: a peer's own (pinning) or a private CA. */
    public static TrustManagerFactory trustManagers(Path file, String setting) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (X509Certificate cert : certificates(file, setting)) {
            trusted.setCertificateEntry("trusted-" + i++, cert);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }

    public static List<X509Certificate> certificates(Path file, String setting) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file, setting)) {
                if (block.type().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new JunctionException("cannot read the certificate in " + file + ": " + e.getMessage() + "; check " + setting);
        }
        if (certs.isEmpty()) {
            throw new JunctionException("no PEM certificate in " + file + "; check " + setting);
        }
        return certs;
    }

    static PrivateKey privateKey(Path file, String setting) {
        for (Block block : blocks(file, setting)) {
            try {
                switch (block.type()) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(block.der());
                    }
                    case "RSA PRIVATE KEY" -> {
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(block.der())));
                    }
                    case "EC PRIVATE KEY" -> throw new JunctionException("the EC key in " + file + " is in SEC1 form; "
                            + "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
                    default -> {
                        // certificates and parameters blocks are skipped
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new JunctionException("cannot read the private key in " + file + ": " + e.getMessage() + "; check " + setting);
            }
        }
        throw new JunctionException("no PEM private key in " + file + "; check " + setting);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new GeneralSecurityException("neither an RSA nor an EC key");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an octet string). */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = derElement(0x04, pkcs1);
        byte[] content = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, content, 0, version.length);
        System.arraycopy(algorithm, 0, content, version.length, algorithm.length);
        System.arraycopy(octets, 0, content, version.length + algorithm.length, octets.length);
        return derElement(0x30, content);
    }

    private static byte[] derElement(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file, String setting) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new JunctionException("cannot read " + file + ": " + e.getMessage() + "; check " + setting);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return blocks;
    }
}
