package dev.junction.quic;

import org.apache.camel.Exchange;
import org.apache.camel.spi.Metadata;

/** Headers of the quic component: Camel's usual HTTP header names. */
public final class QuicConstants {

    @Metadata(description = "Request method (GET, POST, ...)", javaType = "String")
    public static final String HTTP_METHOD = Exchange.HTTP_METHOD;
    @Metadata(description = "Request path, without the query", javaType = "String")
    public static final String HTTP_PATH = Exchange.HTTP_PATH;
    @Metadata(description = "Query string, if any", javaType = "String")
    public static final String HTTP_QUERY = Exchange.HTTP_QUERY;
    @Metadata(description = "Response status: set by the route (consumer) or received (producer)", javaType = "int")
    public static final String HTTP_RESPONSE_CODE = Exchange.HTTP_RESPONSE_CODE;
    @Metadata(label = "consumer", description = "Content type of the request or response", javaType = "String")
    public static final String CONTENT_TYPE = Exchange.CONTENT_TYPE;

    @Metadata(label = "producer", description = "Request timeout in milliseconds for this request, overriding the endpoint's requestTimeoutMs", javaType = "long")
    public static final String REQUEST_TIMEOUT_MS = "CamelQuicRequestTimeoutMs";

    @Metadata(label = "producer", description = "Which of the producer's connections carries this request (any int; taken modulo the option connections)", javaType = "int")
    public static final String CONNECTION = "CamelQuicConnection";

    private QuicConstants() {
    }
}
