package dev.junction.glue;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/** Options of a {@code glue:topic} endpoint. The endpoint's network settings are the component's (GLUE_* variables). */
@UriParams
@Configurer
public class GlueConfiguration implements Cloneable {

    @UriPath(description = "The glue topic") @Metadata(required = true)
    private String topic;
    @UriParam(defaultValue = "default", description = "The message type: a subscription gets the messages of its topic and type only")
    private String type = "default";
    @UriParam(label = "producer", javaType = "java.time.Duration", defaultValue = "0",
            description = "How long a published message stays valid (100ms, 5s, ...): undelivered by then, it is dropped, and late joiners no longer get it. 0: never expires")
    private long expiry;
    @UriParam(defaultValue = "false", description = "The topic's replicated key-value state instead of its messages: the producer writes the body under header GlueKey (a null body removes the key); the consumer gets each write that changed the state here")
    private boolean state;

    public GlueConfiguration copy() {
        try {
            return (GlueConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public long getExpiry() {
        return expiry;
    }

    public void setExpiry(long expiry) {
        this.expiry = expiry;
    }

    public boolean isState() {
        return state;
    }

    public void setState(boolean state) {
        this.state = state;
    }
}
