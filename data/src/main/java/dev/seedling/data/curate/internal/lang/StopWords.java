package dev.seedling.data.curate.internal.lang;

import java.util.List;
import java.util.Map;

/**
 * Function-word lists of the Latin-script languages {@link dev.seedling.data.curate.LanguageId} tells apart, plus
 * the letters that hint at each. Written for this project from general knowledge of each language's most frequent
 * words (articles, pronouns, prepositions, conjunctions, auxiliaries); about 40–60 words each. Words shared by
 * several languages (e.g. "de", "en", "a") count for each of them with a split weight.
 */
public final class StopWords {
    private StopWords() {}

    /** Language codes in table order. */
    public static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "pl",
            "cs", "tr", "ro", "fi");

    public static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("en", "the of and to in is that it was for on are with as be this by at from or have an not but"
                    + " which they you he his we has were their been had will would can there all so if more one its"
                    + " who also what about when into than them only some other these should must may"),
            Map.entry("de", "der die das und ist nicht ein eine einer eines einem den dem des zu mit sich auf für von"
                    + " im auch es an als dass wie bei werden wird oder aus nach sind noch kann nur war hat haben wenn"
                    + " über so zum zur durch diese dieser sie ich wir sein muss vom ob unter"),
            Map.entry("fr", "le la les de des du et est un une dans en que qui pour pas sur au aux avec ce cette il"
                    + " elle ne se sont par plus ou mais comme nous vous leur été être fait sa son ses ont très aussi"
                    + " doit peut lors entre sans sous"),
            Map.entry("es", "el la los las de del y en que es un una por con para no se su sus al lo como más pero"
                    + " este esta son ha fue ser está muy también entre sin sobre hay cuando todo debe puede desde"
                    + " hasta"),
            Map.entry("it", "il lo la gli le di del della dei delle e è un una per con non che in si da al alla sono"
                    + " come più ma anche questo questa essere ha nel nella sul degli o ci deve può dopo tra"),
            Map.entry("pt", "o a os as de do da dos das e é um uma em no na nos nas que para com não por se mais como"
                    + " ao foi ser são está também muito pelo pela seu sua entre mas deve pode após ou isso esse essa você"
                    + " então onde estão há quando"),
            Map.entry("nl", "de het een en van in is dat op te zijn met voor niet aan er ook als die bij door maar om"
                    + " dan wordt werd heeft naar nog uit kan hij zij wij ze deze dit geen moet na onder"),
            Map.entry("sv", "och i att det som en på är av för med till den inte har de ett om men var jag kan så vid"
                    + " från eller också efter när sig hade ska detta mycket vi måste under"),
            Map.entry("da", "og i at det som en på er af for med til den ikke har de et om men var jeg kan så ved fra"
                    + " eller også efter når sig havde skal dette meget vi skal være blev under"),
            Map.entry("pl", "i w na z nie się do to że jest o jak ale po co tak za od przez dla czy jego już tylko być"
                    + " może są był była jej ich który która które oraz także bardzo ten ta należy"),
            Map.entry("cs", "a v na se je že to s z do o jako ale by pro není jsou být jeho které který která také po"
                    + " když už tak jen mezi nebo při bylo byl této tento tato musí"),
            Map.entry("tr", "ve bir bu da de için ile olarak çok daha gibi ne var olan en ama kadar sonra her değil mi"
                    + " o ben sen biz onlar şey ancak ise veya hem göre bunu olan olduğu"),
            Map.entry("ro", "și în de la cu nu este un o a care pe din se să mai ca sunt au fost pentru acest această"
                    + " sau dar după lui ei prin fi despre foarte trebuie"),
            Map.entry("fi", "ja on ei se että oli ovat mutta kun myös tai hän kuin niin jos mitä tämä joka ole olla"
                    + " sen siitä vain jo nyt kanssa minä sinä me he tämän kaikki pitää"));

    /** Letters that point to languages; each occurrence adds a small weight split among the languages listed. */
    public static final Map<Character, String> LETTER_HINTS = Map.ofEntries(
            Map.entry('ß', "de"), Map.entry('ä', "de sv fi"), Map.entry('ö', "de sv fi tr"), Map.entry('ü', "de tr"),
            Map.entry('é', "fr es pt it cs"), Map.entry('è', "fr it"), Map.entry('ê', "fr pt"), Map.entry('à', "fr it pt"),
            Map.entry('ç', "fr pt tr"), Map.entry('ù', "fr it"), Map.entry('œ', "fr"), Map.entry('û', "fr"),
            Map.entry('î', "fr ro"), Map.entry('ï', "fr nl"), Map.entry('ë', "fr nl"), Map.entry('ñ', "es"),
            Map.entry('¿', "es"), Map.entry('¡', "es"), Map.entry('á', "es pt cs"), Map.entry('í', "es pt cs"),
            Map.entry('ó', "es pt pl"), Map.entry('ú', "es pt cs"), Map.entry('ì', "it"), Map.entry('ò', "it"),
            Map.entry('ã', "pt"), Map.entry('õ', "pt"), Map.entry('ô', "pt"), Map.entry('â', "pt ro"),
            Map.entry('å', "sv da"), Map.entry('æ', "da"), Map.entry('ø', "da"), Map.entry('ą', "pl"),
            Map.entry('ę', "pl"), Map.entry('ł', "pl"), Map.entry('ś', "pl"), Map.entry('ć', "pl"), Map.entry('ń', "pl"),
            Map.entry('ź', "pl"), Map.entry('ż', "pl"), Map.entry('ř', "cs"), Map.entry('ě', "cs"), Map.entry('ů', "cs"),
            Map.entry('č', "cs"), Map.entry('š', "cs"), Map.entry('ž', "cs"), Map.entry('ý', "cs"), Map.entry('ť', "cs"),
            Map.entry('ď', "cs"), Map.entry('ň', "cs"), Map.entry('ş', "tr ro"), Map.entry('ğ', "tr"), Map.entry('ı', "tr"),
            Map.entry('ă', "ro"), Map.entry('ș', "ro"), Map.entry('ț', "ro"), Map.entry('ţ', "ro"));
}
