package dev.ragkit.server.internal;

import dev.ragkit.core.ingest.FileSystemLoader;
import dev.ragkit.core.ingest.IngestionProgress;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.ingest.SkippedDocument;
import dev.ragkit.core.ingest.SyncReport;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.spi.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ingestion jobs run in the background by a bounded pool, each persisted as one JSON file under the jobs
 * directory (written to a temporary file and moved into place, so a crash never leaves half a file). At start-up
 * the jobs that were queued or running are queued again: ingestion is incremental per chunk, so a resumed job
 * embeds only what the interrupted run had not stored. An {@code Idempotency-Key} (per token) returns the job it
 * first created instead of a new one. Shutting down interrupts running jobs and leaves them to resume.
 */
public final class IngestionJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestionJobs.class);

    /** A job's life: queued, running, then succeeded or failed. */
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** What a job ingests: inline documents or the files under a server-side path (already checked). */
    public record Work(List<Document> documents, Path path, Map<String, Object> pathMetadata) {
        public Work {
            documents = documents == null ? List.of() : List.copyOf(documents);
            pathMetadata = pathMetadata == null ? Map.of() : Map.copyOf(pathMetadata);
        }
    }

    /**
     * One job as persisted and reported.
     *
     * @param owner the key of the token that created it (a hash), for idempotency keys
     * @param tenant the tenant of that token, or null
     */
    public record Job(String id, State state, String owner, String tenant, String idempotencyKey, String requestHash,
            Work work, int documentsTotal, int documentsDone, int chunksEmbedded, int chunksUnchanged, int chunksDeleted,
            List<String> errors, String createdAt, String finishedAt, int attempts) {
        public Job {
            errors = errors == null ? List.of() : List.copyOf(errors);
        }

        Job with(State newState, int done, int embedded, int unchanged, int deleted, List<String> newErrors,
                String finished) {
            return new Job(id, newState, owner, tenant, idempotencyKey, requestHash, work, documentsTotal, done, embedded,
                    unchanged, deleted, newErrors, createdAt, finished, attempts);
        }
    }

    /** The outcome of a submission: the job, and whether an earlier request with the same key created it. */
    public record Submitted(Job job, boolean replayed) {
    }

    private final Ingestor ingestor;
    private final VectorStore store;
    private final Path directory;
    private final JsonMapper json;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> byIdempotencyKey = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public IngestionJobs(Ingestor ingestor, VectorStore store, Path directory, int workers, int queueCapacity,
            JsonMapper json, Clock clock) {
        this.ingestor = ingestor;
        this.store = store;
        this.directory = directory;
        this.json = json;
        this.clock = clock;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the jobs directory " + directory
                    + " (ragkit.server.ingest.jobs-directory): " + e.getMessage(), e);
        }
        List<Job> unfinished = load();
        AtomicInteger threads = new AtomicInteger();
        // Room for every job left unfinished by the last run, on top of the configured queue.
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity + unfinished.size()), r -> {
                    Thread t = new Thread(r, "ragkit-ingest-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        for (Job job : unfinished) {
            Job resumed = new Job(job.id(), State.QUEUED, job.owner(), job.tenant(), job.idempotencyKey(),
                    job.requestHash(), job.work(), job.documentsTotal(), job.documentsDone(), job.chunksEmbedded(),
                    job.chunksUnchanged(), job.chunksDeleted(), job.errors(), job.createdAt(), null, job.attempts());
            save(resumed);
            pool.execute(() -> run(resumed.id()));
            LOG.info("resuming ingestion job {} (attempt {})", job.id(), job.attempts() + 1);
        }
    }

    /**
     * Queues a job, or returns the one an earlier request with the same idempotency key created.
     *
     * @throws ApiProblem 422 when the key was used with another request, 503 when the queue is full
     */
    public Submitted submit(Principal owner, String idempotencyKey, String requestHash, Work work) {
        String key = idempotencyKey == null ? null : owner.key() + ":" + idempotencyKey;
        synchronized (this) {
            if (key != null) {
                String existing = byIdempotencyKey.get(key);
                if (existing != null) {
                    Job job = jobs.get(existing);
                    if (!job.requestHash().equals(requestHash)) {
                        throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                                "Idempotency-Key '" + idempotencyKey + "' was used for another request (job "
                                        + existing + "); use a new key for a new request");
                    }
                    return new Submitted(job, true);
                }
            }
            int total = work.path() == null ? work.documents().size() : 0;
            Job job = new Job(UUID.randomUUID().toString(), State.QUEUED, owner.key(), owner.tenant().orElse(null),
                    key, requestHash, work, total, 0, 0, 0, 0, List.of(), clock.instant().toString(), null, 0);
            save(job);
            try {
                pool.execute(() -> run(job.id()));
            } catch (RejectedExecutionException e) {
                delete(job.id());
                HttpHeaders headers = new HttpHeaders();
                headers.set(HttpHeaders.RETRY_AFTER, "5");
                throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "ingest-queue-full", "the ingestion queue is full ("
                        + pool.getQueue().size() + " jobs waiting); retry later", Map.of(), headers);
            }
            if (key != null) {
                byIdempotencyKey.put(key, job.id());
            }
            return new Submitted(job, false);
        }
    }

    /** The job, when it exists and {@code caller} may see it (a tenant token sees its tenant's jobs only). */
    public Optional<Job> find(String id, Principal caller) {
        Job job = jobs.get(id);
        if (job == null || (caller.tenant().isPresent() && !caller.tenant().get().equals(job.tenant()))) {
            return Optional.empty();
        }
        return Optional.of(job);
    }

    private void run(String id) {
        Job start = jobs.get(id);
        if (start == null || closing) {
            return;
        }
        Job running = new Job(start.id(), State.RUNNING, start.owner(), start.tenant(), start.idempotencyKey(),
                start.requestHash(), start.work(), start.documentsTotal(), start.documentsDone(), 0, 0, 0,
                start.errors(), start.createdAt(), null, start.attempts() + 1);
        save(running);
        try {
            Job done;
            if (running.work().path() == null) {
                IngestionReport report = ingestor.ingest(running.work().documents(), p -> progress(id, p));
                done = running.with(State.SUCCEEDED, report.documents(), report.chunksEmbedded(), report.chunksUnchanged(),
                        report.chunksDeleted(), skipped(report.skipped()), clock.instant().toString());
            } else {
                FileSystemLoader loader = FileSystemLoader.builder(running.work().path())
                        .metadata(running.work().pathMetadata()).build();
                SyncReport report = ingestor.ingest(loader, p -> progress(id, p));
                done = new Job(id, State.SUCCEEDED, running.owner(), running.tenant(), running.idempotencyKey(),
                        running.requestHash(), running.work(), report.documents(), report.documents(),
                        report.chunksEmbedded(), report.chunksUnchanged(), report.chunksDeleted(),
                        skipped(report.skipped()), running.createdAt(), clock.instant().toString(), running.attempts());
            }
            store.flush();
            // A finished job keeps its counts, not its documents: job files stay small however much was ingested.
            save(new Job(done.id(), done.state(), done.owner(), done.tenant(), done.idempotencyKey(), done.requestHash(),
                    new Work(List.of(), done.work().path(), done.work().pathMetadata()), done.documentsTotal(),
                    done.documentsDone(), done.chunksEmbedded(), done.chunksUnchanged(), done.chunksDeleted(),
                    done.errors(), done.createdAt(), done.finishedAt(), done.attempts()));
        } catch (RuntimeException e) {
            if (closing) {
                // Interrupted by shutdown: the file still says RUNNING, so the next start resumes it.
                LOG.info("ingestion job {} interrupted by shutdown; it resumes at the next start", id);
                return;
            }
            LOG.warn("ingestion job {} failed: {}", id, e.getMessage());
            Job current = jobs.get(id);
            List<String> errors = new ArrayList<>(current.errors());
            errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            save(current.with(State.FAILED, current.documentsDone(), current.chunksEmbedded(), current.chunksUnchanged(),
                    current.chunksDeleted(), errors, clock.instant().toString()));
        }
    }

    private void progress(String id, IngestionProgress p) {
        // Kept in memory only: the file needs only the state, since a resumed job starts its count again.
        jobs.computeIfPresent(id, (k, job) -> new Job(job.id(), job.state(), job.owner(), job.tenant(),
                job.idempotencyKey(), job.requestHash(), job.work(), p.documentsTotal(), p.documentsDone(),
                p.chunksEmbedded(), p.chunksUnchanged(), job.chunksDeleted(), job.errors(), job.createdAt(),
                job.finishedAt(), job.attempts()));
    }

    private static List<String> skipped(List<SkippedDocument> skipped) {
        return skipped.stream().map(s -> "skipped " + s.documentId() + ": " + s.reason()).toList();
    }

    private void save(Job job) {
        jobs.put(job.id(), job);
        Path file = directory.resolve(job.id() + ".json");
        Path tmp = directory.resolve(job.id() + ".json.tmp");
        try {
            Files.write(tmp, json.writeValueAsBytes(job));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ingestion job " + job.id() + " to " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private void delete(String id) {
        jobs.remove(id);
        try {
            Files.deleteIfExists(directory.resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every job file; returns the unfinished jobs, oldest first. */
    private List<Job> load() {
        List<Job> unfinished = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                Job job;
                try {
                    job = json.readValue(file.toFile(), Job.class);
                } catch (RuntimeException e) {
                    LOG.warn("ignoring unreadable ingestion job file {}: {}", file, e.getMessage());
                    continue;
                }
                jobs.put(job.id(), job);
                if (job.idempotencyKey() != null) {
                    byIdempotencyKey.put(job.idempotencyKey(), job.id());
                }
                if (job.state() == State.QUEUED || job.state() == State.RUNNING) {
                    unfinished.add(job);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the jobs directory " + directory + ": " + e.getMessage(), e);
        }
        unfinished.sort(Comparator.comparing(Job::createdAt));
        return unfinished;
    }

    /** Jobs queued or running, for tests and metrics. */
    public int pending() {
        return (int) jobs.values().stream().filter(j -> j.state() == State.QUEUED || j.state() == State.RUNNING).count();
    }

    /** Stops taking jobs and interrupts the running ones, which stay RUNNING on disk and resume at the next start. */
    @Override
    public void close() {
        closing = true;
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("ingestion jobs still running 30 s after shutdown began; they resume at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static Map<String, Object> describe(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("state", job.state().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("documentsDone", job.documentsDone());
        progress.put("documentsTotal", job.documentsTotal());
        view.put("progress", progress);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("chunksEmbedded", job.chunksEmbedded());
        counts.put("chunksUnchanged", job.chunksUnchanged());
        counts.put("chunksDeleted", job.chunksDeleted());
        view.put("counts", counts);
        view.put("errors", job.errors());
        view.put("attempts", job.attempts());
        view.put("createdAt", job.createdAt());
        view.put("finishedAt", job.finishedAt());
        return view;
    }
}
