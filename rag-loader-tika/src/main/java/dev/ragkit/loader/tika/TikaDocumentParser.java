package dev.ragkit.loader.tika;

import dev.ragkit.core.ingest.DocumentParser;
import dev.ragkit.core.ingest.ParsedDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.TeeContentHandler;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads PDF, Word ({@code .doc}, {@code .docx}), OpenDocument ({@code .odt}, {@code .ods},
 * {@code .odp}), RTF, EPUB, PowerPoint, Excel and HTML through Apache Tika, for
 * {@link dev.ragkit.core.ingest.FileSystemLoader}, which finds it through {@link java.util.ServiceLoader}
 * when this module is on the class path. It takes {@code .html}/{@code .htm} over from rag-core's
 * simple HTML parser.
 *
 * <p>Title: the document's metadata ({@code dc:title}), else its first heading. Language: the
 * document's metadata ({@code dc:language}), else the loader's (path, then common words). Metadata
 * also gets {@code content_type} and, when the document names one, {@code author}.
 */
public final class TikaDocumentParser implements DocumentParser {
    private static final Set<String> EXTENSIONS = Set.of("pdf", "doc", "docx", "odt", "ods", "odp", "rtf", "epub",
            "ppt", "pptx", "xls", "xlsx", "html", "htm");

    /** Created on first use: building Tika's parser registry loads many classes. */
    private volatile Parser parser;

    /** Does nothing heavy: Tika is loaded on the first {@link #parse(Path)}. */
    public TikaDocumentParser() {
    }

    /** A parser over a host's own Tika parser (e.g. from a tika-config.xml). */
    public TikaDocumentParser(Parser parser) {
        this.parser = parser;
    }

    @Override
    public String name() {
        return "tika";
    }

    @Override
    public Set<String> extensions() {
        return EXTENSIONS;
    }

    @Override
    public ParsedDocument parse(Path file) throws IOException {
        Metadata metadata = new Metadata();
        BodyContentHandler body = new BodyContentHandler(-1);
        FirstHeading heading = new FirstHeading();
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            parser().parse(in, new TeeContentHandler(body, heading), metadata, new ParseContext());
        } catch (EncryptedDocumentException e) {
            throw new IOException("encrypted (password-protected) document", e);
        } catch (TikaException | SAXException e) {
            throw new IOException("not a readable document: " + message(e), e);
        }
        String title = metadata.get(TikaCoreProperties.TITLE);
        if (title == null || title.isBlank()) {
            title = heading.text();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        String contentType = metadata.get(Metadata.CONTENT_TYPE);
        if (contentType != null) {
            extra.put("content_type", contentType.replaceAll(";.*", "").strip());
        }
        String author = metadata.get(TikaCoreProperties.CREATOR);
        if (author != null && !author.isBlank()) {
            extra.put("author", author.strip());
        }
        return new ParsedDocument(clean(body.toString()), title, language(metadata.get(TikaCoreProperties.LANGUAGE)),
                extra);
    }

    private Parser parser() {
        Parser p = parser;
        if (p == null) {
            synchronized (this) {
                if (parser == null) {
                    parser = new AutoDetectParser();
                }
                p = parser;
            }
        }
        return p;
    }

    /** {@code fr} from {@code fr-FR} or {@code fr_CA}; null when absent. */
    private static String language(String declared) {
        if (declared == null || declared.isBlank()) {
            return null;
        }
        String code = declared.strip().split("[-_]")[0].toLowerCase(Locale.ROOT);
        return code.matches("[a-z]{2,3}") ? code : null;
    }

    /** Trailing spaces off each line, and no more than one blank line in a row. */
    private static String clean(String text) {
        return text.replaceAll("[ \\t\\u00A0]+(?=\\n)", "").replaceAll("\\n{3,}", "\n\n").strip();
    }

    private static String message(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return t == e ? m : e.getMessage() + " (" + m + ")";
    }

    /** The text of the first {@code <h1>}..{@code <h6>} that Tika's XHTML output holds. */
    private static final class FirstHeading extends DefaultHandler {
        private StringBuilder current;
        private String found;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            if (found == null && isHeading(localName)) {
                current = new StringBuilder();
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (current != null && isHeading(localName)) {
                String text = current.toString().replaceAll("\\s+", " ").strip();
                current = null;
                if (!text.isEmpty()) {
                    found = text;
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (current != null) {
                current.append(ch, start, length);
            }
        }

        String text() {
            return found;
        }

        private static boolean isHeading(String name) {
            return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6';
        }
    }
}
