package dev.seedling.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.CrossEntropyOp;
import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.Var;
import dev.seedling.testkit.Tolerance;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model against PyTorch: {@code src/test/resources/golden/make_golden.py} ran an HF-Llama forward and backward
 * in float64 on the checked-in model directory {@code golden/tiny-llama} (2 layers, 4 heads over 2 kv heads) and
 * stored logits, loss and every parameter's gradient in {@code golden.json}. Loading that directory exercises the
 * real safetensors and config.json reading; the comparison is in float32, within the tolerances stated below.
 */
class LlamaGoldenTest {
    @Test
    void logitsLossAndGradientsMatchPyTorch() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/golden/tiny-llama").toURI());
        JsonNode golden = new ObjectMapper().readTree(getClass().getResource("/golden/golden.json"));
        LlamaModel model = LlamaModel.load(dir, true);
        int batch = golden.path("tokens").size(), seq = golden.path("tokens").path(0).size();
        int[] tokens = new int[batch * seq], targets = new int[batch * seq];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < seq; t++) {
                tokens[b * seq + t] = golden.path("tokens").path(b).path(t).asInt();
                targets[b * seq + t] = golden.path("targets").path(b).path(t).asInt();
            }
        Tape tape = Tape.training();
        Var logits = model.forward(tape, tokens, 0, batch, seq);
        Var loss = CrossEntropyOp.apply(tape, logits, targets, 0);
        tape.backward(loss, 1f);

        Tolerance.assertClose("logits vs PyTorch", doubles(golden.path("logits")), logits.value().toArray(), 2e-5, 1e-4);
        assertThat((double) loss.value().get(0)).isCloseTo(golden.path("loss").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        Map<String, Tensor> grads = model.grads().hfTensors();
        assertThat(grads.keySet()).containsExactlyInAnyOrderElementsOf(() -> golden.path("grads").fieldNames());
        for (Map.Entry<String, Tensor> e : grads.entrySet())
            Tolerance.assertClose("d loss / d " + e.getKey() + " vs PyTorch", doubles(golden.path("grads").path(e.getKey())),
                    e.getValue().toArray(), 2e-6, 1e-3);
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) d[i] = array.path(i).asDouble();
        return d;
    }
}
