package dev.ragkit.server;

import static dev.ragkit.server.ServerFixtures.ADMIN;
import static dev.ragkit.server.ServerFixtures.awaitJob;
import static dev.ragkit.server.ServerFixtures.json;
import static dev.ragkit.server.ServerFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.Ragkit;
import dev.ragkit.server.ServerFixtures.GatedEmbedderProvider;
import dev.ragkit.server.ServerFixtures.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A server stopped in the middle of an ingestion job resumes it at the next start, embedding only what is missing. */
class JobResumeTest {
    private static final int DOCUMENTS = 12;

    @Test
    void aJobInterruptedByARestartResumesAndTheChunkCountEndsExact(@TempDir Path work) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(ServerFixtures.tokenProperties());
        properties.put("ragkit.embedder", "gated");
        properties.put("ragkit.store", "memory");
        properties.put("ragkit.store.memory.directory", work.resolve("index").toString());
        properties.put("ragkit.ingest.batch-size", "2");
        properties.put("ragkit.server.ingest.jobs-directory", work.resolve("jobs").toString());
        List<Map<String, Object>> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(Map.of("id", "doc-" + i, "text", "Document " + i + " is about resumable ingestion jobs."));
        }
        GatedEmbedderProvider.batches.set(0);
        GatedEmbedderProvider.allowedBatches.set(2);
        GatedEmbedderProvider.blocked = new CountDownLatch(1);
        GatedEmbedderProvider.gate = new CountDownLatch(1);
        String jobId;
        try (ConfigurableApplicationContext first = ServerFixtures.start(properties)) {
            Reply reply = post(ServerFixtures.port(first), "/v1/ingest", ADMIN, json(Map.of("documents", documents)),
                    "Idempotency-Key", "resume-1");
            assertThat(reply.status()).isEqualTo(202);
            jobId = reply.json().get("id").stringValue();
            assertThat(GatedEmbedderProvider.blocked.await(30, TimeUnit.SECONDS)).as("the job reached the gate").isTrue();
        }
        String onDisk = Files.readString(work.resolve("jobs").resolve(jobId + ".json"));
        assertThat(onDisk).contains("\"state\":\"RUNNING\"");
        long storedBefore;
        try (Ragkit between = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.store", "memory",
                "rag.store.memory.directory", work.resolve("index").toString()), ServerFixtures.providers())) {
            storedBefore = between.store().count();
        }
        assertThat(storedBefore).as("chunks stored before the restart").isBetween(1L, DOCUMENTS - 1L);

        GatedEmbedderProvider.allowedBatches.set(Integer.MAX_VALUE);
        GatedEmbedderProvider.gate.countDown();
        try (ConfigurableApplicationContext second = ServerFixtures.start(properties)) {
            int port = ServerFixtures.port(second);
            JsonNode job = awaitJob(port, ADMIN, jobId);
            assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.get("attempts").intValue()).isEqualTo(2);
            assertThat(job.get("counts").get("chunksUnchanged").intValue()).isEqualTo((int) storedBefore);
            assertThat(job.get("counts").get("chunksEmbedded").intValue()).isEqualTo(DOCUMENTS - (int) storedBefore);
            assertThat(second.getBean(Ragkit.class).store().count()).isEqualTo(DOCUMENTS);
            // The retried POST after the restart is the same job, not a new one.
            Reply retry = post(port, "/v1/ingest", ADMIN, json(Map.of("documents", documents)), "Idempotency-Key", "resume-1");
            assertThat(retry.json().get("id").stringValue()).isEqualTo(jobId);
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        }
    }
}
