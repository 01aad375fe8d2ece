package dev.seedling.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run produced.
 *
 * @param firstStep      the step the run started from (0, or the resumed checkpoint's step)
 * @param lastStep       the last completed step
 * @param losses         training loss of every step this invocation ran (index 0 = step firstStep+1)
 * @param valLoss        validation loss at the end (NaN if none was computed)
 * @param initialValLoss validation loss before the first step of this invocation (NaN on resume)
 * @param tokensPerSecond mean training throughput of this invocation
 * @param modelDir       the HF model directory written at the end (null if halted early)
 * @param valLossBySource a mixture run's validation loss per source at the end, in source order ({@code valLoss}
 *                       is their weighted mean); empty for one packed directory or when no validation ran
 */
public record TrainResult(long firstStep, long lastStep, double[] losses, double valLoss, double initialValLoss,
                          double tokensPerSecond, Path modelDir, Map<String, Double> valLossBySource) {}
