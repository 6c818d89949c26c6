package dev.ragkit.core.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simple HTML ({@code .html}, {@code .htm}) without a dependency: the text of the page with scripts,
 * styles, comments and tags removed, block elements on lines of their own, common entities decoded.
 * The title is {@code <title>}, else the first {@code <h1>}; the language is {@code <html lang>}.
 * The charset is {@code <meta charset>} when the page declares one, else UTF-8. For pages that need a
 * real HTML parser, add {@code rag-loader-tika}, which takes these extensions over.
 */
public final class SimpleHtmlParser implements DocumentParser {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern META_CHARSET = Pattern.compile("<meta[^>]+charset\\s*=\\s*[\"']?([A-Za-z0-9._:-]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title\\s*>", FLAGS);
    private static final Pattern H1 = Pattern.compile("<h1[^>]*>(.*?)</h1\\s*>", FLAGS);
    private static final Pattern HTML_LANG = Pattern.compile("<html[^>]*?\\slang\\s*=\\s*[\"']?([A-Za-z]{2,3})", FLAGS);
    private static final Pattern HIDDEN = Pattern.compile(
            "<!--.*?-->|<(script|style|noscript|template|head)\\b[^>]*>.*?</\\1\\s*>", FLAGS);
    private static final Pattern LIST_ITEM = Pattern.compile("<li\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOCK = Pattern.compile("</?(p|div|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|tr|table|thead"
            + "|tbody|section|article|header|footer|nav|aside|main|blockquote|pre|figure|figcaption|form|fieldset"
            + "|address|details|summary)\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern CELL = Pattern.compile("</?(td|th)\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n\\s*(\\n\\s*)+");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("laquo", "«"), Map.entry("raquo", "»"),
            Map.entry("hellip", "…"), Map.entry("mdash", "—"), Map.entry("ndash", "–"), Map.entry("rsquo", "’"),
            Map.entry("lsquo", "‘"), Map.entry("rdquo", "”"), Map.entry("ldquo", "“"), Map.entry("copy", "©"),
            Map.entry("reg", "®"), Map.entry("euro", "€"), Map.entry("deg", "°"), Map.entry("middot", "·"),
            Map.entry("eacute", "é"), Map.entry("Eacute", "É"), Map.entry("egrave", "è"), Map.entry("Egrave", "È"),
            Map.entry("ecirc", "ê"), Map.entry("euml", "ë"), Map.entry("agrave", "à"), Map.entry("Agrave", "À"),
            Map.entry("acirc", "â"), Map.entry("ccedil", "ç"), Map.entry("Ccedil", "Ç"), Map.entry("ocirc", "ô"),
            Map.entry("ucirc", "û"), Map.entry("ugrave", "ù"), Map.entry("uuml", "ü"), Map.entry("icirc", "î"),
            Map.entry("iuml", "ï"), Map.entry("oelig", "œ"), Map.entry("szlig", "ß"), Map.entry("auml", "ä"),
            Map.entry("ouml", "ö"), Map.entry("times", "×"));

    /** A parser with no settings; rag-core registers one in {@link DocumentParsers}. */
    public SimpleHtmlParser() {
    }

    @Override
    public String name() {
        return "html";
    }

    @Override
    public Set<String> extensions() {
        return Set.of("html", "htm");
    }

    @Override
    public ParsedDocument parse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String html = charsetOf(bytes).newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return parse(html);
    }

    /** Text, title and language of an HTML page. */
    public static ParsedDocument parse(String html) {
        if (html.startsWith("\uFEFF")) {
            html = html.substring(1);
        }
        String title = firstText(TITLE, html);
        if (title == null) {
            title = firstText(H1, html);
        }
        Matcher lang = HTML_LANG.matcher(html);
        String language = lang.find() ? lang.group(1).toLowerCase(Locale.ROOT) : null;
        return new ParsedDocument(text(html), title, language, Map.of());
    }

    /** The visible text of an HTML fragment or page. */
    public static String text(String html) {
        String s = HIDDEN.matcher(html).replaceAll(" ");
        s = LIST_ITEM.matcher(s).replaceAll("\n- ");
        s = BLOCK.matcher(s).replaceAll("\n\n");
        s = CELL.matcher(s).replaceAll(" ");
        s = TAG.matcher(s).replaceAll("");
        s = decodeEntities(s);
        s = SPACES.matcher(s).replaceAll(" ");
        StringBuilder out = new StringBuilder(s.length());
        for (String line : s.split("\\r?\\n|\\r", -1)) {
            out.append(line.strip()).append('\n');
        }
        return BLANK_LINES.matcher(out).replaceAll("\n\n").strip();
    }

    /** {@code &amp;}, {@code &eacute;}, {@code &#233;}, {@code &#xE9;} and other common entities decoded. */
    public static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String name = m.group(1);
            String replacement = null;
            if (name.startsWith("#")) {
                int code;
                try {
                    code = name.startsWith("#x") || name.startsWith("#X") ? Integer.parseInt(name.substring(2), 16)
                            : Integer.parseInt(name.substring(1));
                } catch (NumberFormatException e) {
                    code = -1;
                }
                if (Character.isValidCodePoint(code) && code != 0) {
                    replacement = Character.toString(code == 0xA0 ? ' ' : code);
                }
            } else {
                replacement = ENTITIES.get(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement != null ? replacement : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String firstText(Pattern element, String html) {
        Matcher m = element.matcher(html);
        if (!m.find()) {
            return null;
        }
        String text = decodeEntities(TAG.matcher(m.group(1)).replaceAll(" ")).replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? null : text;
    }

    private static Charset charsetOf(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 2048), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
