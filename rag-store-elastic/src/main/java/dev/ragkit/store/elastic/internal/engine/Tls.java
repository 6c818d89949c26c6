package dev.ragkit.store.elastic.internal.engine;

import dev.ragkit.core.RagConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS set-up shared by both providers: an SSL context trusting the CA certificates of a PEM file. */
public final class Tls {
    private Tls() {
    }

    /** An SSL context that trusts exactly the certificates in {@code caFile} (PEM, one or more). */
    public static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new RagConfigurationException(List.of("the CA file '" + caFile
                        + "' holds no certificate; it must be a PEM file with the CA that signed the server's"
                        + " certificate"));
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new RagConfigurationException(List.of("the CA file '" + caFile + "' could not be read as PEM"
                    + " certificates: " + e.getMessage()));
        }
    }
}
