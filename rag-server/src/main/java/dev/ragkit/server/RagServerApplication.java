package dev.ragkit.server;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Ragkit HTTP service: the /v1 API on the Spring Boot starter. Its defaults are in
 * {@code ragkit-server.properties} (ONNX embedder, FAISS store, extractive answers); {@code ./ragkit serve} starts
 * it with the {@code RAG_*} variables mapped onto {@code ragkit.*}.
 */
@SpringBootApplication
public class RagServerApplication {
    public static void main(String[] args) {
        start(Map.of(), args);
    }

    /** The {@code sha256:<hex>} to configure as {@code ragkit.server.tokens[n].hash} for {@code token}. */
    public static String hashToken(String token) {
        return dev.ragkit.server.internal.TokenAuthenticator.hashOf(token);
    }

    /**
     * Starts the service; {@code defaults} are properties that the application's own sources (environment,
     * command line, application.properties) override.
     */
    public static ConfigurableApplicationContext start(Map<String, Object> defaults, String... args) {
        SpringApplication app = new SpringApplication(RagServerApplication.class);
        app.setDefaultProperties(defaults);
        return app.run(args);
    }
}
