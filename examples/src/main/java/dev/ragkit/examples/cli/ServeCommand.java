package dev.ragkit.examples.cli;

import dev.ragkit.server.RagServerApplication;
import dev.ragkit.tools.cli.Args;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * {@code ragkit serve}: the /v1 HTTP API (module rag-server) on the CLI's configuration: the embedded defaults
 * (ONNX + FAISS in .ragkit/index, extractive answers) and the {@code RAG_*} variables, mapped onto
 * {@code ragkit.*} properties. Spring Boot's own sources (SERVER_PORT, application.properties,
 * RAGKIT_SERVER_* variables) override them. Runs until interrupted (Ctrl-C).
 */
final class ServeCommand implements Command {
    private static final Set<String> VALUED = union(IndexAccess.VALUED, Set.of("port", "hash-token", "jobs"));
    private static final Set<String> FLAGS = Set.of("help");

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run the /v1 HTTP API (rag, retrieve, embed, generate, ingest jobs) over the index";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit serve [--port 8080] [--jobs DIR] [options]
                   ragkit serve --hash-token TOKEN

            Serves POST /v1/rag, /v1/retrieve, /v1/embed, /v1/generate, /v1/ingest, GET /v1/jobs/{id},
            DELETE /v1/documents/{id}, the OpenAPI document at /v1/openapi.json, and /actuator/health and
            /actuator/prometheus. Every /v1 call needs 'Authorization: Bearer <token>'. Tokens are configured
            by their hash (ragkit.server.tokens[0].hash=sha256:..., scopes, tenant; see rag-server/README.md);
            with none configured, a random token with every scope is generated and printed once at start-up.

            Options:
              --port N          the HTTP port (default 8080, or SERVER_PORT)
              --jobs DIR        where ingestion jobs are persisted (default .ragkit/jobs)
              --hash-token T    print the sha256:... hash to configure for token T, and exit
            """ + IndexAccess.OPTIONS_HELP;
    }

    @Override
    public int run(List<String> rawArgs, CliContext context) {
        Args args = Args.parse(rawArgs, VALUED, IndexAccess.REPEATABLE, FLAGS);
        if (args.flag("help")) {
            context.out().print(usage());
            return RagkitCli.OK;
        }
        if (!args.positionals().isEmpty()) {
            throw new CliUsageException("serve takes no arguments, but was given " + args.positionals());
        }
        if (args.value("hash-token").isPresent()) {
            context.out().println(RagServerApplication.hashToken(args.value("hash-token").get()));
            return RagkitCli.OK;
        }
        CliConfig config = IndexAccess.config(args, context);
        Map<String, Object> defaults = springProperties(config.toMap());
        defaults.put("ragkit.server.ingest.jobs-directory",
                args.value("jobs").map(Path::of).orElse(Path.of(".ragkit", "jobs")).toAbsolutePath().toString());
        args.intBetween("port", 0, 65_535).ifPresent(port -> defaults.put("server.port", Integer.toString(port)));
        ConfigurableApplicationContext server = RagServerApplication.start(defaults);
        CountDownLatch closed = new CountDownLatch(1);
        server.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        server.registerShutdownHook();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return RagkitCli.OK;
    }

    /** {@code rag.x} keys as the starter's {@code ragkit.x} properties. */
    static Map<String, Object> springProperties(Map<String, String> core) {
        Map<String, Object> properties = new LinkedHashMap<>();
        core.forEach((key, value) -> properties.put("ragkit." + key.substring("rag.".length()), value));
        return properties;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
