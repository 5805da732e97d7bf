package dev.junction.quic;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import dev.junction.support.JunctionException;
import dev.junction.support.TlsMaterial;
import io.netty.handler.ssl.ClientAuth;
import io.netty.incubator.codec.http3.Http3;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;

/**
 * TLS of the native transport. Netty's QUIC trust managers check the chain but not the host name, so the client
 * checks the server certificate's names itself ({@link #checkHostName}) once the handshake is done.
 */
final class NativeTls {

    /** What a user sets to change the certificates a client trusts (both transports name it in their errors). */
    static final String TRUST_CERT_SETTING = "the quic endpoint's trustCertFile (quic-sync.trust-cert-file, QUIC_SYNC_TRUST_CERT_FILE)";

    private NativeTls() {
    }

    static QuicSslContext server(QuicConfiguration config) throws Exception {
        QuicSslContextBuilder builder = QuicSslContextBuilder.forServer(keyManagers(config.getCertFile(), config.getKeyFile(),
                        "TLS_CERT_FILE and TLS_KEY_FILE"), new String(TlsMaterial.keyPassword()))
                .applicationProtocols(Http3.supportedApplicationProtocols());
        if (present(config.getClientTrustCertFile())) {
            builder.trustManager(TlsMaterial.trustManagers(Path.of(config.getClientTrustCertFile()),
                            "the quic endpoint's clientTrustCertFile"))
                    .clientAuth(ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    static QuicSslContext client(QuicConfiguration config) throws Exception {
        QuicSslContextBuilder builder = QuicSslContextBuilder.forClient()
                .applicationProtocols(Http3.supportedApplicationProtocols());
        if (present(config.getTrustCertFile())) {
            builder.trustManager(TlsMaterial.trustManagers(Path.of(config.getTrustCertFile()), TRUST_CERT_SETTING));
        } else {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            builder.trustManager(jvm);
        }
        if (present(config.getClientCertFile()) != present(config.getClientKeyFile())) {
            throw new JunctionException("the quic endpoint's clientCertFile and clientKeyFile go together: set both or neither");
        }
        if (present(config.getClientCertFile())) {
            builder.keyManager(keyManagers(config.getClientCertFile(), config.getClientKeyFile(), "clientCertFile and clientKeyFile"),
                    new String(TlsMaterial.keyPassword()));
        }
        return builder.build();
    }

    /** Fails unless the server's certificate names {@code host} (a DNS name, wildcard in the first label, or an IP). */
    static void checkHostName(SSLSession session, String host) throws SSLPeerUnverifiedException {
        X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> name : leaf.getSubjectAlternativeNames()) {
                    int type = (Integer) name.get(0);
                    String value = String.valueOf(name.get(1));
                    if ((type == 2 && dnsMatches(value, host)) || (type == 7 && value.equalsIgnoreCase(host))) {
                        return;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new SSLPeerUnverifiedException("the server's certificate has unreadable names: " + e.getMessage());
        }
        throw new SSLPeerUnverifiedException("the server's certificate (" + leaf.getSubjectX500Principal().getName()
                + ") does not name " + host + "; connect by a name in its certificate");
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static KeyManagerFactory keyManagers(String certFile, String keyFile, String settings) throws Exception {
        KeyStore keyStore = TlsMaterial.keyStore(Path.of(certFile), Path.of(keyFile), settings);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, TlsMaterial.keyPassword());
        return factory;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
