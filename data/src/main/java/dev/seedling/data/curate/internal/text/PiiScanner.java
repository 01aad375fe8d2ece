package dev.seedling.data.curate.internal.text;

import java.util.Arrays;

/**
 * One left-to-right pass over a text that finds e-mail addresses, phone numbers, IPv4/IPv6 addresses, payment card
 * numbers, IBANs and secrets, as non-overlapping spans {@code (start, end, type)}. Detectors only start at a token
 * start (a char whose predecessor is not a letter or digit) and each is anchored and bounded, so the scan is
 * linear in the text length; a failed token is skipped whole.
 *
 * <p>Rules (and the look-alikes they leave alone):
 * <ul>
 *   <li>IPv4: four dot-separated decimal octets 0–255 without leading zeros, not part of a longer dotted number;
 *       a dotted quad right after {@code v}/{@code V} or after one of the words version, ver, release, build,
 *       firmware, fw, rev, revision, software, bios, driver, kernel, patch, update, section, table, figure, fig,
 *       chapter, clause, step, item is a version or section number, not an address.</li>
 *   <li>IPv6: hex groups (1–4 digits) with colons, eight groups or fewer with one {@code ::}, optionally ending in
 *       an IPv4 address; at least two groups and at least one colon pair or eight groups (times like 14:31 and MAC
 *       addresses with six groups are not addresses).</li>
 *   <li>Payment cards: 13–19 digits, optionally grouped by single spaces or dashes, passing the Luhn check and
 *       starting with a known issuer prefix (Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover/UnionPay
 *       6, Diners 30/36/38/39, JCB 35).</li>
 *   <li>IBAN: a known country code, its exact length, upper-case, optionally in groups of four, valid mod-97.</li>
 *   <li>Phone: {@code +} and a country code with 8–15 digits in groups; national numbers in NANP form
 *       ({@code (555) 123-4567}, {@code 555-123-4567}) or trunk-prefixed groups ({@code 030 1234567},
 *       {@code 020 7946 0958}: first group 0…, groups ≥ 2 digits, last ≥ 3, 9–12 digits); after a phone word (tel,
 *       phone, call, fax, mobile, cell, contact) any grouping of 7–15 digits. National numbers right after
 *       ISBN, serial, s/n, part, p/n, order, invoice, ref, lot, batch, model, asset, ticket are not phones.
 *       Dates (2021-01-15, 14.11.2021, 01/02/2023), times and fault codes (E-4411) never match.</li>
 *   <li>E-mail: local part (≤ 64 chars of letters, digits, {@code ._%+-}) {@code @} domain with a dot and an
 *       alphabetic top-level label.</li>
 *   <li>Secrets: AWS key ids (AKIA/ASIA/… + 16), GitHub tokens (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), Slack
 *       (xoxb-/xoxp-/…), Google API keys (AIza + 35), {@code sk-} keys, JWTs (eyJ….eyJ….sig), PEM private key
 *       blocks; the value of an assignment whose key ends in password, passwd, pwd, passphrase, secret, token,
 *       apikey, secretkey, accesskey, privatekey, authkey, credential(s) (quoted values ≥ 4 chars; unquoted ≥ 6
 *       chars holding a digit, symbol or capital; placeholders like {@code ${VAR}}, {@code <...>}, null, none are
 *       left; values holding a call or index, {@code f(x)}, {@code a[k]}, are code); and any high-entropy token (≥ 20
 *       chars of letters, digits and {@code +/=_-}, ≥ 10 % digits, ≥ 3.5 bits/char) within 32 chars after
 *       such a keyword or after bearer/authorization.</li>
 * </ul>
 * Thread-safe (static, allocation only for the result).
 */
public final class PiiScanner {
    private PiiScanner() {}

    public static final int EMAIL = 0, PHONE = 1, IP = 2, CARD = 3, IBAN = 4, SECRET = 5;

    /** Spans found: {@code (start, end, type)} triples in increasing start order. */
    public static final class Spans {
        public int[] a = new int[24];
        public int n; // number of spans

        void add(int start, int end, int type) {
            if (3 * n + 3 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[3 * n] = start;
            a[3 * n + 1] = end;
            a[3 * n + 2] = type;
            n++;
        }

        public int start(int i) { return a[3 * i]; }
        public int end(int i) { return a[3 * i + 1]; }
        public int type(int i) { return a[3 * i + 2]; }
    }

