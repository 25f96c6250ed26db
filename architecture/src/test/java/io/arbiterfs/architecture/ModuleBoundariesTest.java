package io.arbiterfs.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.arbiterfs.architecture.violations.UsesEngineInternals;
import io.arbiterfs.examples.violations.ExampleUsingTheDaemon;
import io.arbiterfs.fuse.violations.EngineUsingTheCli;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Who may import what, on the main classes of every module (tests may use more: the engine's test jar exports its
 * wire-level driver from {@code io.arbiterfs.fuse.internal.dispatch}).
 *
 * <ul>
 *   <li>Only the engine ({@code io.arbiterfs.fuse..}) uses the engine's internals ({@code io.arbiterfs.fuse.internal..}).
 *   <li>The examples use nothing of ours but the engine's public API: {@code io.arbiterfs.fuse} and its x86-64
 *       constants {@code io.arbiterfs.fuse.platform}.
 *   <li>The engine uses no logging backend, no command-line library and nothing of ours outside itself.
 * </ul>
 */
class ModuleBoundariesTest {
    private static final String ENGINE = "io.arbiterfs.fuse..";
    private static final String ENGINE_INTERNALS = "io.arbiterfs.fuse.internal..";

    /** Main classes only: test classes (directories named test-classes, test jars) are left out. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.arbiterfs");

    static final ArchRule INTERNALS_STAY_IN_THE_ENGINE = noClasses().that().resideOutsideOfPackage(ENGINE)
            .should().dependOnClassesThat().resideInAPackage(ENGINE_INTERNALS)
            .because("the engine's internals (ABI structs, dispatch, transport, mount) are not its API");

    static final ArchRule EXAMPLES_USE_ONLY_THE_PUBLIC_API = noClasses().that().resideInAPackage("io.arbiterfs.examples..")
            .should().dependOnClassesThat(resideInAPackage("io.arbiterfs..")
                    .and(not(resideInAnyPackage("io.arbiterfs.examples..", "io.arbiterfs.fuse", "io.arbiterfs.fuse.platform"))))
            .because("the examples show what a file system written against the engine's public API alone looks like");

    static final ArchRule ENGINE_DEPENDS_ON_NOTHING_OF_OURS = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat(resideInAnyPackage("ch.qos.logback..", "picocli..")
                    .or(resideInAPackage("io.arbiterfs..").and(resideOutsideOfPackage(ENGINE))))
            .because("the engine is a library: jnr-ffi, jnr-posix and slf4j-api only");

    @Test
    void theImportHoldsTheMainCodeOfEveryModuleAndNoTests() {
        Set<String> names = MAIN.stream().map(JavaClass::getName).collect(Collectors.toSet());
        for (String c : List.of("io.arbiterfs.fuse.FuseMount", "io.arbiterfs.fuse.internal.dispatch.OpTable",
                "io.arbiterfs.locking.InodeIoMode", "io.arbiterfs.examples.HelloFs", "io.arbiterfs.testkit.mount.MountFixture",
                "io.arbiterfs.daemon.ArbiterDaemon", "io.arbiterfs.jnrfuse.ArbiterFfiProvider", "io.arbiterfs.harness.HarnessMain",
                "io.arbiterfs.bench.BenchCommand")) {
            assertTrue(names.contains(c), "main class " + c + " not imported");
        }
        Set<String> tests = Set.of("io.arbiterfs.fuse.internal.dispatch.WireDriver", "io.arbiterfs.daemon.testing.Daemons",
                "io.arbiterfs.examples.ExamplesWireTest", "io.arbiterfs.architecture.ModuleBoundariesTest",
                UsesEngineInternals.class.getName(), ExampleUsingTheDaemon.class.getName(), EngineUsingTheCli.class.getName());
        assertEquals(Set.of(), tests.stream().filter(names::contains).collect(Collectors.toSet()), "test classes imported");
    }

    @Test
    void engineInternalsStayInTheEngine() {
        INTERNALS_STAY_IN_THE_ENGINE.check(MAIN);
    }

    @Test
    void examplesUseOnlyThePublicApi() {
        EXAMPLES_USE_ONLY_THE_PUBLIC_API.check(MAIN);
    }

    @Test
    void theEngineDependsOnNothingOfOurs() {
        ENGINE_DEPENDS_ON_NOTHING_OF_OURS.check(MAIN);
    }

    /** Each rule fails on a class that breaks it: the checks above can fail. */
    @Test
    void eachRuleCatchesItsViolation() {
        JavaClasses violators = new ClassFileImporter().importClasses(UsesEngineInternals.class, ExampleUsingTheDaemon.class,
                EngineUsingTheCli.class);
        assertViolation(INTERNALS_STAY_IN_THE_ENGINE, violators, UsesEngineInternals.class);
        assertViolation(EXAMPLES_USE_ONLY_THE_PUBLIC_API, violators, ExampleUsingTheDaemon.class);
        assertViolation(ENGINE_DEPENDS_ON_NOTHING_OF_OURS, violators, EngineUsingTheCli.class);
    }

    private static void assertViolation(ArchRule rule, JavaClasses classes, Class<?> violator) {
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(classes));
        assertTrue(e.getMessage().contains(violator.getName()), e.getMessage());
    }
}
