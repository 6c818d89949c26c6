package dev.ragkit.core.secret;

import dev.ragkit.core.RagException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A credential that is looked up again each time it is used, so that a rotated secret (a new version
 * written to Vault, a re-mounted secret file) reaches the next request without a new assembly. The
 * lookup goes through the resolver's own cache: a Vault secret is read again once its lease (or the
 * resolver's cache TTL) says so, not per request; a {@code file:} one is read per use.
 *
 * <p>When a lookup fails (Vault unreachable past the cached lease, the file gone), the last value read
 * is used and the failure is logged once per outage with the reference, never the value: a request is
 * not failed because the secret store failed while a credential is at hand; a credential that was
 * really revoked is refused by the server it is sent to, which says so. A literal credential is simply
 * returned. Thread-safe; {@link #toString()} shows the reference only ({@code ***} for a literal).
 */
public final class Credential {
    private static final Logger LOG = LoggerFactory.getLogger(Credential.class);

    private final String key;
    private final String reference;
    private final Secrets secrets;
    private volatile String last;
    private volatile boolean failing;

    private Credential(String key, String reference, Secrets secrets, String first) {
        this.key = key;
        this.reference = reference;
        this.secrets = secrets;
        this.last = first;
    }

    /** A credential given as a value; it never changes. */
    public static Credential literal(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a credential must not be empty");
        }
        return new Credential(null, null, null, value);
    }

    /**
     * The credential {@code value} stands for under {@code key}: a literal when {@code value} is not a
     * reference, else one looked up through {@code secrets} at each use.
     *
     * @param first the value already resolved at assembly (so a bad reference failed there), or null to
     *     resolve it now
     * @throws dev.ragkit.core.RagConfigurationException when {@code first} is null and the reference cannot be resolved
     */
    static Credential of(String key, String value, Secrets secrets, String first) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!secrets.isReference(value)) {
            return literal(value);
        }
        return new Credential(key, value, secrets, first != null ? first : secrets.resolve(key, value));
    }

    /** The credential now: looked up again through the resolver when it is a reference. */
    public String value() {
        if (reference == null) {
            return last;
        }
        try {
            String current = secrets.resolve(key, reference);
            if (failing) {
                failing = false;
                LOG.info("{} ({}) can be read again", key, reference);
            }
            last = current;
            return current;
        } catch (RagException e) {
            if (!failing) {
                failing = true;
                LOG.warn("could not read {} ({}) again: {}; using the value read last until it can be", key,
                        reference, e.getMessage());
            }
            return last;
        }
    }

    /** Whether the credential is a reference that may change between uses (false for a literal). */
    public boolean rotates() {
        return reference != null;
    }

    @Override
    public String toString() {
        return "Credential[" + (reference == null ? "***" : reference) + "]";
    }
}
