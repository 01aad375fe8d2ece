package dev.seedling.data.demo;

import dev.seedling.data.demo.DemoDomain.Asset;
import dev.seedling.data.demo.DemoDomain.Equipment;
import dev.seedling.data.demo.DemoDomain.FaultCode;
import dev.seedling.data.demo.DemoDomain.Spec;
import dev.seedling.data.demo.DemoDomain.Technician;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Turns the demo world into documents of several kinds, each with several templates and paraphrases chosen by the
 * seeded RNG. Facts (values, causes, symptoms) are always copied verbatim from the {@link DemoDomain}; only the words
 * around them vary. A paragraph is one line, and a line never mentions the cause of a fault code other than the one
 * it names.
 */
final class DemoRenderers {
    /** One document: its path relative to the output folder and its text. */
    record Doc(String path, String text) {}

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};

    private final DemoDomain domain;
    private final SplittableRandom rng;
    private int sequence;
    private final TreeMap<Integer, Integer> incidentNumbers = new TreeMap<>();
    private int bulletinNumber = 101;

    DemoRenderers(DemoDomain domain, SplittableRandom rng) {
        this.domain = domain;
        this.rng = rng;
    }

    // ---- specification sheets ----

    Doc specSheet(Equipment e) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(p(e.fullName() + " — technical data", "Specification sheet: " + e.name(),
                e.name() + " " + e.type() + " data sheet", "Technical specification — " + e.fullName())).append("\n\n");
        b.append(p("Document SP-" + e.model() + ", revision " + (char) ('A' + rng.nextInt(5)) + ".",
                "Issued by " + e.brand() + " product engineering.", "Values apply to the standard build.",
                "For installation and commissioning, see the service manual.")).append("\n\n");
        switch (rng.nextInt(3)) {
            case 0 -> {
                String[] head = p2(new String[] {"Parameter", "Value"}, new String[] {"Item", "Specification"},
                        new String[] {"Characteristic", "Rating"});
                b.append("| ").append(head[0]).append(" | ").append(head[1]).append(" |\n|---|---|\n");
                for (Spec s : e.specs()) b.append("| ").append(cap(s.label())).append(" | ").append(s.value()).append(" |\n");
            }
            case 1 -> {
                for (Spec s : e.specs()) b.append("- **").append(cap(s.label())).append(":** ").append(s.value()).append('\n');
            }
            default -> {
                b.append("The ").append(e.fullName()).append(' ')
                        .append(p("is built for continuous industrial duty.", "is designed for heavy-duty plant service.",
                                "suits continuous operation in process plants."))
                        .append(' ');
                List<String> sentences = new ArrayList<>();
                for (Spec s : e.specs()) sentences.add(specSentence(e, s));
                b.append(String.join(" ", sentences)).append('\n');
            }
        }
        b.append('\n').append(p("Main components: ", "Key components: ", "The unit comprises: "))
                .append(join(e.components())).append(".\n");
        return new Doc("docs/specs/" + next() + "-" + e.id() + "-spec.md", b.toString());
    }

    private String specSentence(Equipment e, Spec s) {
        if (s.key().equals("service_interval"))
            return p("Service is due every " + s.value() + ".", "The " + s.label() + " is " + s.value() + ".",
                    "Plan routine maintenance at " + a(s.label()) + " of " + s.value() + ".");
        String who = p("The " + e.model(), "The " + e.name(), "This " + e.type(), "The unit");
        return switch (rng.nextInt(5)) {
            case 0 -> who + " has " + a(s.label()) + " of " + s.value() + ".";
            case 1 -> "Its " + s.label() + " is " + s.value() + ".";
            case 2 -> cap(s.label()) + ": " + s.value() + ".";
            case 3 -> "The " + s.label() + " is specified as " + s.value() + ".";
            default -> cap(a(s.label())) + " of " + s.value() + " applies to the " + e.model() + ".";
        };
    }

    // ---- fault-code tables ----

    Doc faultTable(Equipment e) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(p("Fault codes — " + e.name(), e.name() + " fault code reference",
                "Alarm and fault codes: " + e.fullName(), "Troubleshooting table for the " + e.model())).append("\n\n");
        b.append(p("The controller shows these codes on its display and in the event log.",
                "Each code below is raised by the " + e.model() + " controller; the section column points to the repair procedure.",
                "Use this table to go from a displayed code to the likely cause and the part to check.")).append("\n\n");
        boolean causeFirst = rng.nextBoolean();
        String code = p("Code", "Fault code", "Display"), meaning = p("Fault", "Meaning", "Description");
        String symptom = p("Typical symptom", "What you notice", "Symptom"), cause = p("Root cause", "Probable cause", "Likely cause");
        String part = p("Component", "Check", "Part to inspect"), section = p("Section", "Procedure", "See");
        b.append("| ").append(code).append(" | ").append(meaning).append(" | ").append(symptom).append(" | ")
                .append(causeFirst ? cause + " | " + part : part + " | " + cause).append(" | ").append(section).append(" |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (FaultCode f : e.faults()) {
            b.append("| ").append(f.code()).append(" | ").append(cap(f.title())).append(" | ").append(f.symptoms().getFirst())
                    .append(" | ").append(causeFirst ? f.cause() + " | " + f.component() : f.component() + " | " + f.cause())
                    .append(" | ").append(f.section()).append(" |\n");
        }
        return new Doc("docs/faults/" + next() + "-" + e.id() + "-fault-codes.md", b.toString());
    }

    /** A shorter chart for the troubleshooting binder: symptoms first, then code and cause. */
    Doc troubleshootingChart(Equipment e) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(p("Troubleshooting chart — ", "Quick fault finder: ", "If something is wrong with the "))
                .append(e.name()).append("\n\n");
        b.append("| ").append(p("Symptom", "What you see", "Observation")).append(" | ").append(p("Code", "Alarm"))
                .append(" | ").append(p("Cause", "Usual cause")).append(" | ").append(p("Remedy", "What to do")).append(" |\n|---|---|---|---|\n");
        for (FaultCode f : DemoDomain.shuffled(e.faults(), rng)) {
            for (int i = 0; i < f.symptoms().size(); i++) {
                String s = f.symptoms().get(i);
                if (i > 0 && rng.nextInt(3) == 0) continue;
                b.append("| ").append(cap(s)).append(" | ").append(f.code()).append(" | ").append(f.cause()).append(" | ")
                        .append(p(f.procedure() + " (section " + f.section() + ")", "Check the " + f.component(),
                                "See manual section " + f.section())).append(" |\n");
            }
        }
        return new Doc("docs/faults/" + next() + "-" + e.id() + "-troubleshooting.md", b.toString());
    }

    // ---- service manual ----

    Doc serviceManual(Equipment e) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(e.fullName()).append(p(" — Service Manual", ": service and repair manual",
                " — maintenance manual")).append("\n\n");
        b.append("## 1 ").append(p("General description", "Introduction", "About this machine")).append("\n\n");
        b.append(p("The " + e.fullName() + " is made by " + e.brand() + ". ",
                "This manual covers the " + e.name() + ", " + a(e.type()) + ". ",
                "The " + e.model() + " is " + a(e.type()) + " from the " + e.brand() + " range. "))
                .append(p("Its main components are the ", "The main assemblies are the ", "It is built around the "))
                .append(join(e.components())).append(".\n\n");
        b.append(p("Only trained personnel may carry out the work in this manual.",
                "Always isolate and lock out the machine before starting work.",
                "Read the safety chapter before any maintenance work.")).append("\n\n");
        b.append("## 2 ").append(p("Technical data", "Specifications", "Ratings")).append("\n\n");
        if (rng.nextBoolean()) {
            b.append("| ").append(p("Parameter", "Item")).append(" | ").append(p("Value", "Rating")).append(" |\n|---|---|\n");
            for (Spec s : e.specs()) b.append("| ").append(cap(s.label())).append(" | ").append(s.value()).append(" |\n");
        } else {
            List<String> sentences = new ArrayList<>();
            for (Spec s : e.specs()) sentences.add(specSentence(e, s));
            b.append(String.join(" ", sentences)).append('\n');
        }
        Spec interval = e.spec("service_interval");
        b.append("\n## 3 ").append(p("Maintenance schedule", "Routine maintenance", "Planned maintenance")).append("\n\n");
        b.append(p("Carry out the routine service every " + interval.value() + " of running.",
                "The " + interval.label() + " is " + interval.value() + ".",
                "Routine service falls due at " + a(interval.label()) + " of " + interval.value() + "."))
                .append(' ').append(p("Each service includes:", "At every service:", "The routine tasks are:")).append("\n\n");
        for (String task : e.routine()) b.append("- ").append(cap(imperative(task))).append(".\n");
        b.append("\n## 4 ").append(p("Repair procedures", "Corrective maintenance", "Repairs")).append("\n\n");
        for (FaultCode f : e.faults()) {
            b.append("### ").append(f.section()).append(' ').append(f.procedure()).append("\n\n");
            b.append(procedureIntro(e, f)).append("\n\n");
            b.append(p("Tools required: ", "Tools: ", "You will need: ")).append(join(f.tools())).append(".\n\n");
            for (int i = 0; i < f.steps().size(); i++) b.append(i + 1).append(". ").append(f.steps().get(i)).append('\n');
            b.append('\n');
        }
        b.append("## 5 ").append(p("Fault codes", "Fault code summary", "Codes and their meaning")).append("\n\n");
        for (FaultCode f : e.faults()) {
            b.append("- **").append(f.code()).append("** ").append(cap(f.title())).append(": ")
                    .append(p("caused by " + f.cause(), "root cause " + f.cause(), "usually " + f.cause()))
                    .append("; see ").append(f.section()).append(".\n");
        }
        return new Doc("docs/manuals/" + next() + "-" + e.id() + "-service-manual.md", b.toString());
    }

    private String procedureIntro(Equipment e, FaultCode f) {
        String syms = join(f.symptoms());
        return switch (rng.nextInt(3)) {
            case 0 -> "Use this procedure when the controller shows " + f.code() + " (" + f.title() + "). The usual root cause is "
                    + f.cause() + ". Typical signs are " + syms + ".";
            case 1 -> "Fault code " + f.code() + " indicates " + f.title() + ". Operators normally notice " + syms
                    + ". In most cases the fault is traced to " + f.cause() + ", so the " + f.component() + " must be dealt with.";
            default -> "On the " + e.model() + ", " + f.code() + " reports " + f.title() + ". It comes from " + f.cause()
                    + " and shows itself as " + syms + ". The work centres on the " + f.component() + ".";
        };
    }

    // ---- FAQ ----

    /** Questions and answers about one model; {@code all} covers every fact of the model. */
    Doc faq(Equipment e, boolean all) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(p("Frequently asked questions: " + e.name(), e.name() + " — FAQ",
                "Questions from the field about the " + e.model(), "Service desk answers: " + e.fullName())).append("\n\n");
        boolean bold = rng.nextBoolean();
        String qp = bold ? "**Q:** " : "Q: ", ap = bold ? "**A:** " : "A: ";
        for (Spec s : e.specs()) {
            if (!all && rng.nextInt(3) != 0) continue;
            String q, ans;
            if (s.key().equals("service_interval")) {
                q = p("How often does the " + e.model() + " need servicing?", "When is the " + e.name() + " due for a service?",
                        "What is the " + s.label() + " of the " + e.model() + "?");
                ans = p("Every " + s.value() + " of running.", "The " + s.label() + " is " + s.value() + ".",
                        "Plan a service every " + s.value() + "; the routine tasks are listed in chapter 3 of the manual.");
            } else {
                q = p("What is the " + s.label() + " of the " + e.model() + "?", "How high is the " + s.label() + " on the " + e.name() + "?",
                        "Can you tell me the " + s.label() + " for the " + e.model() + "?");
                ans = p(cap(s.label()) + " is " + s.value() + ".", "It is " + s.value() + ", as listed in the technical data.",
                        "The data sheet gives " + s.value() + ".", s.value() + ".");
            }
            b.append(qp).append(q).append('\n').append(ap).append(ans).append("\n\n");
        }
        for (FaultCode f : e.faults()) {
            if (all || rng.nextInt(2) == 0) {
                b.append(qp).append(p("What does " + f.code() + " mean on the " + e.model() + "?",
                        "My " + e.model() + " shows " + f.code() + ". What is wrong?", "Why does the " + e.model() + " display " + f.code() + "?",
                        "What is fault " + f.code() + " on " + a(e.name()) + "?")).append('\n');
                b.append(ap).append(p(f.code() + " stands for " + f.title() + ". It is usually caused by " + f.cause()
                                + "; the part to inspect is the " + f.component() + ".",
                        f.code() + " indicates " + f.title() + ". The root cause is normally " + f.cause() + ", which involves the "
                                + f.component() + ".",
                        cap(f.title()) + ": " + f.code() + " nearly always comes from " + f.cause() + ". Check the " + f.component()
                                + " first.")).append("\n\n");
            }
            if (all || rng.nextInt(2) == 0) {
                b.append(qp).append(p("How do I recognise " + f.code() + " before the alarm?", "What are the signs of " + f.code()
                        + " on the " + e.model() + "?", "What symptoms come with " + f.code() + "?")).append('\n');
                b.append(ap).append(p("Look for ", "Watch for ", "Typically ")).append(f.symptoms().getFirst());
                if (f.symptoms().size() > 1) b.append(p(", and often ", ", sometimes with ", "; also ")).append(f.symptoms().get(1));
                b.append(".\n\n");
            }
            if (all || rng.nextInt(2) == 0) {
                b.append(qp).append(p("How is " + f.code() + " repaired?", "What is the fix for " + f.code() + " on the " + e.model() + "?",
                        "Which procedure clears " + f.code() + "?")).append('\n');
                b.append(ap).append(p("Follow section " + f.section() + ", \"" + f.procedure() + "\", in the service manual. The "
                                + f.valueLabel() + " is " + f.value() + ".",
                        "Use the procedure in section " + f.section() + " (" + lower(f.procedure()) + "). You need " + join(f.tools())
                                + ". Key figure: " + f.valueLabel() + " " + f.value() + ".",
                        f.procedure() + " per section " + f.section() + "; the " + f.valueLabel() + " must be " + f.value()
                                + ".")).append("\n\n");
            }
        }
        if (b.indexOf(qp) < 0) return faq(e, true);
        return new Doc("docs/faq/" + next() + "-" + e.id() + "-faq.md", b.toString());
    }

    // ---- maintenance logs ----

    Doc maintenanceLog(Equipment e) {
        Asset asset = DemoDomain.pick(e.assets(), rng);
        LocalDate date = LocalDate.of(2019, 1, 7).plusDays(rng.nextInt(5 * 365));
        long hours = 500 + rng.nextInt(30_000);
        int format = rng.nextInt(3), entries = 12 + rng.nextInt(19), dateStyle = rng.nextInt(4);
        StringBuilder b = new StringBuilder();
        b.append(p("Maintenance log — asset ", "MAINTENANCE LOG ", "Service record for asset ")).append(asset.tag()).append('\n');
        b.append(p("Equipment: ", "Machine: ", "Unit: ")).append(e.fullName()).append('\n');
        b.append(p("Site: ", "Location: ")).append(asset.site()).append("\n\n");
        if (format == 0) b.append("| Date | Tech | Hours | Observed | Action taken |\n|---|---|---|---|---|\n");
        for (int i = 0; i < entries; i++) {
            int delta = 150 + rng.nextInt(1400);
            hours += delta;
            date = date.plusDays(delta / 20 + 1 + rng.nextInt(10));
            Technician tech = DemoDomain.pick(domain.technicians(), rng);
            String[] entry = logEntry(e);
            switch (format) {
                case 0 -> b.append("| ").append(date).append(" | ").append(tech.initials()).append(" | ")
                        .append(thousands(hours)).append(" | ").append(entry[0]).append(" | ")
                        .append(entry[1]).append(" |\n");
                case 1 -> b.append(date(date, dateStyle)).append(' ').append(tech.initials()).append(" @ ").append(hours).append(" h — ")
                        .append(entry[0]).append(' ').append(entry[1]).append('\n');
                default -> b.append("Date: ").append(date(date, dateStyle)).append('\n')
                        .append("Technician: ").append(tech.name()).append(" (").append(tech.initials()).append(")\n")
                        .append("Hours run: ").append(thousands(hours)).append('\n')
                        .append("Observed: ").append(entry[0]).append('\n')
                        .append("Action taken: ").append(entry[1]).append("\n\n");
            }
        }
        String ext = format == 0 ? ".md" : ".txt";
        return new Doc("docs/logs/" + next() + "-" + e.id() + "-" + asset.tag().toLowerCase(Locale.ROOT) + ext, b.toString());
    }

    /** {observation, action} for one log entry. */
    private String[] logEntry(Equipment e) {
        int kind = rng.nextInt(100);
        if (kind < 50) {
            String interval = e.spec("service_interval").value();
            List<String> tasks = DemoDomain.shuffled(e.routine(), rng).subList(0, 2 + rng.nextInt(3));
            return new String[] {p("Routine service (" + interval + " interval).", "Scheduled service, every " + interval + ".",
                    "Routine service.", "Planned maintenance at the " + interval + " interval."), cap(join(tasks)) + "."};
        }
        if (kind < 85) {
            FaultCode f = DemoDomain.pick(e.faults(), rng);
            String sym = DemoDomain.pick(f.symptoms(), rng);
            String obs = p(f.code() + " on the panel; " + sym + ".", "Operator reported " + sym + "; controller showed " + f.code() + ".",
                    "Alarm " + f.code() + " with " + sym + ".", cap(sym) + ", code " + f.code() + ".");
            String act = switch (rng.nextInt(5)) {
                case 0 -> "Found " + f.cause() + ". Carried out section " + f.section() + " (" + lower(f.procedure()) + "), "
                        + f.valueLabel() + " " + f.value() + ". Returned to service.";
                case 1 -> "Traced to " + f.cause() + ". " + f.procedure() + " per manual; " + f.valueLabel() + " set to " + f.value() + ".";
                case 2 -> "Cause: " + f.cause() + ". Worked on the " + f.component() + "; tested OK.";
                case 3 -> cap(f.cause()) + " confirmed. " + f.procedure() + " done, " + f.valueLabel() + " " + f.value() + ".";
                default -> "Reset the alarm; " + f.component() + " to be inspected at the next planned stop.";
            };
            return new String[] {obs, act};
        }
        return new String[] {p("Walk-round inspection.", "Vibration and temperature round.", "Operator concern checked.",
                        "Weekly check."),
                p("No defects found.", "All readings normal.", "Minor oil weep wiped clean; no action needed.",
                        "Guards and fixings secure; nothing to report.")};
    }

    // ---- incident reports ----

    Doc incidentReport(Equipment e) {
        Asset asset = DemoDomain.pick(e.assets(), rng);
        FaultCode f = DemoDomain.pick(e.faults(), rng);
        LocalDate date = LocalDate.of(2019, 1, 7).plusDays(rng.nextInt(6 * 365));
        Technician tech = DemoDomain.pick(domain.technicians(), rng);
        int seq = incidentNumbers.merge(date.getYear(), 1, Integer::sum);
        String id = "IR-" + date.getYear() + "-" + (seq < 10 ? "00" : seq < 100 ? "0" : "") + seq;
        int hour = 5 + rng.nextInt(14), minute = rng.nextInt(60), downtime = 2 + rng.nextInt(30);
        StringBuilder b = new StringBuilder();
        if (rng.nextInt(3) > 0) {
            b.append("# ").append(p("Incident report ", "Incident ", "Equipment incident report ")).append(id).append("\n\n");
            b.append("**").append(p("Equipment", "Machine")).append(":** ").append(e.fullName()).append(", asset ")
                    .append(asset.tag()).append("  \n");
            b.append("**Site:** ").append(asset.site()).append("  \n");
            b.append("**Date:** ").append(date(date)).append("  \n");
            b.append("**").append(p("Reported by", "Investigated by", "Author")).append(":** ").append(tech.name()).append("  \n");
            b.append("**Downtime:** ").append(downtime).append(" hours\n\n");
            b.append("## ").append(p("Summary", "What happened", "Overview")).append("\n\n");
            b.append(summary(e, f, asset)).append("\n\n");
            b.append("## ").append(p("Sequence of events", "Timeline", "Chronology")).append("\n\n");
            b.append("- ").append(time(hour, minute)).append(' ').append(p("Operator noticed ", "Shift operator reported ",
                    "Control room observed ")).append(f.symptoms().getFirst()).append(".\n");
            minute += 5 + rng.nextInt(20);
            b.append("- ").append(time(hour, minute)).append(' ').append(p("The controller raised ", "Alarm ", "Display showed "))
                    .append(f.code()).append(" (").append(f.title()).append(").\n");
            minute += 10 + rng.nextInt(50);
            b.append("- ").append(time(hour, minute)).append(' ').append(tech.name()).append(p(" isolated the ", " locked out the ",
                    " made safe the ")).append(e.type()).append(" and began the investigation.\n");
            minute += 60 + rng.nextInt(240);
            b.append("- ").append(time(hour, minute)).append(p(" Returned to service after ", " Back in service following ",
                    " Restarted after ")).append(lower(f.procedure())).append(".\n\n");
            b.append("## ").append(p("Root cause", "Cause", "Findings")).append("\n\n");
            b.append(p("The investigation found " + f.cause() + ".", "Root cause: " + f.cause() + ".",
                    "Dismantling showed " + f.cause() + ", which explains " + f.code() + "."))
                    .append(' ').append(p("The affected component was the " + f.component() + ".",
                            "The " + f.component() + " was the part at fault.", "The failure was confined to the " + f.component() + "."))
                    .append("\n\n");
            b.append("## ").append(p("Corrective action", "Repair", "Action taken")).append("\n\n");
            b.append(p("The repair followed section " + f.section() + " of the service manual (" + lower(f.procedure()) + "):",
                    "Steps carried out, per \"" + f.procedure() + "\":", "The team worked through the manual procedure:")).append("\n\n");
            for (int i = 0; i < f.steps().size(); i++) b.append(i + 1).append(". ").append(f.steps().get(i)).append('\n');
            b.append('\n').append(p("The " + f.valueLabel() + " was confirmed at " + f.value() + ".",
                    "Recorded " + f.valueLabel() + ": " + f.value() + ".", "Note: " + f.valueLabel() + " " + f.value() + " as specified."))
                    .append("\n\n");
            b.append("## ").append(p("Preventive actions", "Lessons learned", "Follow-up")).append("\n\n");
            b.append("- ").append(p("Add a check of the " + f.component() + " to the routine service.",
                    "Brief all operators on the early signs of " + f.code() + ".",
                    "Review the " + e.spec("service_interval").label() + " of " + e.spec("service_interval").value() + " for this duty.",
                    "Keep a spare " + f.component() + " in the site store.")).append('\n');
            b.append("- ").append(p("Share this report with the other " + e.model() + " sites.", "Update the asset history for "
                    + asset.tag() + ".", "Trend the readings for the next month.")).append('\n');
            return new Doc("docs/incidents/" + next() + "-" + id.toLowerCase(Locale.ROOT) + ".md", b.toString());
        }
        b.append(p("INCIDENT ", "Incident narrative ", "Report ")).append(id).append("\n\n");
        b.append(p("On ", "Early on ", "During the shift of ")).append(date(date)).append(" the ").append(e.type())
                .append(" at ").append(asset.site()).append(" (asset ").append(asset.tag()).append(", ").append(a(e.name()))
                .append(") ").append(p("stopped unexpectedly.", "had to be taken out of service.", "tripped during normal running."))
                .append(' ').append(summary(e, f, asset)).append("\n\n");
        b.append(tech.name()).append(p(" attended and ", " was called out and ", " investigated and ")).append(p("found ",
                "confirmed ", "traced the fault to ")).append(f.cause()).append(p(". ", ", which accounts for " + f.code() + ". "))
                .append(p("Using ", "With ", "Equipped with ")).append("the ").append(join(f.tools()))
                .append(p(", the team followed the procedure \"", ", the crew worked through \"", ", they carried out \""))
                .append(f.procedure()).append("\" (section ").append(f.section()).append(")").append(p(" and confirmed the " + f.valueLabel() + " of " + f.value() + ".",
                        "; the " + f.valueLabel() + " was " + f.value() + " as the manual requires.")).append("\n\n");
        b.append(p("The unit was back in service after " + downtime + " hours.", "Total downtime: " + downtime + " hours.",
                "Production lost about " + downtime + " hours.")).append(' ').append(p("No one was injured.",
                "There was no injury and no environmental release.", "The event was recorded in the asset history."))
                .append('\n');
        return new Doc("docs/incidents/" + next() + "-" + id.toLowerCase(Locale.ROOT) + ".txt", b.toString());
    }

    private String summary(Equipment e, FaultCode f, Asset asset) {
        return switch (rng.nextInt(3)) {
            case 0 -> "The " + e.model() + " on asset " + asset.tag() + " showed " + f.symptoms().getFirst() + " and raised "
                    + f.code() + ". The cause was " + f.cause() + ".";
            case 1 -> "Fault " + f.code() + " (" + f.title() + ") stopped the " + e.type() + "; inspection found " + f.cause() + ".";
            default -> "Following " + f.symptoms().getFirst() + ", the controller reported " + f.code() + ", and the "
                    + f.component() + " was found to have failed through " + f.cause() + ".";
        };
    }

    // ---- service bulletins ----

    Doc bulletin(Equipment e) {
        FaultCode f = DemoDomain.pick(e.faults(), rng);
        String id = "SB-" + bulletinNumber++;
        StringBuilder b = new StringBuilder();
        b.append("# ").append(p("Service bulletin " + id + ": ", id + " — ", "Technical bulletin " + id + ": "))
                .append(cap(f.title())).append(p(" on the ", " on ", " affecting the ")).append(e.name()).append("\n\n");
        b.append(p("Applies to: ", "Models affected: ", "Scope: ")).append(e.fullName()).append(", all serial numbers.  \n");
        b.append(p("Fault code: ", "Related code: ", "Display code: ")).append(f.code()).append("\n\n");
        b.append("## ").append(p("Background", "Why this bulletin", "Field experience")).append("\n\n");
        b.append(p("Field reports show that " + f.code() + " on the " + e.model() + " is almost always caused by " + f.cause() + ".",
                "Service data for " + f.code() + " points to " + f.cause() + " as the root cause.",
                "Our analysis of returned parts links " + f.code() + " to " + f.cause() + "."))
                .append(' ').append(p("Sites usually notice " + join(f.symptoms()) + ".",
                        "The early signs are " + join(f.symptoms()) + ".", "Expect " + join(f.symptoms()) + "."))
                .append("\n\n");
        b.append("## ").append(p("Procedure", "Recommended action", "Repair")).append("\n\n");
        b.append(p("Tools: ", "Tooling: ", "Required tools: ")).append(join(f.tools())).append(".\n\n");
        for (int i = 0; i < f.steps().size(); i++) b.append(i + 1).append(". ").append(f.steps().get(i)).append('\n');
        b.append('\n').append(p("Important: the " + f.valueLabel() + " is " + f.value() + ".",
                "Do not deviate from the " + f.valueLabel() + " of " + f.value() + ".",
                "The " + f.valueLabel() + " of " + f.value() + " is critical to a lasting repair.")).append('\n');
        return new Doc("docs/bulletins/" + next() + "-" + id.toLowerCase(Locale.ROOT) + ".md", b.toString());
    }

    // ---- wording helpers ----

    private String next() {
        String n = Integer.toString(sequence++);
        return "00000".substring(Math.min(5, n.length())) + n;
    }

    /** {@code 12480 -> "12,480"}. */
    static String thousands(long n) {
        String s = Long.toString(n);
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            if (i > 0 && (s.length() - i) % 3 == 0) b.append(',');
            b.append(s.charAt(i));
        }
        return b.toString();
    }

    private String p(String... options) {
        return options[rng.nextInt(options.length)];
    }

    private String[] p2(String[]... options) {
        return options[rng.nextInt(options.length)];
    }

    private String date(LocalDate d) {
        return date(d, rng.nextInt(4));
    }

    private static String date(LocalDate d, int style) {
        return switch (style) {
            case 0 -> d.toString();
            case 1 -> d.getDayOfMonth() + " " + MONTHS[d.getMonthValue() - 1].substring(0, 3) + " " + d.getYear();
            case 2 -> pad2(d.getDayOfMonth()) + "/" + pad2(d.getMonthValue()) + "/" + d.getYear();
            default -> d.getDayOfMonth() + " " + MONTHS[d.getMonthValue() - 1] + " " + d.getYear();
        };
    }

    private static String time(int hour, int minute) {
        int m = hour * 60 + minute;
        return pad2((m / 60) % 24) + ":" + pad2(m % 60);
    }

    /** Turns a logged task ("greased the bearings") into an instruction ("grease the bearings"). */
    static String imperative(String task) {
        int sp = task.indexOf(' ');
        String verb = task.substring(0, sp);
        String base = switch (verb) {
            case "blew" -> "blow";
            case "took" -> "take";
            case "ran" -> "run";
            case "changed", "greased", "measured", "stroked" -> verb.substring(0, verb.length() - 1);
            case "checked", "cleaned", "drained", "inspected", "recorded", "tested" -> verb.substring(0, verb.length() - 2);
            default -> throw new IllegalStateException("demo catalog: no imperative for " + verb);
        };
        return base + task.substring(sp);
    }

    private static String pad2(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String a(String noun) {
        return ("aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
    }

    static String join(List<String> items) {
        if (items.size() == 1) return items.getFirst();
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
    }
}
