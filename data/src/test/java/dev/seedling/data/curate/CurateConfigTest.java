package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurateConfigTest {
    @Test
    void defaultsRoundTripThroughJson() {
        CurateConfig d = CurateConfig.defaults().withInputs(List.of("a", "b"), "out");
        assertThat(CurateConfig.fromJson(d.toJson(), "x")).isEqualTo(d);
        assertThat(d.toJson()).contains("\"near_dedup\"").contains("\"repeated_line_min_docs\"").contains("\"keep_top\" : null");
    }

    @Test
    void aFileOnlyListsWhatItChanges() {
        CurateConfig c = CurateConfig.fromJson("{\"near_dedup\": {\"threshold\": 0.9}, \"language\": {\"languages\": [\"en\", \"de\"]},"
                + " \"domain\": {\"seed_docs\": \"seeds\", \"keep_top\": 0.3}}", "c.json");
        assertThat(c.nearDedup().threshold()).isEqualTo(0.9);
        assertThat(c.nearDedup().bands()).isEqualTo(CurateConfig.defaults().nearDedup().bands());
        assertThat(c.language().languages()).containsExactly("en", "de");
        assertThat(c.language().enabled()).isTrue();
        assertThat(c.domain().enabled()).isTrue();
        assertThat(c.domain().keepTop()).isEqualTo(0.3);
        assertThat(c.domain().method()).isEqualTo("bm25");
        assertThat(c.pii()).isEqualTo(CurateConfig.defaults().pii());
    }

    @Test
    void mistakesAreOneLineAndNameTheKey() {
        assertThatThrownBy(() -> CurateConfig.fromJson("{\"near_dedup\": {\"treshold\": 0.9}}", "c.json"))
                .isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith("c.json: unknown key 'near_dedup.treshold'")
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> CurateConfig.fromJson("{\"dedup\": true}", "c.json"))
                .hasMessageContaining("unknown key 'dedup'").hasMessageContaining("near_dedup");
        assertThatThrownBy(() -> CurateConfig.fromJson("{\"near_dedup\": {\"threshold\": 1.5}}", "c.json"))
                .hasMessageContaining("near_dedup.threshold = 1.5").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> CurateConfig.fromJson("{\"near_dedup\": {\"threshold\": \"high\"}}", "c.json"))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("c.json");
        assertThatThrownBy(() -> CurateConfig.fromJson("{\"pii\": {\"types\": [\"email\", \"ssn\"]}}", "c.json"))
                .hasMessageContaining("pii.types = ssn");
        assertThatThrownBy(() -> CurateConfig.fromJson("{\"domain\": {\"keep_top\": 0.5, \"min_score\": 0.2}}", "c.json"))
                .hasMessageContaining("domain.min_score");
        assertThatThrownBy(() -> CurateConfig.fromJson("{nope", "c.json")).hasMessageStartingWith("c.json is not valid JSON");
        assertThatThrownBy(() -> CurateConfig.fromJson("[1]", "c.json")).hasMessageContaining("one JSON object");
        for (String bad : new String[] {"{\"near_dedup\": {\"treshold\": 0.9}}", "{\"near_dedup\": {\"threshold\": \"high\"}}", "{nope"}) {
            assertThatThrownBy(() -> CurateConfig.fromJson(bad, "c.json")).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
