package dev.seedling.train;

import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.AdamW;
import dev.seedling.tensor.CrossEntropyOp;
import dev.seedling.tensor.GradNorm;
import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One optimizer step of causal-LM training, shared by the {@link Trainer} and the training benchmark: zero the
 * gradients, run {@code gradAccum} micro-batches (forward, fused cross-entropy, backward with weight
 * 1/gradAccum), clip the global gradient norm, then AdamW over every parameter tensor (weight decay on matrices
 * only). Owns the AdamW moments and the training tape, whose buffers are reused from step to step.
 */
public final class TrainStep {
    /** Fills one micro-batch: {@code inputs} and {@code targets}, each B·T tokens. */
    @FunctionalInterface
    public interface Batches {
        void next(int[] inputs, int[] targets);
    }

    /** What a step did. */
    public record Outcome(double loss, double gradNorm, double lr) {}

    private final LlamaModel model;
    private final TrainConfig cfg;
    private final Schedule schedule;
    private final Tape tape = Tape.training();
    private final int[] inputs, targets;
    private final List<Tensor> params, grads, ms, vs;

    public TrainStep(LlamaModel model, LlamaWeights adamM, LlamaWeights adamV, TrainConfig cfg) {
        if (model.grads() == null) throw new IllegalArgumentException("model is not trainable");
        this.model = model;
        this.cfg = cfg;
        this.schedule = cfg.lrSchedule();
        this.inputs = new int[cfg.batchSize() * cfg.seqLen()];
        this.targets = new int[cfg.batchSize() * cfg.seqLen()];
        this.params = parameterTensors(model.weights());
        this.grads = parameterTensors(model.grads());
        this.ms = parameterTensors(adamM);
        this.vs = parameterTensors(adamV);
    }

    /** Bytes of activation and gradient buffers held by the training tape. */
    public long workspaceBytes() {
        return tape.workspaceBytes();
    }

    /** Runs optimizer step number {@code step} (counted from 0; AdamW's bias correction uses step+1). */
    public Outcome run(long step, Batches batches) {
        float[] g = model.grads().data();
        Arrays.fill(g, 0f);
        double lossSum = 0;
        for (int micro = 0; micro < cfg.gradAccum(); micro++) {
            batches.next(inputs, targets);
            tape.reset();
            Var logits = model.forward(tape, inputs, 0, cfg.batchSize(), cfg.seqLen());
            Var loss = CrossEntropyOp.apply(tape, logits, targets, 0);
            lossSum += loss.value().get(0);
            tape.backward(loss, 1f / cfg.gradAccum());
        }
        double gradNorm = cfg.gradClip() > 0 ? GradNorm.clip(g, 0, g.length, cfg.gradClip())
                : Math.sqrt(GradNorm.sumOfSquares(g, 0, g.length));
        double lr = cfg.learningRate() * schedule.factor(step);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            float wd = p.rank() >= 2 ? (float) cfg.weightDecay() : 0f;
            AdamW.step(p.data(), grads.get(i).data(), ms.get(i).data(), vs.get(i).data(), p.offset(), p.size(),
                    (float) lr, (float) cfg.beta1(), (float) cfg.beta2(), (float) cfg.adamEps(), wd, step + 1);
        }
        return new Outcome(lossSum / cfg.gradAccum(), gradNorm, lr);
    }

    /** The fused parameter tensors in layout order (each storage element exactly once). */
    static List<Tensor> parameterTensors(LlamaWeights w) {
        List<Tensor> out = new ArrayList<>();
        out.add(w.embed());
        for (int l = 0; l < w.numLayers(); l++) {
            LlamaWeights.Layer y = w.layer(l);
            out.addAll(List.of(y.attnNorm(), y.wqkv(), y.wo(), y.mlpNorm(), y.wGateUp(), y.wDown()));
        }
        out.add(w.norm());
        if (!w.config().tieWordEmbeddings()) out.add(w.lmHead());
        return out;
    }
}
