package dev.junction.dbsync;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether the Debezium engine reads the binlog, from the metrics MBeans Debezium registers for its connector
 * ({@code debezium.mariadb:type=connector-metrics,context=streaming,server=NAME}, {@code debezium.mysql:...}):
 * {@code Connected} while streaming, {@code SnapshotRunning} during the first snapshot. A failed engine
 * unregisters them. Heartbeats are no sign of life: Debezium emits them only while the binlog moves.
 */
final class CdcEngineState {

    private final String name;

    CdcEngineState(String name) {
        this.name = name;
    }

    /** Null when the engine streams or snapshots, else why not. */
    String problem() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (isTrue(server, "snapshot", "SnapshotRunning")) {
                return null;
            }
            Set<ObjectName> streaming = server.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=streaming,server=" + name + ",*"), null);
            if (streaming.isEmpty()) {
                return "the Debezium engine is not running (it failed or has not started); see its log lines";
            }
            return Boolean.TRUE.equals(server.getAttribute(streaming.iterator().next(), "Connected")) ? null
                    : "the Debezium engine is not connected to the legacy database's binlog";
        } catch (JMException e) {
            return "the Debezium engine's state cannot be read: " + e.getMessage();
        }
    }

    private boolean isTrue(MBeanServer server, String context, String attribute) throws JMException {
        for (ObjectName n : server.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=" + context + ",server=" + name + ",*"), null)) {
            if (Boolean.TRUE.equals(server.getAttribute(n, attribute))) {
                return true;
            }
        }
        return false;
    }
}
