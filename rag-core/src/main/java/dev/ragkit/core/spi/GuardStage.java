package dev.ragkit.core.spi;

/** Where in the pipeline a {@link Guard} looks at text. */
public enum GuardStage {
    /** The user's question, before retrieval. */
    INPUT,
    /** Each retrieved chunk, before it goes into the prompt. */
    CONTEXT,
    /** The answer, before it is returned. */
    OUTPUT
}
