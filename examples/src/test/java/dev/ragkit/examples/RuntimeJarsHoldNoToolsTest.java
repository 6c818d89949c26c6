package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jars a host puts on its run-time class path (every module but rag-tools, examples and the test
 * kit) hold no tool: no command-line entry point, none of the packages that used to hold the tools,
 * and no reference to rag-tools. Evaluation command lines, benchmarks and training live in rag-tools
 * (or, for the guard training, in rag-guard's test sources), as Lucene keeps its benchmark module
 * apart from lucene-core.
 */
class RuntimeJarsHoldNoToolsTest {
    /** The packages that held tools before they moved to rag-tools. */
    private static final List<String> FORMER_TOOL_PACKAGES = List.of("dev.ragkit.guard.train", "dev.ragkit.guard.eval",
            "dev.ragkit.guard.bench", "dev.ragkit.eval.cli", "dev.ragkit.eval.bench");

    private static JavaClasses all;
    private static JavaClasses runtime;

    @BeforeAll
    static void importRuntimeClasses() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // DO_NOT_INCLUDE_TESTS knows test-classes folders, not Maven test jars (rag-core's is on this class path).
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.ragkit");
        runtime = all.that(DescribedPredicate.describe("in a run-time module",
                (JavaClass c) -> isRuntime(c.getName())));
    }

    private static boolean isRuntime(String className) {
        // rag-server is a service (a Spring Boot application with its own main), not a library a host embeds.
        return !className.startsWith("dev.ragkit.tools.") && !className.startsWith("dev.ragkit.examples.")
                && !className.startsWith("dev.ragkit.testkit.") && !className.startsWith("dev.ragkit.server.");
    }

    @Test
    void theRuntimeModulesWereRead() {
        Set<String> packages = new TreeSet<>();
        runtime.forEach(c -> packages.add(c.getPackageName()));
        assertThat(packages).contains("dev.ragkit.core", "dev.ragkit.guard", "dev.ragkit.eval", "dev.ragkit.store.faiss",
                "dev.ragkit.embed.onnx");
    }

    /** The {@code static main(String[])} methods of these classes. */
    private static List<String> mainMethods(JavaClasses classes) {
        List<String> mains = new ArrayList<>();
        for (JavaClass c : classes) {
            for (JavaMethod m : c.getMethods()) {
                if (m.getName().equals("main") && m.getModifiers().contains(JavaModifier.STATIC)
                        && m.getRawParameterTypes().size() == 1
                        && m.getRawParameterTypes().get(0).getName().equals(String[].class.getName())) {
                    mains.add(c.getName());
                }
            }
        }
        return mains;
    }

    @Test
    void noRuntimeClassHasAMainMethod() {
        // The same search finds the tools' entry points, so an empty result below is not a blind search.
        assertThat(mainMethods(all)).contains("dev.ragkit.tools.eval.EvalCli", "dev.ragkit.tools.guard.GuardEvalCli",
                "dev.ragkit.examples.cli.RagkitCli");
        assertThat(mainMethods(runtime)).as("command-line entry points in run-time jars (tools belong in rag-tools)")
                .isEmpty();
    }

    @Test
    void noRuntimeClassIsInAFormerToolPackage() {
        List<String> found = new ArrayList<>();
        for (JavaClass c : runtime) {
            String pkg = c.getPackageName();
            if (FORMER_TOOL_PACKAGES.stream().anyMatch(p -> pkg.equals(p) || pkg.startsWith(p + "."))) {
                found.add(c.getName());
            }
        }
        assertThat(found).as("tool classes left in run-time jars").isEmpty();
    }

    @Test
    void noRuntimeClassDependsOnTheTools() {
        List<String> uses = new ArrayList<>();
        for (JavaClass c : runtime) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                if (d.getTargetClass().getName().startsWith("dev.ragkit.tools.")) {
                    uses.add(d.getDescription());
                }
            }
        }
        assertThat(uses).as("run-time classes using rag-tools").isEmpty();
    }
}
