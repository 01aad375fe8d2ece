package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which kinds of PII {@link PiiRedactor} replaces; each kind can be switched off ("opt-out per type").
 *
 * @param types the kinds to find and replace (an unmodifiable copy is kept)
 */
public record PiiConfig(Set<PiiType> types) {
    /** Every kind on. */
    public static final PiiConfig DEFAULT = new PiiConfig(EnumSet.allOf(PiiType.class));

    public PiiConfig {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** This config without {@code off}. */
    public PiiConfig without(PiiType... off) {
        EnumSet<PiiType> s = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
        for (PiiType t : off) s.remove(t);
        return new PiiConfig(s);
    }

    /** Parses report keys such as {@code ["email", "phone"]}; throws a one-line {@link SeedlingException} on an unknown name. */
    public static PiiConfig ofKeys(Collection<String> keys) {
        EnumSet<PiiType> s = EnumSet.noneOf(PiiType.class);
        for (String k : keys) {
            PiiType found = null;
            for (PiiType t : PiiType.values()) if (t.key().equalsIgnoreCase(k.trim())) found = t;
            if (found == null)
                throw new SeedlingException("unknown PII type '" + k + "'; known: email, phone, ip_address, credit_card, iban, secret");
            s.add(found);
        }
        return new PiiConfig(s);
    }

    public boolean enabled(PiiType t) {
        return types.contains(t);
    }
}
