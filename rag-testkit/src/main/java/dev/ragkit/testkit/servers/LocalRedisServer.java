package dev.ragkit.testkit.servers;

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
import java.util.concurrent.TimeUnit;

/**
 * A plain Redis server (Debian's {@code redis-server}, no modules) that tests start on a free loopback port:
 * caches, rate limiters and budget counters are tested against the real thing, never a fake.
 *
 * <p>The binary is {@code $REDIS_SERVER} (or {@code -Dredis.server}) when set, else {@code redis-server} on the
 * {@code PATH}; {@code scripts/setup-test-tools.sh} (run by {@code make test}) installs it. Without it the test
 * fails, naming that script: a test that needs Redis never passes without one.
 *
 * <p>Each server keeps its files under {@code target/redis-it/<port>/}. {@link #shared()} is one server per test
 * JVM, stopped when the JVM ends; {@link #start(boolean)} gives a test a server of its own to kill and restart.
 */
public final class LocalRedisServer implements AutoCloseable {
    private static final Path WORK = Path.of("target", "redis-it");
    private static LocalRedisServer shared;

    private final Path binary;
    private final Path dir;
    private final int port;
    private final boolean appendOnly;
    private Process process;

    private LocalRedisServer(Path binary, Path dir, int port, boolean appendOnly) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.appendOnly = appendOnly;
    }

    /** The server shared by this JVM's tests, started on first use and stopped when the JVM exits. */
    public static synchronized LocalRedisServer shared() {
        if (shared == null) {
            LocalRedisServer server = start(false);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "local-redis-stop"));
            shared = server;
        }
        return shared;
    }

    /**
     * Starts a server of the caller's own on a free loopback port and waits until it answers {@code PING}.
     *
     * @param appendOnly whether to keep an append-only file (fsync every second), so that {@link #restart()}
     *     after {@link #stop()} or {@link #kill()} finds the data again
     */
    public static LocalRedisServer start(boolean appendOnly) {
        Path binary = binary();
        int port = freePort();
        Path dir = WORK.resolve(Integer.toString(port)).toAbsolutePath();
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dir, e);
        }
        LocalRedisServer server = new LocalRedisServer(binary, dir, port, appendOnly);
        server.restart();
        return server;
    }

    /** The redis-server binary the tests use, or a failure saying how to install it. */
    public static Path binary() {
        String configured = Optional.ofNullable(System.getenv("REDIS_SERVER")).orElse(System.getProperty("redis.server"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new IllegalStateException("REDIS_SERVER / redis.server names " + p + ", which is not an executable");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("these tests need Redis, but redis-server is not on the PATH. Install it with:"
                + " bash scripts/setup-test-tools.sh   (make test runs it), or set REDIS_SERVER to the binary");
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on the same port and data folder and waits until it answers PING. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(), "--save", "",
                "--daemonize", "no", "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "everysec");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue()
                        + " at start; its log ends with:\n" + logTail());
            }
            if (answersPing()) {
                return;
            }
            pause(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 30 s;"
                + " its log ends with:\n" + logTail());
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(process, 10);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after ten seconds). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitForExit(process, 10)) {
                process.destroyForcibly();
                waitForExit(process, 10);
            }
        }
    }

    /** Whether the server answers PING now. */
    public boolean answersPing() {
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

    /** The last lines of the server's output and log, for failure messages. */
    public String logTail() {
        List<String> lines = new ArrayList<>();
        for (String f : List.of("stdout.log", "redis.log")) {
            Path p = dir.resolve(f);
            try {
                if (Files.exists(p)) {
                    lines.addAll(Files.readAllLines(p));
                }
            } catch (IOException e) {
                lines.add("(" + p + " unreadable: " + e.getMessage() + ")");
            }
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean waitForExit(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
