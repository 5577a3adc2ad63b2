// Names the cause of a difference between fouille-analyze and the Lucene
// chain from the written word where it starts (see docs/opensearch-analysis.md).
import java.util.TreeSet;

final class Classes {
  static String tokenization(String word, Conformance.Field f, int pos) {
    return "tokenization differs";
  }

  static String extra(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    return "extra term in Lucene";
  }

  static String missing(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    return "term missing in Lucene";
  }

  static String different(String word, TreeSet<String> fouille, TreeSet<String> lucene) {
    return "different terms";
  }
}
