package dev.junction.launcher;

import java.nio.file.Path;

/**
 * Chooses the Log4j 2 configuration before the first logger exists. {@code run} logs Junction's own INFO and the
 * libraries' WARN to the console; the demo keeps the console for its table and writes every log line to a file
 * under {@code .junction/logs/}; {@code --verbose} shows everything on the console.
 */
final class ConsoleLogging {

    /** How one command logs: the demo or not, verbose or not, and where the log file goes. */
    record Mode(boolean demo, boolean verbose, Path logDir) {

        Path logFile() {
            return logDir.resolve("junction.log");
        }
    }

    private ConsoleLogging() {
    }

    static void configure(Mode mode) {
        // Libraries that log through java.util.logging (Debezium's binlog client) go to the same files, not stderr.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        }
        if (System.getProperty("log4j2.configurationFile") != null) {
            return; // the user chose a configuration of their own
        }
        String file;
        if (mode.demo()) {
            file = mode.verbose() ? "log4j2-demo-verbose.properties" : "log4j2-demo.properties";
        } else {
            file = mode.verbose() ? "log4j2-verbose.properties" : "log4j2.properties";
        }
        System.setProperty("junction.log.file", mode.logFile().toString());
        System.setProperty("log4j2.configurationFile", "classpath:" + file);
    }
}
