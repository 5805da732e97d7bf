package dev.junction.testing;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/** {@code camel ...} as Camel JBang's own launcher runs it: only camel-jbang-core resolves here, not its launcher. */
public final class CamelJBangLauncher {

    private CamelJBangLauncher() {
    }

    public static void main(String[] args) {
        CamelJBangMain.run(args);
    }
}
