package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.data.curate.internal.pipeline.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {
    static CurateReport report(String evil) {
        StageReport r = new StageReport("gopher", 3);
        CurDoc d = new CurDoc(4, "a<b>.txt", "s", evil);
        r.run(new DocStage() {
            public String name() { return "gopher"; }

            public CurDoc apply(CurDoc doc, StageReport rep) {
                rep.drop("too<few>", doc);
                return null;
            }
        }, d);
        return new CurateReport(List.of("in<put>"), "out", new CurateReport.Totals(1, 10), new CurateReport.Totals(0, 0), 1.0,
                10, 2, Map.of("binary", 1L), List.of(CurateReport.stage(r, false)),
                List.of(new CurateReport.Bucket(64, 128, 1)), List.of(), Map.of("email", 2L), Map.of("en", 1L),
                List.of(new CurateReport.Cluster("k&1", 3, List.of("d<2>", "d3"), evil)), Map.of(), Map.of("near_dedup", 100L),
                Map.of("x", "<y>"), List.of("warn <b>"));
    }

    @Test
    void everyPieceOfTextIsEscapedAndThePageIsSelfContained() {
        String evil = "<script>alert('x')</script> & \"quotes\" \u0007 <img src=x onerror=alert(1)>";
        String html = ReportHtml.render(report(evil));
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>").doesNotContain("\u0007")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
                .contains("too&lt;few&gt;").contains("a&lt;b&gt;.txt").contains("d&lt;2&gt;").contains("k&amp;1")
                .contains("warn &lt;b&gt;").contains("in&lt;put&gt;");
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n").contains("<svg").contains("<details>")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("href=").doesNotContain("<link");
        // balanced elements (a cheap well-formedness check)
        for (String tag : new String[] {"svg", "table", "details", "pre", "h2", "p"}) {
            int open = html.split("<" + tag + "[ >]", -1).length - 1, close = html.split("</" + tag + ">", -1).length - 1;
            assertThat(open).as(tag).isEqualTo(close);
        }
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : new String[] {"", "abc", "Überdruck", "压力", "😀x", "a\uD800b", "\uDC00", "é\u0301"}) {
            String w = Utf8.wellFormed(s);
            assertThat(Utf8.length(s)).as(s).isEqualTo(w.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(Utf8.wellFormed("a\uD800b")).isEqualTo("a\uFFFDb");
        String ok = "fine 😀";
        assertThat(Utf8.wellFormed(ok)).isSameAs(ok);
    }
}
