package dev.seedling.data.curate.internal.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The main text of an HTML page, without navigation and boilerplate.
 *
 * <p>Rules, in order: the content root is the page's single {@code <main>} (or {@code role=main}), else its single
 * {@code <article>}, else {@code <body>}. Inside it these are dropped whole: scripts, styles, forms and controls,
 * {@code nav}, {@code aside}, {@code footer}, {@code header} (kept inside an {@code <article>}), hidden elements,
 * landmark roles (navigation, banner, contentinfo, complementary, search), elements whose class or id names a
 * boilerplate part (menu, sidebar, breadcrumb, cookie/consent banner, share buttons, newsletter, ads…) and
 * link-dense blocks (more than half of the text inside links, a menu or a link farm). What is left is written as
 * text: headings as Markdown {@code #} lines, list items as {@code - } lines, table rows as tab-separated cells,
 * {@code <pre>} verbatim, paragraphs separated by blank lines, other whitespace collapsed. Thread-safe (stateless).
 */
public final class HtmlText {
    private static final Set<String> DROP_TAGS = Set.of("script", "style", "noscript", "template", "nav", "aside",
            "footer", "form", "button", "select", "option", "input", "textarea", "iframe", "object", "embed", "svg",
            "canvas", "audio", "video", "map", "menu", "dialog", "head", "title", "meta", "link");
    private static final Set<String> DROP_ROLES = Set.of("navigation", "banner", "contentinfo", "complementary",
            "search", "menu", "menubar", "dialog", "alertdialog", "toolbar");
    private static final Set<String> BOILERPLATE_WORDS = Set.of("nav", "navbar", "navigation", "menu", "menubar",
            "submenu", "footer", "sidebar", "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr",
            "advert", "advertisement", "ads", "sponsor", "sponsored", "social", "share", "sharing", "newsletter",
            "subscribe", "popup", "modal", "skiplink", "promo", "masthead", "pagination", "pager", "topbar",
            "toolbar", "related", "comments");
    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "body", "ul", "ol",
            "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "blockquote", "figure", "figcaption",
            "address", "details", "summary", "caption", "hr", "center", "fieldset", "header");
    private static final Set<String> DENSITY_CHECKED = Set.of("div", "section", "ul", "ol", "dl", "table", "p", "td",
            "span", "header", "center");

    private HtmlText() {}

    /** Main text of {@code bytes} (charset from a BOM or {@code <meta charset>}, else UTF-8). */
    public static String extract(byte[] bytes, int maxChars) throws IOException {
        Document doc = Jsoup.parse(new ByteArrayInputStream(bytes), null, "");
        return extract(doc, maxChars);
    }

    /** Main text of an HTML string. */
    public static String extract(String html, int maxChars) {
        return extract(Jsoup.parse(html), maxChars);
    }

    private static String extract(Document doc, int maxChars) {
        Element root = contentRoot(doc);
        if (root == null) return "";
        Map<Element, long[]> lengths = textAndLinkLengths(root);
        Writer w = new Writer(lengths, maxChars);
        NodeTraversor.filter(w, root);
        return w.out.toString().strip();
    }

    private static Element contentRoot(Document doc) {
        Elements main = doc.select("main, [role=main]");
        if (main.size() == 1) return main.first();
        Elements article = doc.select("article");
        if (article.size() == 1) return article.first();
        return doc.body();
    }

    /** Per element: {text chars, chars inside links}, counted in one post-order pass. */
    private static Map<Element, long[]> textAndLinkLengths(Element root) {
        Map<Element, long[]> out = new IdentityHashMap<>();
        long[][] stack = new long[64][];
        int[] top = {0};
        int[] inLink = {0};
        NodeTraversor.traverse(new NodeVisitor() {
            long[][] s = stack;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e) {
                    if (top[0] == s.length) s = java.util.Arrays.copyOf(s, s.length * 2);
                    s[top[0]++] = new long[2];
                    if (e.normalName().equals("a")) inLink[0]++;
                } else if (node instanceof TextNode t && top[0] > 0) {
                    int len = visibleLength(t.getWholeText());
                    s[top[0] - 1][0] += len;
                    if (inLink[0] > 0) s[top[0] - 1][1] += len;
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    long[] mine = s[--top[0]];
                    out.put(e, mine);
                    if (top[0] > 0) {
                        s[top[0] - 1][0] += mine[0];
                        s[top[0] - 1][1] += mine[1];
                    }
                    if (e.normalName().equals("a")) inLink[0]--;
                }
            }
        }, root);
        return out;
    }

    private static int visibleLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (!Character.isWhitespace(s.charAt(i))) n++;
        return n;
    }

    static boolean boilerplateName(String classAndId) {
        if (classAndId.isEmpty()) return false;
        String s = classAndId.toLowerCase(Locale.ROOT);
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && !Character.isLetter(s.charAt(i))) i++;
            int j = i;
            while (j < n && Character.isLetter(s.charAt(j))) j++;
            if (j > i && BOILERPLATE_WORDS.contains(s.substring(i, j))) return true;
            i = j;
        }
        return false;
    }

    private static final class Writer implements NodeFilter {
        final StringBuilder out = new StringBuilder();
        final Map<Element, long[]> lengths;
        final int maxChars;
        int pre, article;
        boolean pendingSpace;
        // per open table row: number of cells written so far
        int[] cells = new int[16];
        int rows;

        Writer(Map<Element, long[]> lengths, int maxChars) {
            this.lengths = lengths;
            this.maxChars = maxChars;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (out.length() >= maxChars) return FilterResult.STOP;
            if (node instanceof TextNode t) {
                text(t.getWholeText());
                return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element e)) return FilterResult.SKIP_ENTIRELY; // comments, doctype, data
            String tag = e.normalName();
            if (drop(e, tag)) return FilterResult.SKIP_ENTIRELY;
            switch (tag) {
                case "br" -> newline();
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    blankLine();
                    out.append("#".repeat(tag.charAt(1) - '0')).append(' ');
                    pendingSpace = false;
                }
                case "li" -> {
                    newline();
                    out.append("- ");
                    pendingSpace = false;
                }
                case "tr" -> {
                    newline();
                    if (rows == cells.length) cells = java.util.Arrays.copyOf(cells, rows * 2);
                    cells[rows++] = 0;
                }
                case "td", "th" -> {
                    if (rows > 0 && cells[rows - 1]++ > 0) out.append('\t');
                    pendingSpace = false;
                }
                case "pre" -> {
                    blankLine();
                    pre++;
                }
                case "p", "blockquote", "table", "ul", "ol", "dl", "figure" -> blankLine();
                case "article" -> {
                    article++;
                    newline();
                }
                default -> {
                    if (BLOCKS.contains(tag)) newline();
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                switch (tag) {
                    case "h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "table", "ul", "ol", "dl", "figure" -> blankLine();
                    case "pre" -> {
                        pre--;
                        blankLine();
                    }
                    case "tr" -> {
                        if (rows > 0) rows--;
                        newline();
                    }
                    case "article" -> {
                        article--;
                        newline();
                    }
                    default -> {
                        if (BLOCKS.contains(tag) || tag.equals("li")) newline();
                    }
                }
            }
            return out.length() >= maxChars ? FilterResult.STOP : FilterResult.CONTINUE;
        }

        private boolean drop(Element e, String tag) {
            if (DROP_TAGS.contains(tag)) return true;
            if (tag.equals("header") && article == 0) return true;
            if (e.hasAttr("hidden") || "true".equals(e.attr("aria-hidden"))) return true;
            String style = e.attr("style");
            if (!style.isEmpty() && style.replace(" ", "").toLowerCase(Locale.ROOT).contains("display:none")) return true;
            String role = e.attr("role");
            if (!role.isEmpty() && DROP_ROLES.contains(role.toLowerCase(Locale.ROOT))) return true;
            String classAndId = e.className() + " " + e.id();
            if (classAndId.length() > 1 && boilerplateName(classAndId)) return true;
            if (DENSITY_CHECKED.contains(tag)) {
                long[] len = lengths.get(e);
                if (len != null && len[0] > 0) {
                    double density = (double) len[1] / len[0];
                    // a menu or link list: mostly link text; long blocks need an even higher share
                    if (density > 0.5 && (len[0] < 2000 || density > 0.8)) return true;
                }
            }
            return false;
        }

        private void text(String s) {
            if (pre > 0) {
                out.append(s);
                pendingSpace = false;
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00A0') {
                    pendingSpace = true;
                } else {
                    if (pendingSpace && !out.isEmpty()) {
                        char last = out.charAt(out.length() - 1);
                        if (last != '\n' && last != ' ' && last != '\t') out.append(' ');
                    }
                    pendingSpace = false;
                    out.append(c);
                }
            }
        }

        private void newline() {
            pendingSpace = false;
            if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append('\n');
        }

        private void blankLine() {
            newline();
            int n = out.length();
            if (n >= 1 && !(n >= 2 && out.charAt(n - 2) == '\n')) out.append('\n');
        }
    }
}
