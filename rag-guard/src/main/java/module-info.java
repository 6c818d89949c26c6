/**
 * Guards: PII detection and redaction, prompt-injection firewall, toxicity and output checks.
 *
 * <p>Only {@code dev.ragkit.guard} is exported. The providers, rules and bundled models stay in the
 * concealed {@code internal} package; the models are read by this module's own classes, so no package
 * is opened.
 */
module dev.ragkit.guard {
    exports dev.ragkit.guard;

    requires transitive dev.ragkit.core;
    // RedactingFormatter is a java.util.logging Formatter.
    requires transitive java.logging;

    provides dev.ragkit.core.spi.GuardProvider with
            dev.ragkit.guard.internal.PiiGuardProvider,
            dev.ragkit.guard.internal.InjectionGuardProvider,
            dev.ragkit.guard.internal.ToxicityGuardProvider,
            dev.ragkit.guard.internal.OutputGuardProvider;
}
