package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class C4FilterTest {
    private static final String WEB_PAGE = """
            Home | Products | Contact
            The pump was serviced on Monday and the seal was replaced.
            Please enable JavaScript to view the comments powered by our widget.
            We checked the flow rate after the repair and it was normal again.
            This site uses cookies to improve your experience.
            Read our Privacy Policy and Terms of Use before you continue.
            The bearing temperature stayed below the limit during the test[1].
            Short line.
            The technician signed the report and closed the work order.
            Vibration readings were recorded at both bearings for the trend.
            """;

    private static StageReport report() {
        return new StageReport("c4", 3);
    }

    @Test
    void webRulesRemoveLinesAndKeepSentences() {
        C4Filter f = new C4Filter(C4Filter.Config.web());
        StageReport r = report();
        CurDoc out = f.apply(new CurDoc(0, "p.html", "web", WEB_PAGE), r);
        assertThat(out.text()).isEqualTo("""
                The pump was serviced on Monday and the seal was replaced.
                We checked the flow rate after the repair and it was normal again.
                The bearing temperature stayed below the limit during the test.
                The technician signed the report and closed the work order.
                Vibration readings were recorded at both bearings for the trend.""");
        assertThat(r.counts()).containsEntry("lines:no_terminal_punct", 1L).containsEntry("lines:javascript", 1L)
                .containsEntry("lines:policy", 2L).containsEntry("lines:few_words", 1L).containsEntry("lines:citations", 1L);
    }

    @Test
    void documentRules() {
        C4Filter web = new C4Filter(C4Filter.Config.web());
        StageReport r = report();
        assertThat(web.apply(new CurDoc(0, "a", "s", WEB_PAGE + "\nLorem ipsum dolor sit amet, consectetur adipiscing elit."), r)).isNull();
        assertThat(web.apply(new CurDoc(1, "b", "s", WEB_PAGE + "\nfunction f() { return 1; }"), r)).isNull();
        assertThat(web.apply(new CurDoc(2, "c", "s", "One sentence only is here today.\nAnd a second one for good measure."), r)).isNull();
        assertThat(web.apply(new CurDoc(3, "d", "s", "Home | Contact\nMenu"), r)).isNull();
        assertThat(web.apply(new CurDoc(4, "e", "s", "x".repeat(1200) + " is a very long token. " + WEB_PAGE), r)).isNull();
        assertThat(r.counts()).containsEntry("c4_lorem_ipsum", 1L).containsEntry("c4_curly_brace", 1L)
                .containsEntry("c4_too_few_sentences", 1L).containsEntry("c4_empty", 1L).containsEntry("c4_long_word", 1L);
    }

    @Test
    void technicalRulesKeepTablesHeadingsAndBraces() {
        String manual = """
                # Fault codes
                | Code | Meaning |
                |---|---|
                | E-281 | Seal leak |
                Set the parameter {P-12} to 40
                This site uses cookies to improve your experience.
                - Tighten to 30 N·m
                """;
        C4Filter tech = new C4Filter(C4Filter.Config.technical());
        StageReport r = report();
        CurDoc out = tech.apply(new CurDoc(0, "m.md", "manuals", manual), r);
        assertThat(out.text()).contains("# Fault codes", "| E-281 | Seal leak |", "{P-12}", "- Tighten to 30 N·m").doesNotContain("cookies");
        CurDoc code = new CurDoc(1, "Main.java", "code", "class A { String s = \"privacy policy\"; }");
        assertThat(new C4Filter(C4Filter.Config.code()).apply(code, r)).isSameAs(code);
        CurDoc clean = new CurDoc(2, "n.md", "manuals", "# Pump\n| a | b |\nNo trigger words here");
        assertThat(tech.apply(clean, r)).isSameAs(clean);
    }

    @Test
    void sentenceCount() {
        assertThat(C4Filter.sentences("One. Two! Three? Four")).isEqualTo(4);
        assertThat(C4Filter.sentences("Torque 4.5 N·m on bolt 3.1. Done.")).isEqualTo(2);
        assertThat(C4Filter.sentences("...")).isZero();
    }
}
