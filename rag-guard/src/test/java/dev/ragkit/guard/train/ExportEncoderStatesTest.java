package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ragkit.embed.onnx.internal.OnnxGraphs;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExportEncoderStatesTest {

    @Test
    void theDeclaredStatesAreAnExtraOutputAndTheEmbeddingIsUnchanged() throws IOException, OrtException {
        byte[] model;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            assertThat(in).as("the default embedder's model on the test class path").isNotNull();
            model = in.readAllBytes();
        }
        String states = OnnxGraphs.bertLayerOutput(4);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        long[] ids = ExportEncoderStates.window("deepset\t1\t0\tsha\ten\t7592 2088 1012");
        try (OrtSession plain = environment.createSession(model);
             OrtSession patched = environment.createSession(OnnxGraphs.withFloatOutput(model, states))) {
            assertThat(plain.getOutputNames()).containsExactly("last_hidden_state");
            assertThat(patched.getOutputNames()).containsExactlyInAnyOrder("last_hidden_state", states);

            float[][] before = ExportEncoderStates.run(environment, plain, ids, "last_hidden_state");
            float[][] after = ExportEncoderStates.run(environment, patched, ids, "last_hidden_state");
            float[][] lower = ExportEncoderStates.run(environment, patched, ids, states);
            assertThat(after).isDeepEqualTo(before);
            assertThat(lower).hasDimensions(ids.length, 384);
            // Layer 4's states, not the last layer's.
            assertThat(lower[1]).isNotEqualTo(after[1]);
        }
    }

    @Test
    void aRowIsWrappedInClsAndSepAndCutToTheScriptsWindow() {
        assertThat(ExportEncoderStates.window("s\t0\t1\tsha\tfr\t")).containsExactly(101, 102);
        assertThat(ExportEncoderStates.window("s\t0\t1\tsha\tfr\t5 6")).containsExactly(101, 5, 6, 102);
        String long200 = IntStream.range(1000, 1200).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        long[] cut = ExportEncoderStates.window("s\t0\t1\tsha\ten\t" + long200);
        assertThat(cut).hasSize(128);
        assertThat(cut[126]).isEqualTo(1125);
        assertThat(cut[127]).isEqualTo(102);
    }
}
