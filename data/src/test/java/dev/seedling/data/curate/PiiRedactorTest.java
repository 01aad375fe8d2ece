package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class PiiRedactorTest {
    static final PiiRedactor ALL = new PiiRedactor(PiiConfig.DEFAULT);

    static void found(PiiType type, String value) {
        for (String text : new String[] {value, "Contact: " + value + ".", "(" + value + ")\nnext line"}) {
            List<PiiRedactor.Match> m = ALL.find(text);
            assertThat(m).as("in «%s»", text).hasSize(1);
            assertThat(m.getFirst().type()).as(text).isEqualTo(type);
            assertThat(text.substring(m.getFirst().start(), m.getFirst().end())).as(text).isEqualTo(value);
        }
    }

    static void untouched(String text) {
        assertThat(ALL.find(text)).as("«%s»", text).isEmpty();
        assertThat(ALL.redact(text)).isEqualTo(text);
    }

    @Test
    void findsEmails() {
        found(PiiType.EMAIL, "john.doe@example.com");
        found(PiiType.EMAIL, "a_b+tag@mail.co.uk");
        found(PiiType.EMAIL, "Helen.Strand99@eastmere-plant.org");
    }

    @Test
    void findsPhones() {
        found(PiiType.PHONE, "+49 30 1234567");
        found(PiiType.PHONE, "+1 (555) 123-4567");
        found(PiiType.PHONE, "+44 (0)20 7946 0958");
        found(PiiType.PHONE, "+33-1-23-45-67-89");
        found(PiiType.PHONE, "(555) 123-4567");
        found(PiiType.PHONE, "555-123-4567");
        found(PiiType.PHONE, "555.123.4567");
        found(PiiType.PHONE, "030 1234567");
        found(PiiType.PHONE, "020 7946 0958");
        assertThat(ALL.redact("Tel. 555 1234, ask for Dev")).isEqualTo("Tel. <PHONE>, ask for Dev");
        assertThat(ALL.redact("call 0171 2345678 now")).isEqualTo("call <PHONE> now");
    }

    @Test
    void findsIpAddresses() {
        found(PiiType.IP_ADDRESS, "192.168.1.20");
        found(PiiType.IP_ADDRESS, "8.8.8.8");
        found(PiiType.IP_ADDRESS, "2001:db8::ff00:42:8329");
        found(PiiType.IP_ADDRESS, "2001:0db8:85a3:0000:0000:8a2e:0370:7334");
        found(PiiType.IP_ADDRESS, "fe80::1ff:fe23:4567:890a");
        found(PiiType.IP_ADDRESS, "::ffff:192.0.2.128");
        assertThat(ALL.redact("host 10.0.0.1:8080 is up")).isEqualTo("host <IP_ADDRESS>:8080 is up");
        assertThat(ALL.redact("net 10.1.0.0/16")).isEqualTo("net <IP_ADDRESS>/16");
    }

    @Test
    void findsLuhnValidCardsWithKnownPrefixes() {
        found(PiiType.CREDIT_CARD, "4111111111111111");
        found(PiiType.CREDIT_CARD, "4111 1111 1111 1111");
        found(PiiType.CREDIT_CARD, "5555-5555-5555-4444");
        found(PiiType.CREDIT_CARD, "378282246310005");
        found(PiiType.CREDIT_CARD, "6011111111111117");
        found(PiiType.CREDIT_CARD, "3530111333300000");
        found(PiiType.CREDIT_CARD, "2223003122003222");
        assertThat(ALL.redact("card 4111 1111 1111 1111 2024 expiry")).isEqualTo("card <CREDIT_CARD> 2024 expiry");
    }

    @Test
    void findsIbansWithValidChecksums() {
        found(PiiType.IBAN, "GB82 WEST 1234 5698 7654 32");
        found(PiiType.IBAN, "DE89370400440532013000");
        found(PiiType.IBAN, "DE89 3704 0044 0532 0130 00");
        found(PiiType.IBAN, "FR1420041010050500013M02606");
        found(PiiType.IBAN, "NL91ABNA0417164300");
    }

    @Test
    void findsSecrets() {
        found(PiiType.SECRET, "AKIAIOSFODNN7EXAMPLE");
        found(PiiType.SECRET, "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5");
        found(PiiType.SECRET, "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
        found(PiiType.SECRET, "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx");
        found(PiiType.SECRET, "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY");
        found(PiiType.SECRET, "sk-proj-Ab3De5Gh7Jk9Mn1Pq3St5Vw7");
        found(PiiType.SECRET, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U");
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234abcd\nQWERTY+/zz==\n-----END RSA PRIVATE KEY-----";
        assertThat(ALL.redact("key:\n" + pem + "\nafter")).isEqualTo("key:\n<SECRET>\nafter");
        assertThat(ALL.redact("password=hunter2!")).isEqualTo("password=<SECRET>");
        assertThat(ALL.redact("DB_PASSWORD: \"s3cr3t-pass\"")).isEqualTo("DB_PASSWORD: \"<SECRET>\"");
        assertThat(ALL.redact("{\"api_key\": \"abcd1234efgh\", \"user\": \"x\"}")).isEqualTo("{\"api_key\": \"<SECRET>\", \"user\": \"x\"}");
        assertThat(ALL.redact("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .isEqualTo("export AWS_SECRET_ACCESS_KEY=<SECRET>");
        assertThat(ALL.redact("Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0Zz"))
                .isEqualTo("Authorization: Bearer <SECRET>");
    }

    @Test
    void leavesLookAlikesAlone() {
        untouched("Update to version 1.2.3.4 or v10.0.0.1, firmware 2.4.1.10, see section 4.1.2.3.");
        untouched("Fault E-4411 and E-306 on asset C-645; part 4711-0815; lot 0301-2345-6789.");
        untouched("Dates: 2021-01-15, 14.11.2021, 01/02/2023, 14 Nov 2021 at 14:31 and 12:30:45.");
        untouched("ISBN 978-3-16-148410-0 and ISBN 0-306-40615-2; serial 0301234567; SN 0171 2345678.");
        untouched("Luhn fails: 4111111111111112 and 4111 1111 1111 1112; too long: 41111111111111111111.");
        untouched("Bad IBAN checksum DE89370400440532013001 and GB82 WEST 1234 5698 7654 33.");
        untouched("Invalid octets 192.168.1.300 and 1.2.3 and 1.2.3.4.5; MAC 00:1A:2B:3C:4D:5E; C++ std::vector, a::b.");
        untouched("Hours run: 8,095. Torque 30 N·m, pressure 0.6 bar, price $1,299.99, coordinates 52.5200, 13.4050.");
        untouched("The password: change it often. token = None. password=${DB_PASS} secret: \"****\".");
        untouched("An email address looks like name at example dot com; user@localhost has no domain.");
        untouched("A PEM key starts with a line like -----BEGIN RSA PRIVATE KEY----- and ends with -----END RSA PRIVATE KEY-----.");
        untouched("boolean secret = enabled[SECRET]; token = argmax(work, 0, n); padToken = idOf(config.path(x));");
        untouched("headers = {\"Authorization\": f\"Bearer {API_TOKEN}\"} API_URL = \"https://router.example.co/models/openai/whisper-large-v3\"");
        untouched("A long number 12345678901234567890123 and a short one 1234567.");
    }

    @Test
    void optOutPerTypeAndAuditCounts() {
        String text = "Mail john@example.com or call +49 30 1234567 from 192.168.0.1; mail jane@example.org too.";
        PiiRedactor noPhone = new PiiRedactor(PiiConfig.DEFAULT.without(PiiType.PHONE));
        StageReport report = new StageReport("pii", 3);
        CurDoc out = report.run(noPhone, new CurDoc(7, "doc", "src", text));
        assertThat(out.text()).isEqualTo("Mail <EMAIL> or call +49 30 1234567 from <IP_ADDRESS>; mail <EMAIL> too.");
        assertThat(report.counts()).isEqualTo(Map.of("email", 2L, "ip_address", 1L));
        assertThat(report.docsChanged()).isEqualTo(1);
        assertThat(report.examples().get("email").getFirst().excerpt()).contains("<EMAIL>").doesNotContain("john@");
        CurDoc clean = new CurDoc(8, "clean", "src", "Nothing to see here.");
        assertThat(report.run(noPhone, clean)).isSameAs(clean);
        PiiRedactor none = new PiiRedactor(PiiConfig.ofKeys(List.of()));
        assertThat(none.redact(text)).isEqualTo(text);
        assertThat(PiiConfig.ofKeys(List.of("email", "IBAN")).types()).containsExactlyInAnyOrder(PiiType.EMAIL, PiiType.IBAN);
    }

    @Test
    void adversarialInputsTakeLinearTime() {
        String[] units = {"-----BEGIN ", "-----BEGIN RSA PRIVATE KEY-----\n", "+1 (", "1.", "1 ", "a@", "a@b.", "password=",
                "token ", "::", "1:", "ghp_", "eyJaaaaaaaaaaaa.", "4111 ", "GB82 ", "(555) ", "x"};
        for (String unit : units) {
            String text = unit.repeat(1_000_000 / unit.length());
            // a quadratic scan of 1 MB would take minutes; a linear one takes milliseconds
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> ALL.redact(text), unit);
        }
    }
}
