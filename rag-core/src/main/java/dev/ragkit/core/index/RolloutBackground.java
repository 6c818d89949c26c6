package dev.ragkit.core.index;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RolloutRouter}'s background threads: shadow and comparison queries, opening a candidate,
 * writing figures, advancing a stage. The queue is bounded so that a slow candidate never holds requests
 * back: a task that does not fit is refused, and its caller skips it or tries again later.
 */
final class RolloutBackground {
    private final ThreadPoolExecutor executor;

    RolloutBackground(String indexName, int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "ragkit-rollout-" + indexName + "-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    /** @throws RejectedExecutionException when the queue is full or the router is closed */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** True once {@link #close()} began: nothing new should be opened. */
    boolean closed() {
        return executor.isShutdown();
    }

    /** Stops taking tasks and waits up to 5 s for the running ones. */
    void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
