package dev.ragkit.testkit;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Puts the contract a kit check verifies at the head of its failure, so that a failing adapter test
 * says which promise the implementation broke, e.g.
 * {@code Contract broken: VectorStoreConformanceTest > FILTER > when FILTER is not declared, a filtered
 * search throws UnsupportedCapabilityException [undeclaredFilterThrows]}, and not only what the
 * assertion saw ({@code Expecting code to raise a throwable}). The contract is the kit class, the
 * capability group and the check's display name. An exception thrown by the implementation itself
 * becomes an {@link AssertionError} with the same head and the exception as its cause; aborted checks
 * (assumptions) pass through unchanged. Registered on every kit class.
 */
final class ContractFailures implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    static final String HEAD = "Contract broken: ";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw named(contract(context), thrown);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw named(contract(context) + " (setting up the class)", thrown);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown)
            throws Throwable {
        throw named(contract(context) + " (setting up the check)", thrown);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw named(contract(context) + " (closing what the check opened)", thrown);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw named(contract(context) + " (closing what the class opened)", thrown);
    }

    /** {@code Kit > GROUP > check display name [method]}; the kit alone outside a check. */
    static String contract(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        Class<?> declaring = method.<Class<?>>map(Method::getDeclaringClass).orElseGet(context::getRequiredTestClass);
        List<String> parts = new ArrayList<>();
        Class<?> kit = declaring;
        while (kit.getEnclosingClass() != null && !Modifier.isStatic(kit.getModifiers())) { // a @Nested group
            parts.add(0, displayName(kit.getAnnotation(DisplayName.class), kit.getSimpleName()));
            kit = kit.getEnclosingClass();
        }
        parts.add(0, kit.getSimpleName());
        method.ifPresent(m -> parts.add(displayName(m.getAnnotation(DisplayName.class), m.getName())
                + " [" + m.getName() + "]"));
        return String.join(" > ", parts);
    }

    private static String displayName(DisplayName annotation, String fallback) {
        return annotation != null ? annotation.value() : fallback;
    }

    static Throwable named(String contract, Throwable thrown) {
        if (thrown instanceof TestAbortedException || thrown instanceof VirtualMachineError
                || String.valueOf(thrown.getMessage()).startsWith(HEAD)) {
            return thrown;
        }
        String head = HEAD + contract + "\n";
        if (thrown instanceof AssertionFailedError failed && failed.isExpectedDefined() && failed.isActualDefined()) {
            // Keeps expected and actual, for the IDE's comparison view.
            return withTrace(new AssertionFailedError(head + failed.getMessage(), failed.getExpected().getValue(),
                    failed.getActual().getValue(), failed.getCause()), failed);
        }
        if (thrown instanceof AssertionError failed) {
            return withTrace(new AssertionError(head + failed.getMessage(), failed.getCause()), failed);
        }
        return new AssertionError(head + "the implementation threw " + thrown, thrown);
    }

    /** The assertion's own stack trace and suppressed failures, so that it still points at the check's line. */
    private static Throwable withTrace(Throwable named, Throwable original) {
        named.setStackTrace(original.getStackTrace());
        for (Throwable suppressed : original.getSuppressed()) {
            named.addSuppressed(suppressed);
        }
        return named;
    }
}
