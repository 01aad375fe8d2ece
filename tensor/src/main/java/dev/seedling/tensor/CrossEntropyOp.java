package dev.seedling.tensor;

/**
 * Fused softmax cross-entropy as one autograd primitive ({@link CrossEntropy}): logits (R, V) (any leading dims,
 * flattened) and targets (R) from {@code targets[targetsOff..]} ({@link CrossEntropy#IGNORE} = -1 skips a row) →
 * a scalar loss (shape [1]) = mean over the counted rows (0 when none counts). The backward reads the loss's
 * upstream gradient, so {@code tape.backward(loss, 1f / accumulationSteps)} scales it. The targets array is read
 * again by the backward: do not change it in between.
 */
public record CrossEntropyOp(Var logits, int[] targets, int targetsOff, Var loss, Tensor logsumexp, int count) implements Op {

    public static Var apply(Tape tape, Var logits, int[] targets, int targetsOff) {
        Tensor lv = logits.value();
        int rows = lv.rows(), vocab = lv.cols();
        if (targetsOff < 0 || targetsOff + rows > targets.length)
            throw new IllegalArgumentException("cross-entropy: " + rows + " targets from " + targetsOff + " do not fit " + targets.length);
        Tensor rowLoss = tape.take(rows), lse = tape.take(rows), lossValue = tape.take(1);
        double sum = CrossEntropy.forward(rowLoss.data(), rowLoss.offset(), lse.data(), lse.offset(), lv.data(), lv.offset(),
                targets, targetsOff, rows, vocab);
        int count = CrossEntropy.count(targets, targetsOff, rows);
        lossValue.set(0, count == 0 ? 0f : (float) (sum / count));
        Var loss = tape.result(lossValue, logits);
        if (loss.requiresGrad()) tape.record(new CrossEntropyOp(logits, targets, targetsOff, loss, lse, count));
        return loss;
    }

    @Override
    public void backward(Tape tape) {
        if (!logits.requiresGrad()) return;
        Tensor lv = logits.value();
        float upstream = tape.grad(loss).get(0);
        float scale = count == 0 ? 0f : upstream / count;
        // the first gradient written into the logits skips the workspace's zero fill ((R, V) is the largest buffer)
        Tensor fresh = tape.freshGrad(logits);
        Tensor d = fresh != null ? fresh : tape.grad(logits);
        CrossEntropy.backward(d.data(), d.offset(), lv.data(), lv.offset(), logsumexp.data(), logsumexp.offset(),
                targets, targetsOff, lv.rows(), lv.cols(), scale, fresh == null);
    }
}
