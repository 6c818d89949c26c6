package dev.ragkit.store.elastic.nodes;

import java.util.List;

/**
 * The two search servers the integration tests run against, with what differs between their
 * distributions: launcher script, environment variable names, the Java they need, extra settings.
 */
public enum SearchNodeKind {

    /** Elasticsearch 8.x, from the {@code integ-test-zip} distribution. */
    ELASTICSEARCH("Elasticsearch", "elasticsearch", "ELASTIC_URL", "ES_JAVA_HOME", "ES_JAVA_OPTS", "ES_TMPDIR",
            "ES_PATH_CONF", 17,
            // The zip carries x-pack security, which would otherwise switch HTTP to TLS with generated certificates.
            List.of("xpack.security.enabled=false")),

    /** OpenSearch 3.x, from the {@code integ-test-zip} distribution plus the k-NN plugin. */
    OPENSEARCH("OpenSearch", "opensearch", "OPENSEARCH_URL", "OPENSEARCH_JAVA_HOME", "OPENSEARCH_JAVA_OPTS",
            "OPENSEARCH_TMPDIR", "OPENSEARCH_PATH_CONF", 21,
            // This zip has no security plugin, so plugins.security.disabled would be an unknown setting.
            List.of());

    private final String displayName;
    private final String id;
    private final String urlVariable;
    private final String javaHomeVariable;
    private final String javaOptsVariable;
    private final String tmpDirVariable;
    private final String confVariable;
    private final int minimumJava;
    private final List<String> extraSettings;

    SearchNodeKind(String displayName, String id, String urlVariable, String javaHomeVariable, String javaOptsVariable,
            String tmpDirVariable, String confVariable, int minimumJava, List<String> extraSettings) {
        this.displayName = displayName;
        this.id = id;
        this.urlVariable = urlVariable;
        this.javaHomeVariable = javaHomeVariable;
        this.javaOptsVariable = javaOptsVariable;
        this.tmpDirVariable = tmpDirVariable;
        this.confVariable = confVariable;
        this.minimumJava = minimumJava;
        this.extraSettings = extraSettings;
    }

    /** Human name for messages: {@code Elasticsearch}, {@code OpenSearch}. */
    public String displayName() {
        return displayName;
    }

    /** Lowercase id: the distribution's folder prefix, its launcher script and system property prefix. */
    public String id() {
        return id;
    }

    /** Environment variable that points the tests at an external node instead of a started one. */
    public String urlVariable() {
        return urlVariable;
    }

    String javaHomeVariable() {
        return javaHomeVariable;
    }

    String javaOptsVariable() {
        return javaOptsVariable;
    }

    String tmpDirVariable() {
        return tmpDirVariable;
    }

    String confVariable() {
        return confVariable;
    }

    int minimumJava() {
        return minimumJava;
    }

    List<String> extraSettings() {
        return extraSettings;
    }
}
