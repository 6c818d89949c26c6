/** The HTTP and JSON plumbing that Ragkit's LLM adapters share (java.net.http and Jackson). */
module dev.ragkit.llm.http {
    exports dev.ragkit.llm.http;

    requires transitive dev.ragkit.core;
    requires transitive java.net.http;
    requires transitive com.fasterxml.jackson.databind;
    // ChatChain, ModelChain and the HTTP clients take the slf4j Logger that their callers log to.
    requires transitive org.slf4j;
}
