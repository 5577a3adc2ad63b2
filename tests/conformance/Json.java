// A small JSON reader (objects keep their order) for the conformance run:
// the JDK has none and the run may not download one.
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class Json {
  private final String s;
  private int i;

  private Json(String s) { this.s = s; }

  static Object parse(String text) {
    Json p = new Json(text);
    Object v = p.value();
    p.skip();
    if (p.i != p.s.length()) throw p.error("trailing characters");
    return v;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON: " + what + " at character " + i);
  }

  private void skip() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private Object value() {
    skip();
    if (i >= s.length()) throw error("unexpected end");
    char c = s.charAt(i);
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
    if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
    if (s.startsWith("null", i)) { i += 4; return null; }
    return number();
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    skip();
    if (s.charAt(i) == '}') { i++; return m; }
    for (;;) {
      skip();
      String k = string();
      skip();
      if (s.charAt(i++) != ':') throw error("':' expected");
      m.put(k, value());
      skip();
      char c = s.charAt(i++);
      if (c == '}') return m;
      if (c != ',') throw error("',' or '}' expected");
    }
  }

  private List<Object> array() {
    List<Object> a = new ArrayList<>();
    i++;
    skip();
    if (s.charAt(i) == ']') { i++; return a; }
    for (;;) {
      a.add(value());
      skip();
      char c = s.charAt(i++);
      if (c == ']') return a;
      if (c != ',') throw error("',' or ']' expected");
    }
  }

  private String string() {
    if (s.charAt(i) != '"') throw error("string expected");
    StringBuilder b = new StringBuilder();
    for (i++;;) {
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c != '\\') { b.append(c); continue; }
      char e = s.charAt(i++);
      switch (e) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
        default: b.append(e);
      }
    }
  }

  private Object number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
    if (start == i) throw error("value expected");
    String n = s.substring(start, i);
    if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
    return Long.parseLong(n);
  }
}
