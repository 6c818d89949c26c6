package dev.ragkit.store.redisearch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.commands.ProtocolCommand;

/** The query engine's commands this store sends itself, and readers for their RESP2 replies. */
enum Ft implements ProtocolCommand {
    CREATE("FT.CREATE"),
    INFO("FT.INFO"),
    SEARCH("FT.SEARCH"),
    AGGREGATE("FT.AGGREGATE"),
    CURSOR("FT.CURSOR"),
    TAGVALS("FT.TAGVALS"),
    ALIASUPDATE("FT.ALIASUPDATE"),
    DROPINDEX("FT.DROPINDEX"),
    WAITAOF("WAITAOF");

    private final byte[] raw;
    private final String text;

    Ft(String text) {
        this.text = text;
        this.raw = text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getRaw() {
        return raw;
    }

    /** The command as it is spelled, for messages. */
    String text() {
        return text;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(Object reply) {
        if (reply == null) {
            return null;
        }
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return String.valueOf(reply);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return reply == null ? List.of() : (List<Object>) reply;
    }

    /** A flat [key, value, key, value...] reply as a map keyed by the text of each key. */
    static Map<String, Object> pairs(Object reply) {
        List<Object> items = list(reply);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            map.put(string(items.get(i)), items.get(i + 1));
        }
        return map;
    }

    static List<byte[]> args(Object... parts) {
        List<byte[]> out = new ArrayList<>(parts.length);
        for (Object p : parts) {
            out.add(p instanceof byte[] b ? b : bytes(String.valueOf(p)));
        }
        return out;
    }
}
