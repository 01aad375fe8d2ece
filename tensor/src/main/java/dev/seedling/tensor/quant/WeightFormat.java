package dev.seedling.tensor.quant;

import dev.seedling.tensor.SeedlingException;
import java.util.Locale;

/**
 * The storage formats of inference weights, each with its converter from f32 (the
 * {@code Function<F32Matrix, WeightMatrix>} an inference engine takes to convert its weights).
 */
public enum WeightFormat {
    /** f32, the weights as trained (no conversion). */
    F32,
    /** ggml Q8_0: 8.5 bits per weight. */
    Q8_0,
    /** ggml Q4_0: 4.5 bits per weight. */
    Q4_0;

    /** W in this format ({@link #F32} returns {@code w} itself). */
    public WeightMatrix convert(F32Matrix w) {
        return switch (this) {
            case F32 -> w;
            case Q8_0 -> Q8_0Matrix.quantize(w);
            case Q4_0 -> Q4_0Matrix.quantize(w);
        };
    }

    /** The lower-case name ({@code "f32"}, {@code "q8_0"}, {@code "q4_0"}), as {@link WeightMatrix#format()} says. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format called {@code name} (case-insensitive); a one-line error lists the valid names otherwise. */
    public static WeightFormat parse(String name) {
        for (WeightFormat f : values()) if (f.id().equalsIgnoreCase(name.trim())) return f;
        throw new SeedlingException("unknown weight format '" + name + "'; use f32, q8_0 or q4_0");
    }
}
