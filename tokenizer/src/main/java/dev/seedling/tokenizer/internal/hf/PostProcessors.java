package dev.seedling.tokenizer.internal.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The post-processors of HF {@code tokenizers} that Seedling runs, for single sequences: TemplateProcessing,
 * ByteLevel (ids unchanged: it only trims offsets), RobertaProcessing and BertProcessing ({@code cls A sep}), and
 * Sequence.
 */
public final class PostProcessors {
    private PostProcessors() {}

    /**
     * The post-processor described by {@code node}, or null for JSON null / absent (nothing added). {@code idOf} maps
     * a token text to its id (for Roberta/Bert, whose JSON holds both). An unknown type is a one-line
     * {@link SeedlingException} {@code "<file>: unsupported post_processor type '<X>'"}.
     */
    public static PostProcessor fromJson(JsonNode node, String file, ToIntFunction<String> idOf) {
        if (HfJson.isNull(node)) return null;
        String type = HfJson.type(node, "post_processor", file);
        return switch (type) {
            case "ByteLevel" -> (ids, add) -> ids;
            case "TemplateProcessing" -> template(node, file);
            case "RobertaProcessing", "BertProcessing" -> {
                int cls = pairId(node.path("cls"), type, file), sep = pairId(node.path("sep"), type, file);
                yield (ids, add) -> {
                    if (!add) return ids;
                    int[] out = new int[ids.length + 2];
                    out[0] = cls;
                    System.arraycopy(ids, 0, out, 1, ids.length);
                    out[ids.length + 1] = sep;
                    return out;
                };
            }
            case "Sequence" -> {
                JsonNode list = node.path("processors");
                if (!list.isArray()) throw new SeedlingException(file + ": post_processor Sequence needs a \"processors\" array");
                List<PostProcessor> steps = new ArrayList<>();
                for (JsonNode n : list) {
                    PostProcessor p = fromJson(n, file, idOf);
                    if (p != null) steps.add(p);
                }
                yield (ids, add) -> {
                    for (PostProcessor p : steps) ids = p.process(ids, add);
                    return ids;
                };
            }
            default -> throw HfJson.unsupported(file, "post_processor", type);
        };
    }

    /** {@code ["<s>", 1]} → 1. */
    private static int pairId(JsonNode pair, String type, String file) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt()) {
            throw new SeedlingException(file + ": post_processor " + type + " needs cls/sep as [token, id]");
        }
        return pair.get(1).asInt();
    }

    /** TemplateProcessing's single template: special-token pieces (each a list of ids) around sequence A. */
    private static PostProcessor template(JsonNode node, String file) {
        JsonNode single = node.path("single");
        if (!single.isArray()) throw new SeedlingException(file + ": post_processor TemplateProcessing needs a \"single\" template array");
        List<int[]> pieces = new ArrayList<>(); // null = the sequence
        for (JsonNode piece : single) {
            if (piece.has("Sequence")) {
                pieces.add(null);
            } else if (piece.has("SpecialToken")) {
                String id = piece.path("SpecialToken").path("id").asText();
                JsonNode st = node.path("special_tokens").path(id);
                JsonNode ids = st.path("ids");
                if (!ids.isArray()) {
                    throw new SeedlingException(file + ": post_processor TemplateProcessing uses special token " + HfJson.quote(id)
                            + " missing from its \"special_tokens\"");
                }
                int[] v = new int[ids.size()];
                for (int i = 0; i < v.length; i++) v[i] = ids.get(i).asInt();
                pieces.add(v);
            } else {
                throw new SeedlingException(file + ": post_processor TemplateProcessing piece " + HfJson.oneLine(piece.toString(), 60) + " is neither Sequence nor SpecialToken");
            }
        }
        return (ids, add) -> {
            int n = 0;
            for (int[] p : pieces) n += p == null ? ids.length : add ? p.length : 0;
            int[] out = new int[n];
            int k = 0;
            for (int[] p : pieces) {
                if (p == null) {
                    System.arraycopy(ids, 0, out, k, ids.length);
                    k += ids.length;
                } else if (add) {
                    System.arraycopy(p, 0, out, k, p.length);
                    k += p.length;
                }
            }
            return out;
        };
    }
}
