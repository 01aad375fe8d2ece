package dev.seedling.train;

import dev.seedling.data.BatchLoader;
import dev.seedling.data.TokenShards;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeTest {
    @TempDir Path tmp;

    @Test
    void probe() {
        Path data = TrainFixtures.packedCorpus(tmp, "LearningTest");
        TrainConfig cfg = TrainFixtures.train(30, Map.of("grad_accum", Integer.getInteger("probe.accum", 2)));
        int runs = 6;
        float[][][] snaps = new float[runs][][];
        try (TokenShards shards = TokenShards.open(data)) {
            for (int r = 0; r < runs; r++) {
                BatchLoader loader = BatchLoader.training(shards.train(), cfg.batchSize(), cfg.seqLen(), cfg.seed());
                LlamaModel model = LlamaModel.initialize(TrainFixtures.tinyModel(), cfg.seed(), true);
                LlamaWeights m = model.weights().sameLayout(), v = model.weights().sameLayout();
                TrainStep st = new TrainStep(model, m, v, cfg);
                snaps[r] = new float[cfg.maxSteps() * 2][];
                for (int s = 0; s < cfg.maxSteps(); s++) {
                    st.run(s, loader::next);
                    snaps[r][2 * s + 1] = model.weights().data().clone();
                    snaps[r][2 * s] = model.grads().data().clone();
                }
            }
        }
        for (int r = 1; r < runs; r++) {
            for (int s = 0; s < snaps[0].length; s++) {
                if (!Arrays.equals(snaps[r-1][s], snaps[r][s])) {
                    float[] a = snaps[r-1][s], b = snaps[r][s];
                    int i = 0;
                    while (a[i] == b[i]) i++;
                    int count = 0;
                    for (int j = 0; j < a.length; j++) if (a[j] != b[j]) count++;
                    System.out.println("run " + r + " differs at step " + (s / 2 + 1) + (s % 2 == 1 ? " weights" : " grads")
                            + " first index " + i + " of " + a.length + " (" + count + " differ): " + a[i] + " vs " + b[i]);
                    if (s % 2 == 0) {
                        LlamaModel probe = LlamaModel.initialize(TrainFixtures.tinyModel(), 1, true);
                        String[] names = {"embed", "attnNorm0", "wqkv0", "wo0", "mlpNorm0", "wGateUp0", "wDown0", "attnNorm1", "wqkv1", "wo1", "mlpNorm1", "wGateUp1", "wDown1", "norm", "lmHead"};
                        var ts = TrainStep.parameterTensors(probe.grads());
                        for (int t = 0; t < ts.size(); t++) {
                            int c = 0;
                            for (int j = ts.get(t).offset(); j < ts.get(t).offset() + ts.get(t).size(); j++) if (a[j] != b[j]) c++;
                            System.out.println("   " + names[t] + ": " + c + " of " + ts.get(t).size());
                        }
                    }
                    break;
                }
                if (s == snaps[0].length - 1) System.out.println("run " + r + " identical");
            }
        }
    }
}
