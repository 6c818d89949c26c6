package dev.ragkit.store.redisearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Redis + RediSearch server the integration tests run against, found in this order:
 * <ol>
 *   <li>{@code REDISEARCH_URL} (environment) or {@code -Dredisearch.url}: an external Redis Stack or Redis 8
 *       with modules, used as it is;</li>
 *   <li>the binaries that {@code scripts/setup-redisearch.sh} built from the vendored sources, in
 *       {@code $REDISEARCH_HOME} or {@code ~/.cache/ragkit/redisearch/current}: {@code redis-server} started
 *       on a free loopback port with {@code --loadmodule redisearch.so}, its data under {@code target/}, once
 *       per test JVM, and stopped when the JVM ends, whether the tests passed or not.</li>
 * </ol>
 * Without either it fails, saying how to get one: CI runs scripts/setup.sh before the tests, so it never
 * lacks them. A child JVM started by a test (the versioned-index kit's crash checks) finds its parent's
 * server through a file under {@code target/redisearch-it/} named after the parent's pid.
 */
final class RediSearchServer {
    private static final Path WORK = Path.of("target", "redisearch-it");
    private static RediSearchServer shared;

    private final String url;
    private final Path home;
    private final Path dir;
    private final int port;
    private final boolean module;
    private final boolean appendOnly;
    private Process process;

    private RediSearchServer(String url, Path home, Path dir, int port, boolean module, boolean appendOnly) {
        this.url = url;
        this.home = home;
        this.dir = dir;
        this.port = port;
        this.module = module;
        this.appendOnly = appendOnly;
    }

    /** The server shared by this JVM's tests (and by child JVMs they start). */
    static synchronized RediSearchServer shared() {
        if (shared != null) {
            return shared;
        }
        String external = Optional.ofNullable(System.getenv("REDISEARCH_URL")).orElse(System.getProperty("redisearch.url"));
        if (external != null && !external.isBlank()) {
            shared = new RediSearchServer(external, null, null, -1, true, false);
            return shared;
        }
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isPresent()) {
            Path parentFile = WORK.resolve("server-" + parent.get().pid() + ".url");
            if (Files.isRegularFile(parentFile)) {
                try {
                    shared = new RediSearchServer(Files.readString(parentFile).trim(), null, null, -1, true, false);
                    return shared;
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + parentFile, e);
                }
            }
        }
        RediSearchServer server = start(true, false);
        Path mine = WORK.resolve("server-" + ProcessHandle.current().pid() + ".url");
        try {
            Files.createDirectories(WORK);
            Files.writeString(mine, server.url());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + mine, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            try {
                Files.deleteIfExists(mine);
            } catch (IOException ignored) {
                // the next run overwrites it; it names a pid that will not ask again
            }
        }, "redisearch-server-stop"));
        shared = server;
        return shared;
    }

    /** Whether this JVM may start servers of its own (false against an external REDISEARCH_URL). */
    static boolean canStartPrivate() {
        return System.getenv("REDISEARCH_URL") == null && System.getProperty("redisearch.url") == null;
    }

    /** The folder holding redis-server, redis-cli and redisearch.so. */
    static Path binaries() {
        String home = Optional.ofNullable(System.getenv("REDISEARCH_HOME")).orElse(System.getProperty("redisearch.home"));
        Path dir = home != null ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "ragkit", "redisearch", "current");
        for (String f : List.of("redis-server", "redisearch.so")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalStateException("Redis with RediSearch is needed by these integration tests but "
                        + dir.resolve(f) + " is missing. Build it once (3 to 6 minutes, from ../shared/vendor/redisearch)"
                        + " with: bash scripts/setup-redisearch.sh   (make test runs it through scripts/setup.sh), or"
                        + " point REDISEARCH_URL at a Redis Stack / Redis 8 with modules, or REDISEARCH_HOME at the"
                        + " folder holding redis-server and redisearch.so");
            }
        }
        return dir;
    }

    /**
     * Starts a server of this test's own (for tests that kill or restart it), on a free loopback port.
     *
     * @param module whether to load the query engine
     * @param appendOnly whether to keep an append-only file (fsync every second), so a kill loses at most
     *     the last second and a restart reloads the rest
     */
    static RediSearchServer start(boolean module, boolean appendOnly) {
        Path home = binaries();
        int port = freePort();
        Path dir = WORK.resolve("server-" + port).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            try (var old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    deleteRecursively(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dir, e);
        }
        RediSearchServer server = new RediSearchServer("redis://127.0.0.1:" + port, home, dir, port, module, appendOnly);
        server.launch();
        return server;
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteRecursively(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** Starts redis-server (again, on the same port and data folder) and waits until it answers PING. */
    synchronized void launch() {
        if (home == null) {
            throw new IllegalStateException("an external server (" + url + ") is not started by the tests");
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("redis-server").toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString(), "--save", "", "--daemonize", "no",
                "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "everysec"));
        if (module) {
            command.addAll(List.of("--loadmodule", home.resolve("redisearch.so").toString()));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue() + " at start;"
                        + " its log ends with:\n" + logTail());
            }
            if (ping()) {
                return;
            }
            sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 30 s; its log"
                + " ends with:\n" + logTail());
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines of the server's log, for failures. */
    String logTail() {
        try {
            List<String> lines = new ArrayList<>();
            for (String f : List.of("stdout.log", "redis.log")) {
                Path p = dir.resolve(f);
                if (Files.exists(p)) {
                    lines.addAll(Files.readAllLines(p));
                }
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the server without letting it save anything (SIGKILL), as a crash would. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after ten seconds). */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    String url() {
        return url;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
