package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;

/**
 * Leakage gate parameters for {@link Decontaminator}.
 *
 * @param ngramWords   a training document is dropped when it shares a run of this many consecutive normalised words
 *                     with an evaluation item (13, as in GPT-3's contamination study)
 * @param minItemWords an item shorter than {@code ngramWords} but with at least this many words is matched whole;
 *                     shorter items are ignored (too common to mean a leak) and counted
 */
public record DecontaminationConfig(int ngramWords, int minItemWords) {
    public static final DecontaminationConfig DEFAULT = new DecontaminationConfig(13, 8);

    public DecontaminationConfig {
        if (ngramWords < 1 || ngramWords > 1000)
            throw new SeedlingException("decontamination ngram_words must be in 1..1000, got " + ngramWords);
        if (minItemWords < 1 || minItemWords > ngramWords)
            throw new SeedlingException("decontamination min_item_words must be in 1.." + ngramWords + ", got " + minItemWords);
    }
}
