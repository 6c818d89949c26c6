package dev.ragkit.embed.onnx;

/**
 * Keeps the DJL tokenizer library (used by LangChain4j's ONNX models) off the network. When it
 * creates a tokenizer, DJL otherwise "calls home": it asks the EC2 metadata address 169.254.169.254
 * for an instance id and sends a telemetry request, which breaks Ragkit's promise of no network at
 * run time and stalls on machines without a route.
 */
final class DjlSettings {
    /** DJL's documented opt-out, read as an environment variable or a system property. */
    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

    private DjlSettings() {
    }

    /** Sets {@code OPT_OUT_TRACKING=true} unless the host chose a value itself. */
    static synchronized void disableTelemetry() {
        if (System.getenv(OPT_OUT_TRACKING) == null && System.getProperty(OPT_OUT_TRACKING) == null) {
            System.setProperty(OPT_OUT_TRACKING, "true");
        }
    }
}
