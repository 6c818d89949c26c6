package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundary between API and {@code internal} packages, over the compiled classes of every Ragkit
 * module on this module's class path: no public signature of an API type mentions an internal type,
 * and no module reaches into another module's internal packages. Internal packages carry no
 * compatibility promise; a host compiled against the API must never see them.
 */
class ApiBoundaryTest {
    /** Each module's root package; {@code <root>.internal} is that module's alone. */
    private static final List<String> MODULE_ROOTS = List.of("dev.ragkit.core", "dev.ragkit.testkit",
            "dev.ragkit.embed.onnx", "dev.ragkit.store.faiss", "dev.ragkit.store.redisearch", "dev.ragkit.store.elastic",
            "dev.ragkit.store.weaviate", "dev.ragkit.store.pinecone", "dev.ragkit.store.lucene", "dev.ragkit.llm.http", "dev.ragkit.llm.ollama",
            "dev.ragkit.llm.hf", "dev.ragkit.guard", "dev.ragkit.eval", "dev.ragkit.loader.tika",
            "dev.ragkit.tools", "dev.ragkit.langchain4j", "dev.ragkit.secrets.vault", "dev.ragkit.spring.boot", "dev.ragkit.server",
            "dev.ragkit.examples");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // DO_NOT_INCLUDE_TESTS knows test-classes folders, not Maven test jars (rag-core's is on this class path).
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.ragkit");
    }

    private static boolean isInternal(String name) {
        return name.contains(".internal.") || name.endsWith(".internal");
    }

    private static String moduleOf(String className) {
        String best = "";
        for (String root : MODULE_ROOTS) {
            if ((className.startsWith(root + ".")) && root.length() > best.length()) {
                best = root;
            }
        }
        return best;
    }

    @Test
    void theImportSeesEveryModule() {
        Set<String> seen = new TreeSet<>();
        classes.forEach(c -> seen.add(moduleOf(c.getName())));
        assertThat(seen).as("modules whose classes were read").containsAll(MODULE_ROOTS);
    }

    @Test
    void noModuleReachesIntoAnotherModulesInternalPackages() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            String from = moduleOf(c.getName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getName();
                if (target.startsWith("dev.ragkit.") && isInternal(target) && !moduleOf(target).equals(from)) {
                    violations.add(d.getDescription());
                }
            }
        }
        assertThat(violations).as("uses of another module's internal package").isEmpty();
    }

    @Test
    void noPublicSignatureOfAnApiTypeMentionsAnInternalType() throws ClassNotFoundException {
        List<String> violations = new ArrayList<>();
        for (JavaClass jc : classes) {
            if (isInternal(jc.getName()) || jc.getName().startsWith("dev.ragkit.examples")) {
                continue; // internal types may use each other; examples are applications, not API
            }
            Class<?> c = Class.forName(jc.getName(), false, getClass().getClassLoader());
            if (!isExported(c)) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(violations, c, m.toGenericString());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !k.isSynthetic()) {
                    check(violations, c, k.toGenericString());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    check(violations, c, f.toGenericString());
                }
            }
            if (c.getGenericSuperclass() != null) {
                check(violations, c, "extends " + c.getGenericSuperclass().getTypeName());
            }
            for (var i : c.getGenericInterfaces()) {
                check(violations, c, "implements " + i.getTypeName());
            }
        }
        assertThat(violations).as("public API signatures naming an internal type").isEmpty();
    }

    /** Public, and every enclosing class public too: reachable by a host. */
    private static boolean isExported(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> violations, Class<?> owner, String signature) {
        for (String token : signature.split("[^A-Za-z0-9_.$]+")) {
            if (token.startsWith("dev.ragkit.") && isInternal(token)) {
                violations.add(owner.getName() + ": " + signature);
                return;
            }
        }
    }
}
