package dev.junction.quic;

import dev.junction.support.JunctionException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/** Options of a {@code quic:host:port} endpoint: the server (consumer) or the client (producer) side. */
@UriParams
@Configurer
public class QuicConfiguration implements Cloneable {

    @UriPath(description = "Host: the address to bind (consumer) or the server's DNS name, which must be in its certificate (producer)")
    @Metadata(required = true)
    private String host;
    @UriPath(defaultValue = "8443", description = "UDP port")
    private int port = 8443;
    @UriParam(label = "security", description = "Bearer token: the consumer answers 401 to any request without it; the producer sends it")
    @Metadata(secret = true)
    private String token;
    @UriParam(label = "consumer,security", description = "PEM certificate chain of the server (TLS_CERT_FILE)")
    private String certFile;
    @UriParam(label = "consumer,security", description = "PEM private key of the server, RSA or EC, PKCS#8 or PKCS#1 (TLS_KEY_FILE)")
    private String keyFile;
    @UriParam(label = "producer,security", description = "PEM certificate(s) the client trusts: the server's own (pinned) or its CA. Empty: the JVM's trust store")
    private String trustCertFile;
    @UriParam(label = "consumer", defaultValue = "16777216", description = "Largest request body accepted; larger gets 413")
    private long maxBodyBytes = 16L * 1024 * 1024;
    @UriParam(defaultValue = "30", description = "Seconds a connection that receives no packet stays open (server, and native client)")
    private int idleTimeoutSeconds = 30;
    @UriParam(label = "producer", description = "Request path (the header CamelHttpPath overrides it)")
    private String path = "/";
    @UriParam(label = "producer", defaultValue = "10000", description = "Connect timeout in milliseconds")
    private long connectTimeoutMs = 10_000;
    @UriParam(label = "producer", defaultValue = "30000", description = "Request timeout in milliseconds")
    private long requestTimeoutMs = 30_000;
    @UriParam(label = "producer", defaultValue = "1", description = "QUIC connections the producer spreads its requests over"
            + " (the header CamelQuicConnection picks one, else round robin). Each connection has its own congestion window,"
            + " so parallel requests on several connections move more data than on one")
    private int connections = 1;
    @UriParam(label = "producer", defaultValue = "true", description = "Fail the exchange when the response status is not 2xx")
    private boolean throwExceptionOnFailure = true;
    @UriParam(defaultValue = "native", enums = "native,kwik", description = "The QUIC stack: native (Netty's QUIC codec on"
            + " quiche, linux-x86_64: BBR or CUBIC, client certificates) or kwik (pure Java, NewReno, any platform). Both speak"
            + " the same HTTP/3 and interoperate")
    private String transport = "native";
    @UriParam(label = "advanced", defaultValue = "bbr", enums = "bbr,cubic,reno", description = "Congestion control of the native"
            + " transport (kwik has NewReno only)")
    private String congestionControl = "bbr";
    @UriParam(label = "consumer,security", description = "PEM certificate(s) of the CAs (or the clients themselves) whose client"
            + " certificates the native server accepts: set, a client without such a certificate is refused (mutual TLS)")
    private String clientTrustCertFile;
    @UriParam(label = "producer,security", description = "PEM certificate chain the native client presents (mutual TLS)")
    private String clientCertFile;
    @UriParam(label = "producer,security", description = "PEM private key of clientCertFile")
    private String clientKeyFile;

    public QuicConfiguration copy() {
        try {
            return (QuicConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public String getCertFile() { return certFile; }
    public void setCertFile(String certFile) { this.certFile = certFile; }
    public String getKeyFile() { return keyFile; }
    public void setKeyFile(String keyFile) { this.keyFile = keyFile; }
    public String getTrustCertFile() { return trustCertFile; }
    public void setTrustCertFile(String trustCertFile) { this.trustCertFile = trustCertFile; }
    public long getMaxBodyBytes() { return maxBodyBytes; }
    public void setMaxBodyBytes(long maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
    public int getIdleTimeoutSeconds() { return idleTimeoutSeconds; }
    public void setIdleTimeoutSeconds(int idleTimeoutSeconds) { this.idleTimeoutSeconds = idleTimeoutSeconds; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public long getConnectTimeoutMs() { return connectTimeoutMs; }
    public void setConnectTimeoutMs(long connectTimeoutMs) { this.connectTimeoutMs = connectTimeoutMs; }
    public long getRequestTimeoutMs() { return requestTimeoutMs; }
    public void setRequestTimeoutMs(long requestTimeoutMs) { this.requestTimeoutMs = requestTimeoutMs; }
    public int getConnections() { return connections; }
    public void setConnections(int connections) { this.connections = connections; }
    public String getTransport() { return transport; }
    public void setTransport(String transport) { this.transport = transport; }
    public String getCongestionControl() { return congestionControl; }
    public void setCongestionControl(String congestionControl) { this.congestionControl = congestionControl; }
    public String getClientTrustCertFile() { return clientTrustCertFile; }
    public void setClientTrustCertFile(String clientTrustCertFile) { this.clientTrustCertFile = clientTrustCertFile; }
    public String getClientCertFile() { return clientCertFile; }
    public void setClientCertFile(String clientCertFile) { this.clientCertFile = clientCertFile; }
    public String getClientKeyFile() { return clientKeyFile; }
    public void setClientKeyFile(String clientKeyFile) { this.clientKeyFile = clientKeyFile; }

    /** Whether the native (Netty, quiche) transport is chosen; anything but kwik or native is one clear error. */
    public boolean isNativeTransport() {
        if ("native".equalsIgnoreCase(transport)) {
            return true;
        }
        if (transport == null || transport.isBlank()) {
            return true;
        }
        if ("kwik".equalsIgnoreCase(transport)) {
            return false;
        }
        throw new JunctionException("quic transport '" + transport + "' is unknown; set transport to kwik or native");
    }

    public boolean isThrowExceptionOnFailure() { return throwExceptionOnFailure; }
    public void setThrowExceptionOnFailure(boolean throwExceptionOnFailure) { this.throwExceptionOnFailure = throwExceptionOnFailure; }
}
