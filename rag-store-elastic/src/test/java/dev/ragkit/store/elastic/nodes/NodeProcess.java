package dev.ragkit.store.elastic.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Elasticsearch or OpenSearch node run from the distribution that Maven unpacked under {@code target/}:
 * on free loopback ports, with a small heap, its data, logs and temporary files under {@code target/}, as a
 * non-root system user when the build runs as root (both servers refuse to run as root).
 *
 * <p>Settings (system properties, which the module's Failsafe configuration sets):
 * <ul>
 *   <li>{@code ragkit.search.nodes.dir}: where the distributions are unpacked (default {@code target/search-nodes});</li>
 *   <li>{@code ragkit.search.<id>.version}: the distribution's version (folder {@code <id>-<version>});</li>
 *   <li>{@code ragkit.search.<id>.plugins}: plugin zips to install with the distribution's plugin tool, comma-separated;</li>
 *   <li>{@code ragkit.search.<id>.java.home}: the JDK to run the node (else {@code ES_JAVA_HOME} /
 *       {@code OPENSEARCH_JAVA_HOME}, else this JVM's when recent enough, else the newest suitable one in
 *       {@code /usr/lib/jvm});</li>
 *   <li>{@code ragkit.search.heap} (default {@code 512m}), {@code ragkit.search.start-timeout-seconds} (default 300: a loaded 2-core machine took 100 s),
 *       {@code ragkit.search.user} (default {@code ragkit-search}, made by {@code scripts/setup-search-servers.sh}).</li>
 * </ul>
 */
final class NodeProcess {

    private static final String DEFAULT_USER = "ragkit-search";
    private static final int LOG_TAIL_LINES = 60;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final SearchNodeKind kind;
    private final Path home;
    private final Path runDir;
    private final Path consoleLog;
    private final Path javaHome;
    private final String heap;
    private final Duration startTimeout;
    private final String runAsUser; // null when the build does not run as root
    private final int httpPort;
    private final int transportPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private NodeProcess(SearchNodeKind kind, Path home, Path runDir, Path javaHome, String heap, Duration startTimeout,
            String runAsUser) {
        this.kind = kind;
        this.home = home;
        this.runDir = runDir;
        this.consoleLog = runDir.resolve("console.log");
        this.javaHome = javaHome;
        this.heap = heap;
        this.startTimeout = startTimeout;
        this.runAsUser = runAsUser;
        this.httpPort = freeLoopbackPort();
        this.transportPort = freeLoopbackPort();
    }

    /** Prepares the distribution (plugins, ownership) and a fresh run directory; starts nothing yet. */
    static NodeProcess prepare(SearchNodeKind kind) {
        Path nodesDir = nodesDir();
        Path home = distribution(kind, nodesDir);
        Path javaHome = javaHome(kind);
        String heap = System.getProperty("ragkit.search.heap", "512m");
        Duration timeout = Duration.ofSeconds(Long.getLong("ragkit.search.start-timeout-seconds", 300));
        String user = isRoot() ? System.getProperty("ragkit.search.user", DEFAULT_USER) : null;
        Path runDir = nodesDir.resolve("run").resolve(kind.id());
        NodeProcess node = new NodeProcess(kind, home, runDir, javaHome, heap, timeout, user);
        node.installPlugins();
        node.freshRunDirectory();
        return node;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** Starts the node and waits for its cluster health; on failure stops it and throws with its log's tail. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        long started = System.nanoTime();
        try {
            appendToConsoleLog("---- ragkit: starting " + kind.displayName() + " on " + url() + " ----\n");
            ProcessBuilder builder = new ProcessBuilder(command()).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
            builder.environment().clear(); // the command sets the node's whole environment itself (env -i)
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not launch " + kind.displayName() + " from " + home + ": " + e, e);
        }
        try {
            awaitHealth();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        writeNodeFile();
        System.err.printf("[search-nodes] %s ready at %s after %.1f s (heap %s, Java %s, log %s)%n", kind.displayName(),
                url(), (System.nanoTime() - started) / 1e9, heap, javaHome, consoleLog);
    }

    /** Stops the node and everything it started (SIGTERM, then SIGKILL after a grace period). Idempotent. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception timedOutOrInterrupted) {
                handle.destroyForcibly();
            }
        }
        tree.forEach(h -> h.onExit().join());
        process = null;
        try {
            Files.deleteIfExists(nodeFile(runDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The node another JVM of this build started and still runs (its {@code node.properties}, written once healthy),
     * for the child JVMs that tests start themselves (the versioned-index kit's crash checks): they inherit neither
     * the harness's state nor its system properties, only the working directory. Empty when there is none, when its
     * JVM is gone, or when it does not answer.
     */
    static Optional<URI> runningElsewhere(SearchNodeKind kind) {
        Path file = nodeFile(nodesDir().resolve("run").resolve(kind.id()));
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        java.util.Properties node = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            node.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        long owner = Long.parseLong(node.getProperty("owner.pid", "-1"));
        if (owner == ProcessHandle.current().pid() || !ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        URI url = URI.create(node.getProperty("url"));
        try {
            HttpResponse<Void> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/_cluster/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return health.statusCode() == 200 ? Optional.of(url) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void writeNodeFile() {
        try {
            Files.writeString(nodeFile(runDir), "url=" + url() + "\nowner.pid=" + ProcessHandle.current().pid() + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path nodeFile(Path runDir) {
        return runDir.resolve("node.properties");
    }

    private static Path nodesDir() {
        return Path.of(System.getProperty("ragkit.search.nodes.dir", "target/search-nodes")).toAbsolutePath();
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        if (runAsUser != null) {
            command.addAll(List.of("runuser", "-u", runAsUser, "--"));
        }
        Path tmp = runDir.resolve("tmp");
        command.addAll(List.of("env", "-i", "PATH=" + PATH, "LANG=C.UTF-8",
                kind.javaHomeVariable() + "=" + javaHome,
                kind.javaOptsVariable() + "=-Xms" + heap + " -Xmx" + heap,
                kind.tmpDirVariable() + "=" + tmp));
        command.add(home.resolve("bin").resolve(kind.id()).toString());
        List<String> settings = new ArrayList<>(List.of(
                "cluster.name=ragkit-test-" + kind.id(),
                "node.name=ragkit-" + kind.id(),
                "discovery.type=single-node",
                "network.host=127.0.0.1",
                "http.port=" + httpPort,
                "transport.port=" + transportPort,
                "path.data=" + runDir.resolve("data"),
                "path.logs=" + runDir.resolve("logs"),
                // A nearly full build disk must not turn the test indexes read-only.
                "cluster.routing.allocation.disk.threshold_enabled=false"));
        settings.addAll(kind.extraSettings());
        settings.forEach(s -> command.add("-E" + s));
        return command;
    }

    private void awaitHealth() {
        HttpRequest health = HttpRequest.newBuilder(url().resolve("/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String lastAnswer = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failure(kind.displayName() + " exited with code " + process.exitValue() + " before it was healthy");
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && !response.body().contains("\"status\":\"red\"")) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException notListeningYet) {
                lastAnswer = notListeningYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for " + kind.displayName());
            }
            sleep(Duration.ofMillis(300));
        }
        throw failure(kind.displayName() + " was not healthy after " + startTimeout.toSeconds()
                + " s (ragkit.search.start-timeout-seconds); last health answer: " + lastAnswer);
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + ".\nNode: " + home + ", Java " + javaHome + ", heap " + heap
                + (runAsUser == null ? "" : ", as user " + runAsUser) + ", " + url() + "\nLast lines of " + consoleLog
                + ":\n" + logTail());
    }

    String logTail() {
        try {
            if (!Files.exists(consoleLog)) {
                return "(no log written)";
            }
            List<String> lines = Files.readAllLines(consoleLog, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read the log: " + e + ")";
        }
    }

    /** Installs the configured plugin zips once per unpacked distribution, with the distribution's own tool. */
    private void installPlugins() {
        String zips = System.getProperty("ragkit.search." + kind.id() + ".plugins", "").trim();
        if (zips.isEmpty()) {
            return;
        }
        for (String zip : zips.split(",")) {
            Path file = Path.of(zip.trim()).toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("plugin zip " + file + " (ragkit.search." + kind.id()
                        + ".plugins) does not exist: run `mvn verify -pl rag-store-elastic`, which copies it there");
            }
            // opensearch-knn-3.5.0.0.zip installs into plugins/opensearch-knn.
            String name = file.getFileName().toString().replaceFirst("-\\d[\\w.]*\\.zip$", "");
            if (Files.isDirectory(home.resolve("plugins").resolve(name))) {
                continue;
            }
            Path log = home.resolve("plugin-install-" + name + ".log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin").resolve(kind.id() + "-plugin").toString(),
                    "install", "--batch", file.toUri().toString()).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put(kind.javaHomeVariable(), javaHome.toString());
            int code = run(builder, "install plugin " + name);
            if (code != 0) {
                throw new IllegalStateException("installing plugin " + file + " into " + home + " failed with exit code "
                        + code + ":\n" + read(log));
            }
        }
    }

    /** Empty data, logs and tmp under the run directory, owned by the user the node runs as. */
    private void freshRunDirectory() {
        try {
            deleteRecursively(runDir);
            for (String sub : List.of("data", "logs", "tmp")) {
                Files.createDirectories(runDir.resolve(sub));
            }
            Files.createFile(consoleLog);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + runDir, e);
        }
        if (runAsUser == null) {
            return;
        }
        // The node writes its keystore into config/, a GC log and heap dumps into its home, and everything else
        // into the run directory.
        int chown = run(new ProcessBuilder("chown", "-R", runAsUser + ":", home.toString(), runDir.toString())
                .redirectErrorStream(true).redirectOutput(runDir.resolve("chown.log").toFile()), "chown");
        if (chown != 0) {
            throw new IllegalStateException("chown -R " + runAsUser + ": " + home + " failed (" + read(runDir.resolve("chown.log"))
                    + "): does the user exist? Run scripts/setup-search-servers.sh (as root) to create it.");
        }
        Path launcher = home.resolve("bin").resolve(kind.id());
        int reachable = run(new ProcessBuilder("runuser", "-u", runAsUser, "--", "test", "-x", launcher.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD), "check access");
        if (reachable != 0) {
            throw new IllegalStateException("user " + runAsUser + " cannot run " + launcher + ": make every folder above "
                    + home + " traversable by others (chmod o+x) or run the build as a non-root user");
        }
    }

    private static Path distribution(SearchNodeKind kind, Path nodesDir) {
        String version = System.getProperty("ragkit.search." + kind.id() + ".version");
        Path home;
        if (version != null) {
            home = nodesDir.resolve(kind.id() + "-" + version);
        } else {
            try (Stream<Path> entries = Files.exists(nodesDir) ? Files.list(nodesDir) : Stream.empty()) {
                home = entries.filter(p -> p.getFileName().toString().matches(Pattern.quote(kind.id()) + "-\\d.*")
                        && Files.isDirectory(p)).max(Comparator.naturalOrder()).orElse(nodesDir.resolve(kind.id() + "-*"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!Files.isExecutable(home.resolve("bin").resolve(kind.id()))) {
            throw new IllegalStateException("no " + kind.displayName() + " distribution at " + home
                    + ": `mvn verify -pl rag-store-elastic` unpacks it there (from the local Maven repository), or set "
                    + kind.urlVariable() + " to use an external node");
        }
        return home;
    }

    private static Path javaHome(SearchNodeKind kind) {
        String configured = System.getProperty("ragkit.search." + kind.id() + ".java.home");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(kind.javaHomeVariable());
        }
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            int version = javaVersion(home).orElse(0);
            if (version < kind.minimumJava()) {
                throw new IllegalStateException(kind.displayName() + " needs Java " + kind.minimumJava() + "+ but "
                        + home + " is Java " + version);
            }
            return home;
        }
        if (Runtime.version().feature() >= kind.minimumJava()) {
            return Path.of(System.getProperty("java.home"));
        }
        try (Stream<Path> jdks = Files.exists(Path.of("/usr/lib/jvm")) ? Files.list(Path.of("/usr/lib/jvm")) : Stream.empty()) {
            return jdks.filter(p -> javaVersion(p).orElse(0) >= kind.minimumJava() && Files.isExecutable(p.resolve("bin/java")))
                    .max(Comparator.comparingInt((Path p) -> javaVersion(p).orElse(0)).thenComparing(Comparator.naturalOrder()))
                    .orElseThrow(() -> new IllegalStateException(kind.displayName() + " needs Java " + kind.minimumJava()
                            + "+ and this build runs on Java " + Runtime.version().feature() + ": install a JDK "
                            + kind.minimumJava() + "+ under /usr/lib/jvm or set " + kind.javaHomeVariable()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The feature version in a JDK's {@code release} file ({@code JAVA_VERSION="25.0.1"} gives 25). */
    private static Optional<Integer> javaVersion(Path jdk) {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(read(release));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static boolean isRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            throw new UncheckedIOException("could not run `id -u`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static int run(ProcessBuilder builder, String what) {
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("could not " + what + ": " + String.join(" ", builder.command()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }

    private void appendToConsoleLog(String line) throws IOException {
        Files.writeString(consoleLog, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