    // ------------------------------------------------------------------------------------------------ char classes

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean asciiLetter(char c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    private static boolean asciiAlnum(char c) {
        return digit(c) || asciiLetter(c);
    }

    private static boolean wordChar(char c) {
        return c < 128 ? asciiAlnum(c) : Character.isLetterOrDigit(c);
    }

    private static boolean hex(char c) {
        return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    private static boolean tokenChar(char c) { // base64/url-safe token alphabet
        return asciiAlnum(c) || c == '_' || c == '-';
    }

    private static char at(String s, int i) {
        return i >= 0 && i < s.length() ? s.charAt(i) : '\0';
    }

    // ------------------------------------------------------------------------------------------------ the scan

    /** Scans {@code s}; {@code enabled[type]} switches detectors. */
    public static Spans scan(String s, boolean[] enabled) {
        Spans out = new Spans();
        int n = s.length();
        boolean email = enabled[EMAIL] && s.indexOf('@') >= 0;
        boolean secret = enabled[SECRET];
        int armedUntil = -1; // high-entropy tokens before this index are secrets
        int[] endMemo = {-1, -1}; // see nextEnd
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (i > 0 && wordChar(s.charAt(i - 1))) {
                i++;
                continue;
            }
            int end = -1, type = -1;
            if (c < 128 && asciiAlnum(c)) {
                if (secret) {
                    end = prefixedSecret(s, i);
                    if (end < 0 && i < armedUntil) end = highEntropy(s, i);
                    if (end >= 0) type = SECRET;
                }
                if (end < 0 && enabled[IP] && c != '0' && digit(c)) {
                    end = ipv4(s, i);
                    if (end >= 0) type = IP;
                }
                if (end < 0 && enabled[IP] && hex(c)) {
                    end = ipv6(s, i);
                    if (end >= 0) type = IP;
                }
                boolean longNumber = digit(c) && digitsAhead(s, i) >= 7;
                if (end < 0 && enabled[CARD] && longNumber) {
                    end = card(s, i);
                    if (end >= 0) type = CARD;
                }
                if (end < 0 && enabled[PHONE] && longNumber) {
                    end = nationalPhone(s, i);
                    if (end >= 0) type = PHONE;
                }
                if (end < 0 && enabled[IBAN] && upper(c)) {
                    end = iban(s, i);
                    if (end >= 0) type = IBAN;
                }
                if (end < 0 && email) {
                    end = email(s, i);
                    if (end >= 0) type = EMAIL;
                }
                if (end < 0 && secret && asciiLetter(c)) {
                    int idEnd = identifierEnd(s, i);
                    int kw = keyword(s, i, idEnd);
                    if (kw != NONE) {
                        armedUntil = idEnd + 32;
                        if (kw == ASSIGN) {
                            long v = assignedValue(s, idEnd);
                            if (v >= 0) {
                                out.add((int) (v >>> 32), (int) v, SECRET);
                                i = (int) v;
                                continue;
                            }
                        }
                    }
                }
            } else if (c == '+' && enabled[PHONE]) {
                end = internationalPhone(s, i);
                if (end >= 0) type = PHONE;
            } else if (c == '(' && enabled[PHONE]) {
                end = nationalPhone(s, i);
                if (end >= 0) type = PHONE;
            } else if (c == ':' && enabled[IP] && at(s, i + 1) == ':') {
                end = ipv6(s, i);
                if (end >= 0) type = IP;
            } else if (c == '-' && secret && s.startsWith("-----BEGIN ", i)) {
                end = pem(s, i, endMemo);
                if (end >= 0) type = SECRET;
            }
            if (end >= 0) {
                out.add(i, end, type);
                i = end;
                continue;
            }
            i++;
            if (wordChar(c)) while (i < n && wordChar(s.charAt(i))) i++; // the rest of a failed token is no token start
        }
        return out;
    }

    /** Digits in the run of digits and single separators (space - . / ( )) starting at {@code i}, counted up to 8. */
    private static int digitsAhead(String s, int i) {
        int nd = 0;
        for (int p = i; p < s.length() && nd < 8; p++) {
            char c = s.charAt(p);
            if (digit(c)) nd++;
            else if (!((c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') && p + 1 < s.length()
                    && (digit(s.charAt(p + 1)) || s.charAt(p + 1) == '(' || s.charAt(p + 1) == ' '))) break;
        }
        return nd;
    }

    // ------------------------------------------------------------------------------------------------ IPv4

    private static final String[] NOT_IP_WORDS = {"version", "ver", "v", "release", "build", "firmware", "fw", "rev",
            "revision", "software", "sw", "bios", "driver", "kernel", "patch", "update", "section", "sections",
            "table", "figure", "fig", "chapter", "clause", "step", "item", "paragraph", "para", "appendix"};

    /** End of an IPv4 address starting at {@code i}, or -1. */
    static int ipv4(String s, int i) {
        if (at(s, i - 1) == '.' || at(s, i - 1) == '-') return -1;
        int p = i;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (at(s, p) != '.') return -1;
                p++;
            }
            int start = p, v = 0;
            while (p < s.length() && digit(s.charAt(p)) && p - start < 4) v = v * 10 + (s.charAt(p++) - '0');
            int len = p - start;
            if (len == 0 || len > 3 || v > 255 || (len > 1 && s.charAt(start) == '0')) return -1;
        }
        char next = at(s, p);
        if (wordChar(next) || (next == '.' && digit(at(s, p + 1)))) return -1;
        if (precededBy(s, i, NOT_IP_WORDS)) return -1;
        return p;
    }

