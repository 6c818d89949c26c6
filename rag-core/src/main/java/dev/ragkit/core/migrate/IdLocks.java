package dev.ragkit.core.migrate;

import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Orders every write that touches a chunk id across both stores: a dual-write, a backfill batch and a
 * repair each hold the stripes of their ids while they read one store and write the other, so no
 * older copy of a chunk can land in a store after a newer one. Stripes are taken in ascending order,
 * so two holders never wait on each other in a cycle.
 */
final class IdLocks {
    private final ReentrantLock[] stripes;

    IdLocks(int stripeCount) {
        stripes = new ReentrantLock[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Held stripes; closing releases them. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held lock(Collection<String> ids) {
        boolean[] wanted = new boolean[stripes.length];
        for (String id : ids) {
            wanted[Math.floorMod(id.hashCode(), stripes.length)] = true;
        }
        int taken = 0;
        try {
            for (; taken < stripes.length; taken++) {
                if (wanted[taken]) {
                    stripes[taken].lock();
                }
            }
        } catch (RuntimeException | Error e) {
            unlock(wanted, taken);
            throw e;
        }
        return () -> unlock(wanted, stripes.length);
    }

    private void unlock(boolean[] wanted, int upTo) {
        for (int i = upTo - 1; i >= 0; i--) {
            if (wanted[i]) {
                stripes[i].unlock();
            }
        }
    }
}
