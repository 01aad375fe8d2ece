package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageIdTest {
    /** Five sentences per Latin-script language, written for this test (a maintenance theme, 8–20 words each). */
    static final Map<String, List<String>> LATIN = new LinkedHashMap<>();
    /** Two sentences per other script. */
    static final Map<String, List<String>> OTHER = new LinkedHashMap<>();

    static {
        LATIN.put("en", List.of("The pump must be checked every week, and the seal should be replaced when it leaks.",
                "This manual describes how to install the unit and what to do when an alarm is shown.",
                "If the motor does not start, check that the power supply is on and the fuse is intact.",
                "We have found that most of the failures were caused by water in the connector.",
                "The technician said that he would come back on Monday with the new parts."));
        LATIN.put("de", List.of("Die Pumpe muss jede Woche geprüft werden, und die Dichtung wird bei Undichtigkeit ersetzt.",
                "Dieses Handbuch beschreibt, wie das Gerät installiert wird und was bei einem Alarm zu tun ist.",
                "Wenn der Motor nicht startet, prüfen Sie, ob die Stromversorgung eingeschaltet ist.",
                "Wir haben festgestellt, dass die meisten Ausfälle durch Wasser im Stecker verursacht wurden.",
                "Der Techniker sagte, dass er am Montag mit den neuen Teilen zurückkommen wird."));
        LATIN.put("fr", List.of("La pompe doit être vérifiée chaque semaine et le joint doit être remplacé en cas de fuite.",
                "Ce manuel décrit comment installer l'appareil et ce qu'il faut faire lorsqu'une alarme est affichée.",
                "Si le moteur ne démarre pas, vérifiez que l'alimentation est sous tension et que le fusible est intact.",
                "Nous avons constaté que la plupart des pannes étaient causées par de l'eau dans le connecteur.",
                "Le technicien a dit qu'il reviendrait lundi avec les nouvelles pièces."));
        LATIN.put("es", List.of("La bomba debe revisarse cada semana y la junta se cambia cuando hay una fuga.",
                "Este manual describe cómo instalar el equipo y qué hacer cuando aparece una alarma.",
                "Si el motor no arranca, compruebe que la alimentación está encendida y que el fusible no está dañado.",
                "Hemos visto que la mayoría de las averías se deben al agua en el conector.",
                "El técnico dijo que volvería el lunes con las piezas nuevas."));
        LATIN.put("it", List.of("La pompa deve essere controllata ogni settimana e la guarnizione va sostituita in caso di perdita.",
                "Questo manuale descrive come installare l'apparecchio e cosa fare quando compare un allarme.",
                "Se il motore non parte, verificare che l'alimentazione sia accesa e che il fusibile sia integro.",
                "Abbiamo visto che la maggior parte dei guasti è causata dall'acqua nel connettore.",
                "Il tecnico ha detto che tornerà lunedì con i pezzi nuovi."));
        LATIN.put("pt", List.of("A bomba deve ser verificada todas as semanas e a vedação deve ser trocada quando houver vazamento.",
                "Este manual descreve como instalar o equipamento e o que fazer quando um alarme aparece.",
                "Se o motor não arrancar, verifique se a alimentação está ligada e se o fusível está intacto.",
                "Verificamos que a maioria das avarias foi causada por água no conector.",
                "O técnico disse que voltaria na segunda-feira com as peças novas."));
        LATIN.put("nl", List.of("De pomp moet elke week worden gecontroleerd en de afdichting wordt vervangen als er een lek is.",
                "Deze handleiding beschrijft hoe het apparaat wordt geïnstalleerd en wat je moet doen bij een alarm.",
                "Als de motor niet start, controleer dan of de voeding is ingeschakeld en de zekering heel is.",
                "Wij hebben vastgesteld dat de meeste storingen door water in de connector werden veroorzaakt.",
                "De monteur zei dat hij maandag met de nieuwe onderdelen terug zou komen."));
        LATIN.put("sv", List.of("Pumpen måste kontrolleras varje vecka och tätningen ska bytas om den läcker.",
                "Den här handboken beskriver hur enheten installeras och vad man ska göra när ett larm visas.",
                "Om motorn inte startar, kontrollera att strömmen är påslagen och att säkringen är hel.",
                "Vi har sett att de flesta felen orsakades av vatten i kontakten.",
                "Teknikern sa att han skulle komma tillbaka på måndag med de nya delarna."));
        LATIN.put("da", List.of("Pumpen skal kontrolleres hver uge, og pakningen skal udskiftes, hvis den er utæt.",
                "Denne vejledning beskriver, hvordan enheden installeres, og hvad man skal gøre ved en alarm.",
                "Hvis motoren ikke starter, skal du kontrollere, at strømmen er tændt, og at sikringen er hel.",
                "Vi har set, at de fleste fejl var forårsaget af vand i stikket.",
                "Teknikeren sagde, at han ville komme tilbage på mandag med de nye dele."));
        LATIN.put("pl", List.of("Pompa musi być sprawdzana co tydzień, a uszczelka jest wymieniana, gdy przecieka.",
                "Ta instrukcja opisuje, jak zainstalować urządzenie i co zrobić, gdy pojawi się alarm.",
                "Jeśli silnik nie uruchamia się, sprawdź, czy zasilanie jest włączone i czy bezpiecznik jest cały.",
                "Stwierdziliśmy, że większość awarii była spowodowana przez wodę w złączu.",
                "Technik powiedział, że wróci w poniedziałek z nowymi częściami."));
        LATIN.put("cs", List.of("Čerpadlo se musí kontrolovat každý týden a těsnění se vymění, když netěsní.",
                "Tato příručka popisuje, jak zařízení nainstalovat a co dělat, když se objeví alarm.",
                "Pokud motor nenastartuje, zkontrolujte, zda je napájení zapnuté a zda je pojistka v pořádku.",
                "Zjistili jsme, že většina poruch byla způsobena vodou v konektoru.",
                "Technik řekl, že se v pondělí vrátí s novými díly."));
        LATIN.put("tr", List.of("Pompa her hafta kontrol edilmeli ve sızıntı olduğunda conta değiştirilmelidir.",
                "Bu kılavuz cihazın nasıl kurulacağını ve bir alarm görüldüğünde ne yapılacağını anlatır.",
                "Motor çalışmazsa, güç kaynağının açık olduğunu ve sigortanın sağlam olduğunu kontrol edin.",
                "Arızaların çoğunun konektördeki su nedeniyle olduğunu gördük.",
                "Teknisyen pazartesi günü yeni parçalarla geri geleceğini söyledi."));
        LATIN.put("ro", List.of("Pompa trebuie verificată în fiecare săptămână, iar garnitura se înlocuiește când curge.",
                "Acest manual descrie cum se instalează aparatul și ce trebuie făcut când apare o alarmă.",
                "Dacă motorul nu pornește, verificați dacă alimentarea este pornită și dacă siguranța este intactă.",
                "Am constatat că majoritatea defecțiunilor au fost cauzate de apa din conector.",
                "Tehnicianul a spus că se va întoarce luni cu piesele noi."));
        LATIN.put("fi", List.of("Pumppu on tarkastettava joka viikko, ja tiiviste vaihdetaan, jos se vuotaa.",
                "Tämä käsikirja kertoo, miten laite asennetaan ja mitä tehdä, kun hälytys näkyy.",
                "Jos moottori ei käynnisty, tarkista että virta on kytketty ja että sulake on ehjä.",
                "Olemme todenneet, että useimmat viat johtuivat liittimessä olleesta vedestä.",
                "Asentaja sanoi, että hän tulee takaisin maanantaina uusien osien kanssa."));

        OTHER.put("ru", List.of("Насос необходимо проверять каждую неделю, а уплотнение следует заменить при утечке.",
                "Если двигатель не запускается, проверьте, включено ли питание и цел ли предохранитель."));
        OTHER.put("uk", List.of("Насос потрібно перевіряти щотижня, а ущільнення слід замінити, якщо воно протікає.",
                "Якщо двигун не запускається, перевірте, чи увімкнено живлення."));
        OTHER.put("bg", List.of("Помпата трябва да се проверява всяка седмица, а уплътнението се сменя при теч.",
                "Ако двигателят не тръгва, проверете дали захранването е включено."));
        OTHER.put("sr", List.of("Пумпа мора да се провјерава сваке недеље, а заптивка се мијења када цури.",
                "Ако мотор не ради, провјерите да ли је напајање укључено."));
        OTHER.put("el", List.of("Η αντλία πρέπει να ελέγχεται κάθε εβδομάδα και η τσιμούχα αλλάζει όταν στάζει.",
                "Αν ο κινητήρας δεν ξεκινά, ελέγξτε ότι η τροφοδοσία είναι ενεργή."));
        OTHER.put("zh", List.of("泵必须每周检查一次，如果密封件漏水，应立即更换并记录在维修日志中。",
                "如果电机无法启动，请检查电源是否打开以及保险丝是否完好无损。"));
        OTHER.put("ja", List.of("ポンプは毎週点検し、漏れがある場合はシールを交換してください。",
                "モーターが始動しない場合は、電源が入っているか確認してください。"));
        OTHER.put("ko", List.of("펌프는 매주 점검해야 하며 누수가 있으면 씰을 교체해야 합니다.",
                "모터가 시작되지 않으면 전원이 켜져 있는지 확인하십시오."));
        OTHER.put("ar", List.of("يجب فحص المضخة كل أسبوع واستبدال الحشوة عند حدوث تسرب.",
                "إذا لم يبدأ المحرك، تحقق من أن مصدر الطاقة يعمل بشكل صحيح."));
        OTHER.put("fa", List.of("پمپ باید هر هفته بررسی شود و در صورت نشتی، آب‌بند تعویض گردد.",
                "اگر موتور روشن نشد، بررسی کنید که برق وصل باشد."));
        OTHER.put("he", List.of("יש לבדוק את המשאבה בכל שבוע ולהחליף את האטם כאשר יש דליפה.",
                "אם המנוע אינו מתניע, בדוק שהחשמל מחובר ושהנתיך תקין."));
        OTHER.put("hi", List.of("पंप की हर सप्ताह जाँच की जानी चाहिए और रिसाव होने पर सील बदलनी चाहिए।",
                "यदि मोटर चालू नहीं होती है, तो जाँचें कि बिजली चालू है और फ्यूज ठीक है।"));
        OTHER.put("th", List.of("ต้องตรวจสอบปั๊มทุกสัปดาห์และเปลี่ยนซีลเมื่อมีการรั่วซึม",
                "หากมอเตอร์ไม่ทำงาน ให้ตรวจสอบว่าเปิดไฟแล้วและฟิวส์ยังดีอยู่"));
    }

    @Test
    void everyLatinLanguageIsRecognisedFromAParagraph() {
        LATIN.forEach((lang, sentences) -> {
            LanguageId.Result r = LanguageId.detect(String.join(" ", sentences));
            assertThat(r.language()).as(lang).isEqualTo(lang);
            assertThat(r.script()).isEqualTo("LATIN");
            assertThat(r.confidence()).as(lang).isGreaterThan(0.5);
        });
    }

    /**
     * Single sentences: at least 3 of 5 right per language and 60 of 70 overall (measured: 65, the misses are Turkish,
     * Danish, Romanian and Finnish sentences with few function words); a miss may be "und" but never another language.
     */
    @Test
    void singleSentencesAreRightOrUndetermined() {
        int right = 0, und = 0, total = 0;
        StringBuilder misses = new StringBuilder();
        for (var e : LATIN.entrySet()) {
            int ok = 0;
            for (String s : e.getValue()) {
                String got = LanguageId.detect(s).language();
                total++;
                if (got.equals(e.getKey())) {
                    ok++;
                    right++;
                } else {
                    misses.append(e.getKey()).append("->").append(got).append(": ").append(s).append('\n');
                    if (got.equals(LanguageId.UNDETERMINED)) und++;
                }
            }
            assertThat(ok).as("%s correct of 5; misses:%n%s", e.getKey(), misses).isGreaterThanOrEqualTo(3);
        }
        assertThat(und).as("misses other than und:%n%s", misses).isEqualTo(total - right);
        assertThat(right).as("misses:%n%s", misses).isGreaterThanOrEqualTo(60);
    }

    @Test
    void otherScripts() {
        OTHER.forEach((lang, sentences) -> {
            for (String s : sentences) assertThat(LanguageId.detect(s).language()).as("%s: %s", lang, s).isEqualTo(lang);
        });
    }

    @Test
    void tooShortOrNoLettersIsUndetermined() {
        for (String s : List.of("", "Hello", "12345 67890 -- 3.14", "E-281 | 30 N·m | 4.1", "ok ok ok")) {
            assertThat(LanguageId.detect(s).language()).as(s).isEqualTo(LanguageId.UNDETERMINED);
        }
    }

    @Test
    void stopWordCountsPerLanguage() {
        String de = LATIN.get("de").getFirst();
        assertThat(LanguageId.stopWordCount("de", de, 0, de.length())).isGreaterThanOrEqualTo(3);
        assertThat(LanguageId.stopWordCount("xx", de, 0, de.length())).isEqualTo(-1);
    }

    @Test
    void filterKeepsConfiguredLanguages() {
        LanguageIdFilter f = new LanguageIdFilter(new LanguageIdFilter.Config(Set.of("en"), true, 0.5));
        StageReport r = new StageReport("language", 2);
        CurDoc en = new CurDoc(0, "a", "s", String.join(" ", LATIN.get("en")));
        CurDoc de = new CurDoc(1, "b", "s", String.join(" ", LATIN.get("de")));
        CurDoc table = new CurDoc(2, "c", "s", "E-281 | 30 N·m | 4.1\nE-282 | 10 bar | 4.2");
        assertThat(f.apply(en, r)).isSameAs(en);
        assertThat(f.apply(de, r)).isNull();
        assertThat(f.apply(table, r)).isSameAs(table);
        assertThat(r.counts()).containsEntry("kept:en", 1L).containsEntry("lang:de", 1L).containsEntry("kept:und", 1L);
        LanguageIdFilter strict = new LanguageIdFilter(new LanguageIdFilter.Config(Set.of("en"), false, 0.5));
        assertThat(strict.apply(table, r)).isNull();
        CurDoc code = new CurDoc(3, "src/a.py", "src", "for i in range(10):\n    a = v * s + z\n    print(a, o, je, se)\n");
        assertThat(strict.apply(code, r)).isSameAs(code);
        assertThat(r.counts()).containsEntry("kept:code", 1L);
        LanguageIdFilter noCode = new LanguageIdFilter(new LanguageIdFilter.Config(Set.of("en"), false, 0.5, false));
        assertThat(noCode.apply(code, r)).isNull();
    }
}