    // ------------------------------------------------------------------------------------------------ IPv6

    /** End of an IPv6 address starting at {@code i} (a hex digit or "::"), or -1. */
    static int ipv6(String s, int i) {
        // cheap reject: a colon must come within the first five chars
        int lim = Math.min(s.length(), i + 5);
        boolean colon = false;
        for (int q = i; q < lim; q++) {
            if (s.charAt(q) == ':') {
                colon = true;
                break;
            }
            if (!hex(s.charAt(q))) return -1;
        }
        if (!colon || at(s, i - 1) == ':') return -1;
        int p = i, groups = 0, end = -1;
        boolean doubleColon = false;
        if (s.startsWith("::", p)) {
            doubleColon = true;
            p += 2;
            end = p;
        }
        while (groups < 8) {
            int start = p;
            while (p < s.length() && hex(s.charAt(p)) && p - start < 5) p++;
            int len = p - start;
            if (len == 0) break;
            if (len > 4) {
                return -1;
            }
            if (at(s, p) == '.' && digit(at(s, p + 1))) { // embedded IPv4 as the last two groups
                int v4 = ipv4Tail(s, start);
                if (v4 < 0 || groups > 6) return -1;
                groups += 2;
                end = v4;
                p = v4;
                break;
            }
            if (len > 4) return -1;
            groups++;
            end = p;
            if (at(s, p) == ':') {
                if (at(s, p + 1) == ':') {
                    if (doubleColon) break;
                    doubleColon = true;
                    p += 2;
                    end = p;
                } else if (hex(at(s, p + 1))) {
                    p++;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        if (end < 0) return -1;
        if (wordChar(at(s, end)) || at(s, end) == ':') return -1;
        if (doubleColon ? groups < 2 || groups > 7 : groups != 8) return -1;
        boolean anyDigit = false;
        for (int q = i; q < end; q++) anyDigit |= digit(s.charAt(q));
        if (!anyDigit) return -1; // "dead::beef", "Add::Face": words, not addresses
        return end;
    }

    private static int ipv4Tail(String s, int i) {
        int p = i;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (at(s, p) != '.') return -1;
                p++;
            }
            int start = p, v = 0;
            while (p < s.length() && digit(s.charAt(p)) && p - start < 4) v = v * 10 + (s.charAt(p++) - '0');
            if (p == start || p - start > 3 || v > 255) return -1;
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------------ cards

    /** End of a payment card number starting at {@code i}, or -1. */
    static int card(String s, int i) {
        char before = at(s, i - 1);
        if (before == '.' || before == '-' || before == '+' || before == ',' || before == '/') return -1;
        int[] digits = new int[19];
        int[] ends = new int[19];
        int nd = 0, p = i;
        boolean separated = false;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (digit(c)) {
                if (nd == 19) {
                    if (separated) break; // a further group (a year, a count) after the card number
                    return -1; // a longer digit run: not a card
                }
                digits[nd] = c - '0';
                ends[nd++] = p + 1;
                p++;
            } else if ((c == ' ' || c == '-') && digit(at(s, p + 1)) && nd > 0 && digit(s.charAt(p - 1))) {
                separated = true;
                p++;
            } else {
                break;
            }
        }
        for (int len = Math.min(nd, 19); len >= 13; len--) {
            int end = ends[len - 1];
            if (len < nd && digit(at(s, end))) continue; // not at a group boundary
            if (wordChar(at(s, end)) || (at(s, end) == '.' && digit(at(s, end + 1)))) continue;
            if (!separated && len < nd) continue;
            if (issuer(digits, len) && luhn(digits, len)) return end;
        }
        return -1;
    }

    private static boolean issuer(int[] d, int len) {
        int two = d[0] * 10 + d[1], four = two * 100 + d[2] * 10 + d[3];
        return switch (d[0]) {
            case 4 -> len == 13 || len == 16 || len == 19;
            case 5 -> two >= 51 && two <= 55 && len == 16;
            case 2 -> four >= 2221 && four <= 2720 && len == 16;
            case 3 -> (two == 34 || two == 37) ? len == 15 : (two == 30 || two == 36 || two == 38 || two == 39 || two == 35) && len >= 14;
            case 6 -> len >= 16;
            default -> false;
        };
    }

    /** The Luhn check over {@code d[0, len)}. */
    public static boolean luhn(int[] d, int len) {
        int sum = 0;
        for (int k = 0; k < len; k++) {
            int v = d[len - 1 - k];
            if ((k & 1) == 1) {
                v *= 2;
                if (v > 9) v -= 9;
            }
            sum += v;
        }
        return sum % 10 == 0;
    }

    // ------------------------------------------------------------------------------------------------ IBAN

    private static final String IBAN_LENGTHS = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 "
            + "CZ24 DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 "
            + "IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 "
            + "PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20";
    private static final byte[] IBAN_LEN = new byte[26 * 26];

    static {
        for (String e : IBAN_LENGTHS.split(" "))
            IBAN_LEN[(e.charAt(0) - 'A') * 26 + e.charAt(1) - 'A'] = (byte) Integer.parseInt(e.substring(2));
    }

    /** End of an IBAN starting at {@code i}, or -1. */
    static int iban(String s, int i) {
        if (!upper(at(s, i + 1)) || !digit(at(s, i + 2)) || !digit(at(s, i + 3))) return -1;
        int len = IBAN_LEN[(s.charAt(i) - 'A') * 26 + s.charAt(i + 1) - 'A'];
        if (len == 0) return -1;
        char[] v = new char[len];
        int nv = 0, p = i;
        while (nv < len && p < s.length()) {
            char c = s.charAt(p);
            if (digit(c) || upper(c)) {
                v[nv++] = c;
                p++;
            } else if (c == ' ' && nv > 0 && nv % 4 == 0 && (digit(at(s, p + 1)) || upper(at(s, p + 1)))) {
                p++;
            } else {
                break;
            }
        }
        if (nv != len || wordChar(at(s, p))) return -1;
        // mod 97 of the rearranged number (first four chars moved to the end, letters as 10..35)
        int mod = 0;
        for (int k = 0; k < len; k++) {
            char c = v[(k + 4) % len];
            if (digit(c)) mod = (mod * 10 + (c - '0')) % 97;
            else mod = (mod * 100 + (c - 'A' + 10)) % 97;
        }
        return mod == 1 ? p : -1;
    }

    // ------------------------------------------------------------------------------------------------ phones

    private static final String[] PHONE_WORDS = {"tel", "telephone", "phone", "ph", "call", "fax", "mobile", "mob",
            "cell", "contact", "whatsapp", "hotline"};
    private static final String[] NOT_PHONE_WORDS = {"isbn", "serial", "sn", "s/n", "part", "p/n", "pn", "order",
            "invoice", "ref", "lot", "batch", "model", "asset", "ticket", "id", "sku", "article", "item", "code",
            "account", "version", "issn", "doi"};

    /** End of an international number {@code +CC ...} at {@code i}, or -1. */
    static int internationalPhone(String s, int i) {
        if (wordChar(at(s, i - 1)) || !digit(at(s, i + 1))) return -1;
        int p = i + 1, nd = 0, end = -1, groups = 0;
        boolean ccDone = false;
        while (p < s.length()) {
            int start = p;
            while (p < s.length() && digit(s.charAt(p))) p++;
            int len = p - start;
            if (len == 0) break;
            if (!ccDone) {
                if (len > 3 && groups == 0 && len < 8) return -1; // +4930... without a break is fine when long
                ccDone = true;
            }
            nd += len;
            groups++;
            if (nd > 15) return -1;
            end = p;
            char c = at(s, p);
            if ((c == ' ' || c == '-' || c == '.') && digit(at(s, p + 1))) {
                p++;
            } else if ((c == ' ' || c == '-') && at(s, p + 1) == '(' && digit(at(s, p + 2))) {
                int close = indexOf(s, ")", p + 2, 6);
                if (close < 0) break;
                p += 2;
            } else if (c == '(' && digit(at(s, p + 1))) {
                int close = indexOf(s, ")", p + 1, 5);
                if (close < 0) break;
                p++;
            } else if (c == ')' ) {
                p++;
                if (at(s, p) == ' ' || at(s, p) == '-') p++;
                if (!digit(at(s, p))) break;
            } else {
                break;
            }
        }
        if (end < 0 || nd < 8 || nd > 15) return -1;
        if (wordChar(at(s, end)) || (at(s, end) == '.' && digit(at(s, end + 1)))) return -1;
        return end;
    }

    /** End of a national phone number at {@code i} (a digit or '('), or -1. */
    static int nationalPhone(String s, int i) {
        char before = at(s, i - 1);
        if (before == '.' || before == '-' || before == '/' || before == ',' || before == '+' || before == ':' && digit(at(s, i - 2)))
            return -1;
        int[] groupLen = new int[8];
        int groups = 0, nd = 0, p = i;
        char sep = 0;
        boolean paren = false, mixedSep = false;
        int end = -1;
        if (s.charAt(i) == '(') {
            int start = i + 1, q = start;
            while (q < s.length() && digit(s.charAt(q))) q++;
            if (q - start < 2 || q - start > 5 || at(s, q) != ')') return -1;
            groupLen[groups++] = q - start;
            nd += q - start;
            paren = true;
            p = q + 1;
            if (at(s, p) == ' ' || at(s, p) == '-') p++;
            if (!digit(at(s, p))) return -1;
        }
        while (p < s.length() && groups < 8) {
            int start = p;
            while (p < s.length() && digit(s.charAt(p))) p++;
            int len = p - start;
            if (len == 0) break;
            groupLen[groups++] = len;
            nd += len;
            end = p;
            if (nd > 15) return -1;
            char c = at(s, p);
            if ((c == ' ' || c == '-' || c == '.' || c == '/') && digit(at(s, p + 1))) {
                if (sep != 0 && c != sep) mixedSep = true;
                if (!(paren && groups == 1)) sep = sep == 0 ? c : sep;
                p++;
            } else {
                break;
            }
        }
        if (end < 0 || wordChar(at(s, end)) || (at(s, end) == '.' && digit(at(s, end + 1)))) return -1;
        if (at(s, end) == '-' && digit(at(s, end + 1))) return -1;
        boolean context = precededBy(s, i, PHONE_WORDS);
        if (context && nd >= 7 && nd <= 15 && groups >= 2) return end;
        if (context && nd >= 10 && nd <= 13 && groups == 1 && s.charAt(i) == '0') return end;
        if (precededBy(s, i, NOT_PHONE_WORDS)) return -1;
        if (mixedSep && !paren) return -1;
        // NANP: (555) 123-4567 / 555-123-4567 / 555.123.4567 / 555 123 4567, optionally with a leading 1
        int g0 = 0;
        if (!paren && groups == 4 && groupLen[0] == 1 && s.charAt(i) == '1') g0 = 1;
        if (groups - g0 == 3 && groupLen[g0] == 3 && groupLen[g0 + 1] == 3 && groupLen[g0 + 2] == 4) return end;
        // trunk-prefixed national numbers: 030 1234567, 0171 2345678, 020 7946 0958, (030) 1234567
        int first = paren ? i + 1 : i;
        if (s.charAt(first) == '0' && groups >= 2 && groupLen[0] >= 2 && groupLen[0] <= 5 && groupLen[groups - 1] >= 3
                && nd >= 9 && nd <= 12) {
            for (int g = 0; g < groups; g++) if (groupLen[g] < 2) return -1;
            return end;
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------ e-mail

    private static boolean localChar(char c) {
        return asciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    /** End of an e-mail address whose local part starts at {@code i}, or -1. */
    static int email(String s, int i) {
        int p = i;
        while (p < s.length() && localChar(s.charAt(p)) && p - i <= 64) p++;
        if (at(s, p) != '@' || p == i || s.charAt(p - 1) == '.') return -1;
        int d = p + 1, labels = 0, lastLabelStart = d, end = -1;
        boolean lastAlpha = false;
        while (d < s.length() && d - p < 254) {
            int start = d;
            while (d < s.length() && (asciiAlnum(s.charAt(d)) || s.charAt(d) == '-')) d++;
            if (d == start || s.charAt(start) == '-' || s.charAt(d - 1) == '-') break;
            labels++;
            lastLabelStart = start;
            lastAlpha = true;
            for (int q = start; q < d; q++) lastAlpha &= asciiLetter(s.charAt(q));
            end = d;
            if (at(s, d) == '.' && asciiAlnum(at(s, d + 1))) d++;
            else break;
        }
        if (labels < 2 || !lastAlpha || end - lastLabelStart < 2 || wordChar(at(s, end))) return -1;
        return end;
    }

    // ------------------------------------------------------------------------------------------------ secrets

    private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA",
            "ANVA", "AROA", "APKA"};
    private static final String[] GITHUB_PREFIXES = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};

    /** End of a token with a known secret prefix at {@code i}, or -1. */
    static int prefixedSecret(String s, int i) {
        char c = s.charAt(i);
        switch (c) {
            case 'A' -> {
                if (s.startsWith("AIza", i)) return run(s, i + 4, 35, 35, true, true);
                for (String pre : AWS_PREFIXES) {
                    if (s.startsWith(pre, i)) {
                        int p = i + 4;
                        while (p < s.length() && (upper(s.charAt(p)) || digit(s.charAt(p)))) p++;
                        return p - i == 20 && !wordChar(at(s, p)) ? p : -1;
                    }
                }
            }
            case 'g' -> {
                for (String pre : GITHUB_PREFIXES) if (s.startsWith(pre, i)) return run(s, i + 4, 30, 255, false, false);
                if (s.startsWith("github_pat_", i)) return run(s, i + 11, 40, 255, true, false);
            }
            case 'x' -> {
                if (s.startsWith("xox", i) && "abposr".indexOf(at(s, i + 3)) >= 0 && at(s, i + 4) == '-')
                    return run(s, i + 5, 10, 255, true, true);
            }
            case 's' -> {
                if (s.startsWith("sk-", i)) {
                    int end = run(s, i + 3, 20, 255, true, true);
                    if (end < 0) return -1;
                    boolean hasDigit = false;
                    for (int q = i + 3; q < end; q++) hasDigit |= digit(s.charAt(q));
                    return hasDigit ? end : -1;
                }
            }
            case 'e' -> {
                if (s.startsWith("eyJ", i)) return jwt(s, i);
            }
            default -> {}
        }
        return -1;
    }

    /** End of a run of token chars of length in [min, max] starting at {@code p}, followed by a non-word char; or -1. */
    private static int run(String s, int p, int min, int max, boolean underscore, boolean dash) {
        int q = p;
        while (q < s.length() && q - p <= max) {
            char c = s.charAt(q);
            if (asciiAlnum(c) || (underscore && c == '_') || (dash && c == '-')) q++;
            else break;
        }
        int len = q - p;
        return len >= min && len <= max && !wordChar(at(s, q)) ? q : -1;
    }

    private static int jwt(String s, int i) {
        int p = i;
        for (int seg = 0; seg < 3; seg++) {
            int start = p;
            while (p < s.length() && tokenChar(s.charAt(p))) p++;
            if (seg < 2 && p - start < 10) return -1;
            if (seg < 2) {
                if (at(s, p) != '.') return -1;
                p++;
            }
        }
        return wordChar(at(s, p)) ? -1 : p;
    }

    /** End of a PEM private key block starting at {@code i} ("-----BEGIN ... PRIVATE KEY-----"), or -1. */
    static int pem(String s, int i, int[] endMemo) {
        int lineEnd = indexOf(s, "\n", i, 200);
        if (lineEnd < 0) lineEnd = Math.min(s.length(), i + 200);
        int header = indexOf(s, "PRIVATE KEY-----", i, lineEnd - i);
        if (header < 0 || !base64Line(s, lineEnd + 1) && !s.startsWith("Proc-Type:", lineEnd + 1)) return -1;
        int endMarker = nextEnd(s, header, endMemo);
        if (endMarker >= 0 && endMarker - header <= 20_000) { // an 8192-bit RSA key is about 6 KB of PEM
            int close = indexOf(s, "-----", endMarker + 9, 200);
            return close < 0 ? Math.min(s.length(), endMarker + 9) : close + 5;
        }
        // no END line: the header line and the base64 lines after it
        int p = lineEnd;
        while (p < s.length()) {
            int next = indexOf(s, "\n", p + 1, 1000);
            if (next < 0) next = Math.min(s.length(), p + 1 + 1000);
            boolean base64 = next > p + 1;
            for (int q = p + 1; q < next && base64; q++) {
                char c = s.charAt(q);
                base64 = asciiAlnum(c) || c == '+' || c == '/' || c == '=' || c == '\r';
            }
            if (!base64) break;
            p = next;
        }
        return p;
    }

    /**
     * {@code s.indexOf("-----END ", from)}, remembered across calls of one scan ({@code memo = {result, from}}): a
     * later call whose {@code from} lies before the remembered result gets the same answer without searching, so
     * many BEGIN lines without an END do not make the scan quadratic.
     */
    private static int nextEnd(String s, int from, int[] memo) {
        if (memo[1] >= 0 && from >= memo[1] && (memo[0] < 0 || from <= memo[0])) return memo[0];
        memo[1] = from;
        memo[0] = s.indexOf("-----END ", from);
        return memo[0];
    }

    /** Whether the line at {@code p} starts with at least 16 base64 chars (the body of a real PEM block). */
    private static boolean base64Line(String s, int p) {
        int q = p;
        while (q < s.length() && q - p < 16) {
            char c = s.charAt(q);
            if (asciiAlnum(c) || c == '+' || c == '/' || c == '=') q++;
            else break;
        }
        return q - p >= 16;
    }

    /** {@code s.indexOf(needle, from)} looking only at matches that start within {@code maxLen} chars of {@code from}. */
    static int indexOf(String s, String needle, int from, int maxLen) {
        int limit = (int) Math.min((long) s.length() - needle.length(), (long) from + maxLen);
        for (int q = Math.max(0, from); q <= limit; q++) if (s.startsWith(needle, q)) return q;
        return -1;
    }

    static final int NONE = 0, ASSIGN = 1, ARM = 2;
    private static final String[] ASSIGN_KEYWORDS = {"password", "passwd", "passphrase", "pwd", "secret", "token",
            "apikey", "secretkey", "accesskey", "privatekey", "authkey", "credentials", "credential", "sessionkey",
            "signingkey"};
    private static final String[] ARM_KEYWORDS = {"bearer", "authorization"};

    /** End of an identifier (letters, digits, '_', '-', '.') starting at {@code i}. */
    private static int identifierEnd(String s, int i) {
        int p = i;
        while (p < s.length() && p - i < 64) {
            char c = s.charAt(p);
            if (asciiAlnum(c) || c == '_' || c == '-' || (c == '.' && asciiAlnum(at(s, p + 1)))) p++;
            else break;
        }
        return p;
    }

    private static final int[] ASSIGN_TAILS = tails(ASSIGN_KEYWORDS), ARM_TAILS = tails(ARM_KEYWORDS);

    /** The last letters of the keywords, either case: an identifier ending otherwise is no keyword. */
    private static final boolean[] KEYWORD_LAST = new boolean[128];

    static {
        for (String[] list : new String[][] {ASSIGN_KEYWORDS, ARM_KEYWORDS}) {
            for (String k : list) {
                char c = k.charAt(k.length() - 1);
                KEYWORD_LAST[c] = true;
                KEYWORD_LAST[Character.toUpperCase(c)] = true;
            }
        }
    }

    private static int[] tails(String[] keywords) {
        int[] t = new int[keywords.length];
        for (int k = 0; k < keywords.length; k++) {
            String w = keywords[k];
            t[k] = w.charAt(w.length() - 3) << 16 | w.charAt(w.length() - 2) << 8 | w.charAt(w.length() - 1);
        }
        return t;
    }

    /** Whether the identifier [i, end) ends (ignoring case, '_', '-', '.') in a secret keyword; allocation-free. */
    static int keyword(String s, int i, int end) {
        if (end - i < 3) return NONE;
        char last = s.charAt(end - 1);
        if (last >= 128 || !KEYWORD_LAST[last]) return NONE;
        // the last three letters/digits, lower-cased and packed, filter the keywords before a full comparison
        int tail = 0, got = 0;
        for (int p = end - 1; p >= i && got < 3; p--) {
            char c = s.charAt(p);
            if (!asciiAlnum(c)) continue;
            tail |= (asciiLetter(c) ? c | 0x20 : c) << (8 * got++);
        }
        if (got < 3) return NONE;
        for (int k = 0; k < ASSIGN_TAILS.length; k++)
            if (ASSIGN_TAILS[k] == tail && endsWithKeyword(s, i, end, ASSIGN_KEYWORDS[k])) return ASSIGN;
        for (int k = 0; k < ARM_TAILS.length; k++)
            if (ARM_TAILS[k] == tail && endsWithKeyword(s, i, end, ARM_KEYWORDS[k])) return ARM;
        return NONE;
    }

    /** Compares backwards, case-insensitively, skipping the separators '_', '-' and '.' of the identifier. */
    private static boolean endsWithKeyword(String s, int i, int end, String k) {
        int p = end - 1;
        for (int q = k.length() - 1; q >= 0; q--) {
            while (p >= i && !asciiAlnum(s.charAt(p))) p--;
            if (p < i) return false;
            char c = s.charAt(p--);
            if (asciiLetter(c)) c |= 0x20;
            if (c != k.charAt(q)) return false;
        }
        return true;
    }

    private static final String[] CODE_PREFIXES = {"this.", "self.", "config.", "cfg.", "conf.", "settings.", "args.",
            "options.", "opts.", "params.", "env.", "System.getenv", "getenv(", "request.", "req."};
    private static final String[] PLACEHOLDER_VALUES = {"null", "none", "nil", "true", "false", "undefined",
            "required", "optional", "string", "changeme", "example", "your_password", "password", "secret", "token"};

    /**
     * The value of an assignment {@code key = value} / {@code key: value} / {@code "key": "value"} whose key ends at
     * {@code p}: {@code (start << 32) | end}, or -1 when there is none or it looks like a placeholder.
     */
    static long assignedValue(String s, int p) {
        if (at(s, p) == '"' || at(s, p) == '\'') p++;
        int spaces = 0;
        while ((at(s, p) == ' ' || at(s, p) == '\t') && spaces++ < 3) p++;
        char op = at(s, p);
        if (op == ':' && at(s, p + 1) == '=') p += 2;
        else if (op == '=' && at(s, p + 1) == '>') p += 2;
        else if (op == ':' || op == '=') p++;
        else return -1;
        spaces = 0;
        while ((at(s, p) == ' ' || at(s, p) == '\t') && spaces++ < 3) p++;
        char q = at(s, p);
        int start, end;
        if (q == '"' || q == '\'' || q == '`') {
            start = p + 1;
            end = start;
            while (end < s.length() && s.charAt(end) != q && s.charAt(end) != '\n' && end - start < 300) end++;
            if (at(s, end) != q || end - start < 4) return -1;
        } else {
            start = p;
            end = p;
            while (end < s.length() && end - start < 300) {
                char c = s.charAt(end);
                if (Character.isWhitespace(c) || c == ',' || c == ';' || c == '"' || c == '\'' || c == '<' || c == '>') break;
                end++;
            }
            while (end > start && ".)]}".indexOf(s.charAt(end - 1)) >= 0) end--;
            if (end - start < 6) return -1;
            for (int k = start; k < end; k++) if ("([{".indexOf(s.charAt(k)) >= 0) return -1; // code: a call or an index
            boolean strong = false;
            for (int k = start; k < end; k++) {
                char c = s.charAt(k);
                strong |= digit(c) || upper(c) || !(asciiLetter(c));
            }
            if (!strong) return -1;
        }
        String v = s.substring(start, end);
        if (v.startsWith("${") || v.startsWith("{{") || v.startsWith("<") || v.startsWith("%(") || v.startsWith("$(")
                || v.startsWith("os.") || v.startsWith("process.env") || v.startsWith("env(") || v.startsWith("ENV["))
            return -1;
        boolean masked = true;
        for (int k = 0; k < v.length(); k++) masked &= "*xX•.#-_ ".indexOf(v.charAt(k)) >= 0;
        if (masked) return -1;
        for (String ph : PLACEHOLDER_VALUES) if (v.equalsIgnoreCase(ph)) return -1;
        if (q != '"' && q != '\'' && q != '`') {
            // unquoted code: a variable or field holding the secret (this.token = token, pwd = config.dbPassword)
            if (keyword(v, 0, v.length()) == ASSIGN) return -1;
            for (String prefix : CODE_PREFIXES) if (v.startsWith(prefix)) return -1;
        }
        return ((long) start << 32) | end;
    }

    /**
     * End of a high-entropy token at {@code i}, or -1: at least 20 chars of letters, digits and {@code +/=_-}, with
     * letters and at least 10 % digits (so words, URLs and paths do not qualify), and at least 3.5 bits per char.
     */
    static int highEntropy(String s, int i) {
        int p = i;
        while (p < s.length() && p - i < 512) {
            char c = s.charAt(p);
            if (asciiAlnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-') p++;
            else break;
        }
        int len = p - i;
        if (len < 20 || wordChar(at(s, p)) || at(s, p) == '.' && asciiAlnum(at(s, p + 1))) return -1;
        int[] hist = new int[128];
        int letters = 0, digits = 0;
        for (int k = i; k < p; k++) {
            char c = s.charAt(k);
            hist[c]++;
            if (asciiLetter(c)) letters++;
            else if (digit(c)) digits++;
        }
        if (letters == 0 || digits < 2 || digits * 10 < len) return -1;
        double h = 0;
        for (int count : hist) {
            if (count == 0) continue;
            double f = (double) count / len;
            h -= f * Math.log(f);
        }
        return h / Math.log(2) >= 3.5 ? p : -1;
    }

    // ------------------------------------------------------------------------------------------------ context

    /** Whether the word just before {@code i} (skipping spaces and : # . = and a '(') is one of {@code words}. */
    static boolean precededBy(String s, int i, String[] words) {
        int p = i - 1;
        int skipped = 0;
        while (p >= 0 && skipped < 4 && " \t:#=(.".indexOf(s.charAt(p)) >= 0) {
            p--;
            skipped++;
        }
        int end = p + 1;
        while (p >= 0 && end - p <= 12 && (asciiLetter(s.charAt(p)) || s.charAt(p) == '/')) p--;
        if (end - (p + 1) == 0 || end - (p + 1) > 11) return false;
        if (p >= 0 && wordChar(s.charAt(p))) return false;
        String w = s.substring(p + 1, end).toLowerCase(java.util.Locale.ROOT);
        for (String x : words) if (x.equals(w)) return true;
        return false;
    }
}
