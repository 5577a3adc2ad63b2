// The conformance run: analyses texts with the template's fouille_fr chain
// built from Lucene's classes (TemplateAnalyzer) and compares each text's
// terms and positions with fouille-analyze --lines. Usage:
//   Conformance TEMPLATE.json TEXTS.jsonl FOUILLE.jsonl FIELDS MIN_PERCENT
// TEXTS holds one JSON string a line, FIELDS lines per article (title,
// body); FOUILLE is fouille-analyze --lines's output for TEXTS. Prints each
// class of difference with its count and an example, then the last line
// "identical: N/M articles (P %)"; exits 1 below MIN_PERCENT.
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

@SuppressWarnings("unchecked")
public final class Conformance {
  // position -> the terms there
  static TreeMap<Integer, TreeSet<String>> lucene(Analyzer a, String text) throws IOException {
    TreeMap<Integer, TreeSet<String>> out = new TreeMap<>();
    try (TokenStream ts = a.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += inc.getPositionIncrement();
        out.computeIfAbsent(pos, k -> new TreeSet<>()).add(term.toString());
      }
      ts.end();
    }
    return out;
  }

  static final class Field {
    TreeMap<Integer, TreeSet<String>> terms = new TreeMap<>();
    TreeMap<Integer, String> written = new TreeMap<>();
  }

  static Field fouille(String line) {
    Field f = new Field();
    Map<String, Object> doc = (Map<String, Object>) Json.parse(line);
    for (Object o : (List<Object>) doc.get("terms")) {
      Map<String, Object> t = (Map<String, Object>) o;
      int pos = ((Long) t.get("position")).intValue();
      f.terms.computeIfAbsent(pos, k -> new TreeSet<>()).add((String) t.get("term"));
      if (!Boolean.TRUE.equals(t.get("colocated")) && t.get("text") != null)
        f.written.put(pos, (String) t.get("text"));
    }
    return f;
  }

  static final class DiffClass {
    int count;
    String example;
    List<String> more = new ArrayList<>();
  }
  static int examples = Integer.getInteger("examples", 1);

  static String around(Field f, int pos) {
    StringBuilder b = new StringBuilder();
    for (int p = Math.max(0, pos - 2); p <= pos + 2; p++)
      if (f.written.containsKey(p)) b.append(p == pos ? "[" : "").append(f.written.get(p))
          .append(p == pos ? "]" : "").append(' ');
    return b.toString().trim();
  }

  // The first difference of a text, as a class name and an example.
  static String[] classify(Field f, TreeMap<Integer, TreeSet<String>> l) {
    int pos = 0;
    for (int p = 0;; p++) {
      TreeSet<String> a = f.terms.get(p), b = l.get(p);
      if (a == null && b == null && p > Math.max(f.terms.isEmpty() ? 0 : f.terms.lastKey(),
          l.isEmpty() ? 0 : l.lastKey())) return null;
      if (a == null ? b != null : !a.equals(b)) { pos = p; break; }
    }
    TreeSet<String> a = f.terms.getOrDefault(pos, new TreeSet<>()), b = l.getOrDefault(pos, new TreeSet<>());
    TreeSet<String> a1 = f.terms.get(pos + 1), b1 = l.get(pos + 1);
    boolean aligned = a1 == null ? b1 == null : a1.equals(b1);
    String word = f.written.getOrDefault(pos, "?");
    String kind;
    if (!aligned && (a.isEmpty() || b.isEmpty() || !a.first().equals(b.first()) || a.size() > 0)) {
      kind = Classes.tokenization(word, f, pos);
    } else if (b.containsAll(a)) {
      kind = Classes.extra(word, a, b);
    } else if (a.containsAll(b)) {
      kind = Classes.missing(word, a, b);
    } else {
      kind = Classes.different(word, a, b);
    }
    String example = "«" + around(f, pos) + "»: fouille " + a + ", lucene " + b;
    return new String[] {kind, example};
  }

  public static void main(String[] args) throws Exception {
    Map<String, Object> template = (Map<String, Object>) Json.parse(
        new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8));
    Analyzer analyzer = new TemplateAnalyzer(template, "fouille_fr");
    if (args[1].equals("--show")) { // debugging: the terms of one text
      System.out.println(lucene(analyzer, args[2]));
      return;
    }
    int fields = Integer.parseInt(args[3]);
    double min = Double.parseDouble(args[4]);
    Map<String, DiffClass> classes = new TreeMap<>();
    int articles = 0, identical = 0;
    try (BufferedReader texts = Files.newBufferedReader(Paths.get(args[1]), StandardCharsets.UTF_8);
         BufferedReader ours = Files.newBufferedReader(Paths.get(args[2]), StandardCharsets.UTF_8)) {
      for (;;) {
        boolean same = true, any = false;
        for (int i = 0; i < fields; i++) {
          String text = texts.readLine(), line = ours.readLine();
          if (text == null || line == null) break;
          any = true;
          Field f = fouille(line);
          String[] diff = classify(f, lucene(analyzer, (String) Json.parse(text)));
          if (diff == null) continue;
          same = false;
          DiffClass c = classes.computeIfAbsent(diff[0], k -> new DiffClass());
          if (c.count++ == 0) c.example = diff[1];
          else if (c.more.size() + 1 < examples) c.more.add(diff[1]);
        }
        if (!any) break;
        articles++;
        if (same) identical++;
      }
    }
    List<Map.Entry<String, DiffClass>> sorted = new ArrayList<>(classes.entrySet());
    sorted.sort((x, y) -> y.getValue().count - x.getValue().count);
    System.out.println("difference classes (texts whose first difference is of the class):");
    for (Map.Entry<String, DiffClass> e : sorted)
    {
      System.out.printf("  %5d  %s%n         e.g. %s%n", e.getValue().count, e.getKey(), e.getValue().example);
      for (String x : e.getValue().more) System.out.printf("              %s%n", x);
    }
    double pct = articles == 0 ? 0 : 100.0 * identical / articles;
    System.out.printf("identical: %d/%d articles (%.2f %%)%n", identical, articles, Math.floor(pct * 100) / 100);
    System.exit(pct >= min ? 0 : 1);
  }
}
