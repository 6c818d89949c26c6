package dev.ragkit.store.faiss.internal;

import java.lang.ref.Cleaner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This module's one {@link Cleaner}: frees a native FAISS index whose owner (a store's
 * {@code NativeIndex}) became unreachable without being closed, and logs the leak. A safety net only:
 * hosts close their stores.
 */
public final class NativeIndexCleaner {
    private static final Logger LOG = LoggerFactory.getLogger("dev.ragkit.store.faiss.FaissVectorStore");
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "ragkit-faiss-cleaner");
        t.setDaemon(true);
        return t;
    });

    private NativeIndexCleaner() {
    }

    /**
     * Watches {@code owner}; the returned tracker must be told every handle the owner holds.
     *
     * @param what names the index in the leak warning, e.g. {@code FAISS index 'HNSW32' in /data/index}
     */
    public static Tracker register(Object owner, String what) {
        State state = new State(what);
        return new Tracker(state, CLEANER.register(owner, state));
    }

    /** The owner's side: what to free if it leaks, and its own close. */
    public static final class Tracker {
        private final State state;
        private final Cleaner.Cleanable cleanable;

        private Tracker(State state, Cleaner.Cleanable cleanable) {
            this.state = state;
            this.cleanable = cleanable;
        }

        /** The handle the owner holds now, 0 for none: the one freed if the owner is never closed. */
        public void track(long handle) {
            state.handle = handle;
        }

        /** The owner freed its handle itself: deregisters without freeing or logging. Idempotent. */
        public void closed() {
            state.closing = true;
            cleanable.clean();
        }
    }

    /** The cleaning action. Holds the handle, never the owner, or the owner could never become unreachable. */
    private static final class State implements Runnable {
        private final String what;
        private volatile long handle;
        /** Set by {@link Tracker#closed()} before it runs this, so that only a leak frees and logs. */
        private volatile boolean closing;

        State(String what) {
            this.what = what;
        }

        @Override
        public void run() {
            long leaked = handle;
            handle = 0;
            if (closing || leaked == 0) {
                return;
            }
            FaissNative.destroy(leaked);
            LOG.warn("{} was never closed; freed by the garbage collector", what);
        }
    }
}
