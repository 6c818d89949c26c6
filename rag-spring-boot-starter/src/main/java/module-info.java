/**
 * Ragkit's Spring Boot starter: a {@code Ragkit} auto-configured from {@code ragkit.*} properties, with the
 * application's meters and tracer, and Actuator health indicators per store, embedder and LLM.
 *
 * <p>Spring creates the configuration classes and binds the properties by reflection, hence the {@code opens}.
 */
module dev.ragkit.spring.boot {
    exports dev.ragkit.spring.boot;

    requires transitive dev.ragkit.core;
    requires spring.beans;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.context;
    requires spring.core;
    // Actuator's health module is optional: the health auto-configuration is skipped without it.
    requires static spring.boot.health;

    opens dev.ragkit.spring.boot to spring.core, spring.beans, spring.context;
}
