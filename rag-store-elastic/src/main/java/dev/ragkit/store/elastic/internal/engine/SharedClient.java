package dev.ragkit.store.elastic.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client shared by a versioned index and the stores it opens: each holder releases it once, and the
 * client closes when the last one did, so closing a versioned index never breaks a store it opened.
 */
public final class SharedClient {
    private final EngineClient client;
    private final AtomicInteger holders = new AtomicInteger(1);

    /** Wraps a new client, held once by the caller. */
    public SharedClient(EngineClient client) {
        this.client = client;
    }

    public EngineClient client() {
        return client;
    }

    /** One more holder; fails when the client was closed already. */
    public SharedClient acquire() {
        holders.updateAndGet(n -> {
            if (n <= 0) {
                throw new IllegalStateException("the cluster client was closed");
            }
            return n + 1;
        });
        return this;
    }

    /** One holder less; the last closes the client. */
    public void release() {
        if (holders.decrementAndGet() == 0) {
            client.close();
        }
    }
}
