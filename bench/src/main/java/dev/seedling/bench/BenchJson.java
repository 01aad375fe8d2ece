package dev.seedling.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON line every benchmark ends with (DESIGN §5): {@code {"bench":NAME, …figures}}, doubles to 4
 * significant digits, NaN/infinity as null, nested maps and lists as they are.
 */
public final class BenchJson {
    private BenchJson() {}

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    public static String line(Map<String, ?> figures) {
        try {
            return JSON.writeValueAsString(round(figures));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object round(Object v) {
        if (v instanceof Double d) return Double.isFinite(d) ? new BigDecimal(d).round(new MathContext(4)) : null;
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, round(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(BenchJson::round).toList();
        return v;
    }
}
