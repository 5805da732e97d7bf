package dev.junction.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules that keep flows pluggable and the published components light:
 * <ul>
 * <li>no cycle between any two packages;</li>
 * <li>components (every package that is not the runtime side) never import the runtime side: the launcher,
 * the demo, the embedded servers, the route runtime, the configuration loader, the flow SPI and the flows'
 * {@code plugin} packages. A route user who takes only the components then never needs the embedded servers.</li>
 * </ul>
 */
class PackageRulesTest {

    /** The runtime side: what starts Junction, not what a route uses. */
    static final String[] RUNTIME_SIDE = {"dev.junction.launcher..", "dev.junction.demo..", "dev.junction.infra..",
            "dev.junction.runtime..", "dev.junction.config..", "dev.junction.flow..", "dev.junction..plugin.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.junction");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.junction.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void componentsNeverImportTheRuntimeSide() {
        noClasses().that().resideInAPackage("dev.junction..").and().resideOutsideOfPackages(RUNTIME_SIDE)
                .should().dependOnClassesThat().resideInAnyPackage(RUNTIME_SIDE)
                .because("components are published for camel run and Camel K without the launcher or embedded servers")
                .check(classes);
    }

    /** The embedded servers are optional dependencies of the published artifact: only the runtime side may use them. */
    @Test
    void onlyTheRuntimeSideUsesTheEmbeddedServers() {
        noClasses().that().resideInAPackage("dev.junction..").and().resideOutsideOfPackages(RUNTIME_SIDE)
                .should().dependOnClassesThat().resideInAnyPackage("kafka..", "io.zonky..", "ch.vorburger..",
                        "org.apache.kafka.raft..", "org.apache.kafka.metadata..", "org.apache.kafka.storage..",
                        "org.apache.kafka.controller..")
                .because("users of the published artifact do not get the embedded servers (optional dependencies)")
                .check(classes);
    }

    @Test
    void sharedSupportDependsOnNothingElseOfJunction() {
        noClasses().that().resideInAPackage("dev.junction.support..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.junction.support..", "java..", "javax..",
                        "org.apache.kafka..", "org.apache.camel..", "org.slf4j..")
                .check(classes);
    }
}
