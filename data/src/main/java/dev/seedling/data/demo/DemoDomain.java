package dev.seedling.data.demo;

import dev.seedling.data.demo.DemoCatalog.FaultTemplate;
import dev.seedling.data.demo.DemoCatalog.SpecTemplate;
import dev.seedling.data.demo.DemoCatalog.TypeTemplate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The seeded world of the demo corpus: a dozen pieces of industrial equipment from invented brands (two models each
 * of six types: centrifugal pump, screw compressor, hydraulic power unit, gear reducer, fan, diesel generator set),
 * each with its components, specifications, installed assets and fault codes. Every fault code is unique across the
 * whole world and has one title, one root cause, one component, a fixed symptom set and one repair procedure, so a
 * fact never contradicts itself anywhere in the corpus.
 *
 * <p>The same seed always gives the same world; {@link #facts()} is the ground truth the corpus states and
 * {@link #heldoutQuestions()} asks about the same facts in wording the corpus never uses.
 */
public final class DemoDomain {

    /** One specification value, already formatted with its unit ({@code "7.5 kW"}, {@code "-10 to 80 °C"}). */
    public record Spec(String key, String label, String value) {}

    /** One installed unit of an equipment model: its asset tag ({@code "P-104"}) and site. */
    public record Asset(String tag, String site) {}

    /** A service technician; {@code initials} is how logs sign ({@code "JM"}). */
    public record Technician(String name, String initials) {}

    /**
     * One fault code of one equipment model.
     *
     * @param code          the display code, unique in the world ({@code "E-214"})
     * @param title         what the code means ({@code "mechanical seal leakage"})
     * @param component     the component at fault
     * @param symptoms      2-3 symptoms, the first the most typical
     * @param cause         the root cause, a noun phrase
     * @param section       the service-manual section of the repair procedure ({@code "4.3"})
     * @param procedure     the repair procedure's title ({@code "Replacing the mechanical seal"})
     * @param tools         tools the procedure needs
     * @param steps         3-7 ordered steps, values filled in
     * @param valueLabel    what the procedure's key value is ({@code "gland nut torque"})
     * @param value         that value with its unit ({@code "25 N·m"}); it appears verbatim in one step
     */
    public record FaultCode(String code, String title, String component, List<String> symptoms, String cause,
                            String section, String procedure, List<String> tools, List<String> steps,
                            String valueLabel, String value) {}

    /**
     * One equipment model.
     *
     * @param id         lower-case id used in file names and fact ids ({@code "kx200"})
     * @param brand      invented brand ({@code "Kestrel"})
     * @param model      model code ({@code "KX-200"})
     * @param type       the kind of machine ({@code "centrifugal pump"})
     * @param components its main components
     * @param specs      its specifications, in data-sheet order
     * @param faults     its fault codes, in manual order
     * @param routine    routine service tasks (past tense, as logged)
     * @param assets     its installed units
     */
    public record Equipment(String id, String brand, String model, String type, List<String> components,
                            List<Spec> specs, List<FaultCode> faults, List<String> routine, List<Asset> assets) {
        /** {@code "Kestrel KX-200"}, the name facts use. */
        public String name() {
            return brand + " " + model;
        }

        /** {@code "Kestrel KX-200 centrifugal pump"}. */
        public String fullName() {
            return name() + " " + type;
        }

        /** The specification with this key. */
        public Spec spec(String key) {
            return specs.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
        }
    }

    /**
     * One ground-truth fact as written to {@code facts.jsonl}.
     *
     * @param id        stable id ({@code "kx200-e214-cause"})
     * @param equipment equipment name ({@code "Kestrel KX-200"})
     * @param code      the fault code for fault facts, {@code null} for specifications
     * @param question  the canonical question
     * @param answer    the answer, stated verbatim in the corpus
     * @param kind      {@code spec}, {@code fault_meaning}, {@code fault_cause}, {@code fault_component},
     *                  {@code fault_symptom} or {@code repair_value}
     */
    public record Fact(String id, String equipment, String code, String question, String answer, String kind) {}

    /** A held-out evaluation question about {@code factId}, phrased unlike any corpus sentence. */
    public record HeldoutQuestion(String id, String factId, String equipment, String question, String answer,
                                  String kind) {}

    private final long seed;
    private final List<Equipment> equipment;
    private final List<Technician> technicians;

    private DemoDomain(long seed, List<Equipment> equipment, List<Technician> technicians) {
        this.seed = seed;
        this.equipment = equipment;
        this.technicians = technicians;
    }

    /** Builds the world for {@code seed}; the same seed always gives the same world. */
    public static DemoDomain create(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TypeTemplate> types = DemoCatalog.types();
        List<String[]> brands = shuffled(DemoCatalog.BRANDS, rng);
        List<Integer> numbers = shuffled(DemoCatalog.MODEL_NUMBERS, rng);
        TreeSet<String> usedTags = new TreeSet<>();
        List<Equipment> all = new ArrayList<>();
        int b = 0;
        for (TypeTemplate type : types) {
            TreeSet<Integer> usedCodes = new TreeSet<>();
            for (int k = 0; k < 2; k++, b++) {
                String brand = brands.get(b)[0], model = brands.get(b)[1] + "-" + numbers.get(b);
                String id = model.replace("-", "").toLowerCase(Locale.ROOT);
                List<Spec> specs = new ArrayList<>();
                for (SpecTemplate s : type.specs()) specs.add(new Spec(s.key(), s.label(), withUnit(draw(s.values(), rng), s.unit())));
                specs.add(new Spec("temp_range", type.tempLabel(),
                        pick(list(type.tempLows()), rng) + " to " + pick(list(type.tempHighs()), rng) + " °C"));
                List<FaultTemplate> chosen = shuffled(type.faults(), rng).subList(0, type.faults().size() - 1);
                List<FaultTemplate> ordered = type.faults().stream().filter(chosen::contains).toList();
                List<FaultCode> faults = new ArrayList<>();
                for (FaultTemplate f : ordered) {
                    int n;
                    do n = rng.nextInt(100); while (!usedCodes.add(n));
                    String code = String.format(Locale.ROOT, "E-%d%02d", type.codeDigit(), n);
                    List<String> symptoms = shuffled(f.symptoms(), rng);
                    symptoms = symptoms.subList(0, Math.min(symptoms.size(), 2 + rng.nextInt(2)));
                    String cause = pick(f.causes(), rng);
                    String label = null, value = null;
                    List<String> steps = new ArrayList<>();
                    for (String step : f.steps()) {
                        int open = step.indexOf('{');
                        if (open >= 0) {
                            int close = step.indexOf('}', open);
                            String[] hole = step.substring(open + 1, close).split("\\|");
                            value = withUnit(draw(hole[1], rng), hole[0]);
                            label = hole[2];
                            step = step.substring(0, open) + value + step.substring(close + 1);
                        }
                        steps.add(step);
                    }
                    String section = "4." + (faults.size() + 1);
                    faults.add(new FaultCode(code, f.title(), f.component(), List.copyOf(symptoms), cause, section,
                            f.procedure(), f.tools(), List.copyOf(steps), label, value));
                }
                List<Asset> assets = new ArrayList<>();
                int count = 2 + rng.nextInt(3);
                while (assets.size() < count) {
                    String tag = type.assetPrefix() + "-" + (100 + rng.nextInt(900));
                    if (usedTags.add(tag)) assets.add(new Asset(tag, pick(DemoCatalog.SITES, rng)));
                }
                all.add(new Equipment(id, brand, model, type.noun(), type.components(), List.copyOf(specs),
                        List.copyOf(faults), type.routine(), List.copyOf(assets)));
            }
        }
        List<Technician> techs = DemoCatalog.TECHNICIANS.stream()
                .map(n -> new Technician(n, n.charAt(0) + "" + n.charAt(n.indexOf(' ') + 1))).toList();
        return new DemoDomain(seed, List.copyOf(all), techs);
    }

    public long seed() {
        return seed;
    }

    /** The equipment models, in a fixed order. */
    public List<Equipment> equipment() {
        return equipment;
    }

    public List<Technician> technicians() {
        return technicians;
    }

    /** Every fact the corpus states, sorted by id. */
    public List<Fact> facts() {
        List<Fact> facts = new ArrayList<>();
        for (Equipment e : equipment) {
            String n = e.name();
            for (Spec s : e.specs()) {
                facts.add(new Fact(e.id() + "-spec-" + s.key().replace('_', '-'), n, null,
                        "What is the " + s.label() + " of the " + n + "?", s.value(), "spec"));
            }
            for (FaultCode f : e.faults()) {
                String p = e.id() + "-" + f.code().replace("-", "").toLowerCase(Locale.ROOT) + "-", c = f.code();
                facts.add(new Fact(p + "meaning", n, c, "What does fault code " + c + " indicate on the " + n + "?",
                        f.title(), "fault_meaning"));
                facts.add(new Fact(p + "cause", n, c, "What is the root cause of fault " + c + " on the " + n + "?",
                        f.cause(), "fault_cause"));
                facts.add(new Fact(p + "component", n, c, "Which component is involved in fault " + c + " on the " + n
                        + "?", f.component(), "fault_component"));
                facts.add(new Fact(p + "symptom", n, c, "What is the most typical symptom of fault " + c + " on the "
                        + n + "?", f.symptoms().getFirst(), "fault_symptom"));
                facts.add(new Fact(p + "repair-value", n, c, "What " + f.valueLabel()
                        + " does the repair procedure for fault " + c + " on the " + n + " specify?", f.value(),
                        "repair_value"));
            }
        }
        facts.sort(Comparator.comparing(Fact::id));
        return List.copyOf(facts);
    }

    /**
     * One held-out question per fact, in the order of {@link #facts()}. The templates here are used nowhere in the
     * corpus, so a model that answers them has learned the fact rather than a sentence.
     */
    public List<HeldoutQuestion> heldoutQuestions() {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<HeldoutQuestion> out = new ArrayList<>();
        for (Fact f : facts()) {
            String n = f.equipment(), c = f.code();
            String label = f.kind().equals("spec") || f.kind().equals("repair_value") ? labelOf(f) : null;
            String q = switch (f.kind()) {
                case "spec" -> pick(List.of(
                        "Looking at the data for a " + n + ", how much is its " + label + "?",
                        "For a " + n + ", which figure is given as the " + label + "?",
                        "I need the " + label + " for our " + n + ". What figure applies?"), rng);
                case "fault_meaning" -> pick(List.of(
                        "Which fault is a " + n + " reporting when its display reads " + c + "?",
                        "A " + n + " has just raised " + c + ". In plain words, what has gone wrong?"), rng);
                case "fault_cause" -> pick(List.of(
                        "A " + n + " keeps showing " + c + ". What is usually behind it?",
                        "When " + c + " comes up on a " + n + ", what underlying problem should a fitter expect?"), rng);
                case "fault_component" -> pick(List.of(
                        "When a " + n + " throws " + c + ", which part deserves attention first?",
                        "Code " + c + " on a " + n + " points at which part of the machine?"), rng);
                case "fault_symptom" -> pick(List.of(
                        "How would an operator first notice the problem a " + n + " reports as " + c + "?",
                        "Before " + c + " is even read off a " + n + ", what tends to give the problem away?"), rng);
                case "repair_value" -> pick(List.of(
                        "While fixing " + c + " on a " + n + ", which figure should be used for the " + label + "?",
                        "A fitter is clearing " + c + " on a " + n + ". What " + label + " is called for?"), rng);
                default -> throw new IllegalStateException(f.kind());
            };
            out.add(new HeldoutQuestion(f.id() + "-heldout", f.id(), n, q, f.answer(), f.kind()));
        }
        return List.copyOf(out);
    }

    private String labelOf(Fact f) {
        for (Equipment e : equipment) {
            if (!e.name().equals(f.equipment())) continue;
            if (f.code() == null) {
                for (Spec s : e.specs()) if (f.id().equals(e.id() + "-spec-" + s.key().replace('_', '-'))) return s.label();
            } else {
                for (FaultCode fc : e.faults()) if (fc.code().equals(f.code())) return fc.valueLabel();
            }
        }
        throw new IllegalStateException("no label for " + f.id());
    }

    // ---- drawing helpers ----

    static <T> T pick(List<T> options, SplittableRandom rng) {
        return options.get(rng.nextInt(options.size()));
    }

    static <T> List<T> shuffled(List<T> in, SplittableRandom rng) {
        List<T> out = new ArrayList<>(in);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    private static List<String> list(String values) {
        return List.of(values.split("\\s*,\\s*"));
    }

    /** A value from {@code "3, 4, 5.5"} or {@code "MIN..MAX/STEP"}, formatted with the step's decimals. */
    static String draw(String values, SplittableRandom rng) {
        int dots = values.indexOf("..");
        if (dots < 0) return pick(list(values), rng);
        int slash = values.indexOf('/');
        BigDecimal min = new BigDecimal(values.substring(0, dots).strip());
        BigDecimal max = new BigDecimal(values.substring(dots + 2, slash).strip());
        BigDecimal step = new BigDecimal(values.substring(slash + 1).strip());
        int n = max.subtract(min).divideToIntegralValue(step).intValueExact();
        return min.add(step.multiply(BigDecimal.valueOf(rng.nextInt(n + 1)))).setScale(step.scale()).toPlainString();
    }

    static String withUnit(String number, String unit) {
        Objects.requireNonNull(unit);
        return unit.startsWith(":") ? number + unit : number + " " + unit;
    }
}
