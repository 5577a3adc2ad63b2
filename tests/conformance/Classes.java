// Names the cause of a difference between fouille-analyze and the Lucene
// chain, from the word where the first difference of a text starts and the
// terms on each side; docs/opensearch-analysis.md explains each class.
import java.util.TreeSet;

final class Classes {
  private static boolean cjk(String w) {
    return w.codePoints().anyMatch(c -> {
      Character.UnicodeScript s = Character.UnicodeScript.of(c);
      return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
          || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.THAI
          || s == Character.UnicodeScript.LAO || s == Character.UnicodeScript.KHMER
          || s == Character.UnicodeScript.MYANMAR || s == Character.UnicodeScript.HANGUL;
    });
  }

  private static boolean ascii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  static String tokenization(String word, Conformance.Field f, int pos) {
    if (cjk(word)) return "CJK and Thai script: the standard tokenizer cuts ideographs apart";
    String next = f.written.get(pos + 1);
    if (next != null && cjk(next)) return "CJK and Thai script: the standard tokenizer cuts ideographs apart";
    return "tokenization: chains of two kinds (Debian-x.y), marks without a letter";
  }

  private static String termClass(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    String w = word.toLowerCase(java.util.Locale.ROOT);
    if (w.matches(".*[ïëüÿ].*"))
      return "Snowball French revision: Lucene 8.7's stemmer is older than libstemmer 2.2.0";
    TreeSet<String> onlyF = new TreeSet<>(fouille), onlyL = new TreeSet<>(lucene);
    onlyF.removeAll(lucene);
    onlyL.removeAll(fouille);
    if (!onlyL.isEmpty() && onlyL.stream().allMatch(Classes::ascii)
        && onlyF.stream().noneMatch(Classes::ascii))
      return "asciifolding folds more than accents (ø ł đ ƒ, fullwidth letters)";
    if (!ascii(w)) return "case and mark folding outside Latin (µ, Cyrillic, Arabic, Armenian)";
    return "alternative term differs";
  }

  static String extra(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    return termClass(word, fouille, lucene);
  }

  static String missing(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    return termClass(word, fouille, lucene);
  }

  static String different(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    return termClass(word, fouille, lucene);
  }
}
