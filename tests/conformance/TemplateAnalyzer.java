// Builds an analyzer of an OpenSearch index template with Lucene's own
// classes, as OpenSearch does for each built-in component type the template
// uses; the multiplexer and condition filters, OpenSearch's own, are
// reproduced from OpenSearch's source (MultiplexerTokenFilterFactory,
// ScriptedConditionTokenFilterFactory). Unknown types or options fail.
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.core.TypeTokenFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.ConditionalTokenFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute;
import org.apache.lucene.analysis.util.ElisionFilter;

@SuppressWarnings("unchecked")
final class TemplateAnalyzer extends Analyzer {
  private final Map<String, Object> analysis;
  private final Map<String, Object> def;

  TemplateAnalyzer(Map<String, Object> template, String name) {
    Map<String, Object> t = (Map<String, Object>) template.get("template");
    Map<String, Object> settings = (Map<String, Object>) t.get("settings");
    analysis = (Map<String, Object>) settings.get("analysis");
    def = (Map<String, Object>) section("analyzer").get(name);
    if (def == null || !"custom".equals(def.get("type")))
      throw new IllegalArgumentException("no custom analyzer " + name);
  }

  private Map<String, Object> section(String key) {
    return (Map<String, Object>) analysis.get(key);
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    for (Object x : (List<Object>) o) out.add((String) x);
    return out;
  }

  private static boolean flag(Map<String, Object> m, String key, boolean dflt) {
    Object v = m.get(key);
    return v == null ? dflt : (Boolean) v;
  }

  // The unescaping of OpenSearch's mapping and type_table rules.
  static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') { b.append(c); continue; }
      char e = s.charAt(++i);
      switch (e) {
        case 'u': b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16)); i += 4; break;
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        default: b.append(e);
      }
    }
    return b.toString();
  }

  private static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

  @Override
  protected Reader initReader(String field, Reader reader) {
    for (String name : strings(def.get("char_filter"))) {
      Map<String, Object> cf = (Map<String, Object>) section("char_filter").get(name);
      String type = (String) cf.get("type");
      if (type.equals("mapping")) {
        NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
        for (String rule : strings(cf.get("mappings"))) {
          java.util.regex.Matcher m = RULE.matcher(rule);
          if (!m.find()) throw new IllegalArgumentException("bad mapping " + rule);
          b.add(unescape(m.group(1).trim()), unescape(m.group(2).trim()));
        }
        reader = new MappingCharFilter(b.build(), reader);
      } else if (type.equals("pattern_replace")) {
        reader = new PatternReplaceCharFilter(Pattern.compile((String) cf.get("pattern")),
            (String) cf.get("replacement"), reader);
      } else {
        throw new IllegalArgumentException("char filter type " + type);
      }
    }
    return reader;
  }

  @Override
  protected TokenStreamComponents createComponents(String field) {
    Map<String, Object> tk = (Map<String, Object>) section("tokenizer").get(def.get("tokenizer"));
    if (!"standard".equals(tk.get("type"))) throw new IllegalArgumentException("tokenizer");
    StandardTokenizer source = new StandardTokenizer();
    if (tk.get("max_token_length") != null)
      source.setMaxTokenLength(((Long) tk.get("max_token_length")).intValue());
    TokenStream ts = source;
    for (String name : strings(def.get("filter"))) ts = filter(name, ts);
    return new TokenStreamComponents(source, ts);
  }

  private TokenStream chain(List<String> names, TokenStream ts) {
    for (String n : names) ts = filter(n.trim(), ts);
    return ts;
  }

  private TokenStream filter(String name, TokenStream ts) {
    if (name.equals("lowercase")) return new LowerCaseFilter(ts);
    if (name.equals("asciifolding")) return new ASCIIFoldingFilter(ts, false);
    Map<String, Object> f = (Map<String, Object>) section("filter").get(name);
    if (f == null) throw new IllegalArgumentException("no filter " + name);
    String type = (String) f.get("type");
    switch (type) {
      case "keep_types":
        return new TypeTokenFilter(ts, new java.util.HashSet<>(strings(f.get("types"))),
            !"exclude".equals(f.get("mode")));
      case "elision":
        return new ElisionFilter(ts,
            new CharArraySet(strings(f.get("articles")), flag(f, "articles_case", false)));
      case "keyword_marker":
        return new PatternKeywordMarkerFilter(ts, Pattern.compile((String) f.get("keywords_pattern")));
      case "stemmer_override":
        return stemmerOverride(f, ts);
      case "snowball":
        if (!"French".equals(f.get("language"))) throw new IllegalArgumentException("language");
        return new SnowballFilter(ts, new org.tartarus.snowball.ext.FrenchStemmer());
      case "pattern_replace":
        return new PatternReplaceFilter(ts, Pattern.compile((String) f.get("pattern")),
            (String) f.get("replacement"), flag(f, "all", true));
      case "truncate":
        return new TruncateTokenFilter(ts, ((Long) f.get("length")).intValue());
      case "stop":
        return new StopFilter(ts,
            new CharArraySet(strings(f.get("stopwords")), flag(f, "ignore_case", false)));
      case "word_delimiter_graph":
        return wordDelimiter(f, ts);
      case "multiplexer":
        return multiplexer(f, ts);
      case "condition":
        return condition(f, ts);
      default:
        throw new IllegalArgumentException("filter type " + type);
    }
  }

  // OpenSearch's StemmerOverrideTokenFilterFactory.parseRules.
  private static TokenStream stemmerOverride(Map<String, Object> f, TokenStream ts) {
    StemmerOverrideFilter.Builder b = new StemmerOverrideFilter.Builder(false);
    for (String rule : strings(f.get("rules"))) {
      String[] sides = rule.split("=>", -1);
      if (sides.length != 2) throw new IllegalArgumentException("rule " + rule);
      String override = sides[1].trim();
      for (String key : sides[0].split(",", -1)) b.add(key.trim(), override);
    }
    try {
      return new StemmerOverrideFilter(ts, b.build());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // OpenSearch's WordDelimiterGraphTokenFilterFactory.
  private static TokenStream wordDelimiter(Map<String, Object> f, TokenStream ts) {
    int flags = 0;
    if (flag(f, "generate_word_parts", true)) flags |= WordDelimiterGraphFilter.GENERATE_WORD_PARTS;
    if (flag(f, "generate_number_parts", true)) flags |= WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS;
    if (flag(f, "catenate_words", false)) flags |= WordDelimiterGraphFilter.CATENATE_WORDS;
    if (flag(f, "catenate_numbers", false)) flags |= WordDelimiterGraphFilter.CATENATE_NUMBERS;
    if (flag(f, "catenate_all", false)) flags |= WordDelimiterGraphFilter.CATENATE_ALL;
    if (flag(f, "split_on_case_change", true)) flags |= WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE;
    if (flag(f, "preserve_original", false)) flags |= WordDelimiterGraphFilter.PRESERVE_ORIGINAL;
    if (flag(f, "split_on_numerics", true)) flags |= WordDelimiterGraphFilter.SPLIT_ON_NUMERICS;
    if (flag(f, "stem_english_possessive", true))
      flags |= WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;
    byte[] table = WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE;
    if (f.get("type_table") != null) {
      table = table.clone();
      for (String rule : strings(f.get("type_table"))) {
        java.util.regex.Matcher m = RULE.matcher(rule);
        if (!m.find()) throw new IllegalArgumentException("type_table " + rule);
        String lhs = unescape(m.group(1).trim());
        String rhs = m.group(2).trim();
        // WordDelimiterFilter's LOWER | UPPER, DIGIT, SUBWORD_DELIM
        byte t = (byte) (rhs.equals("ALPHA") ? 0x03 : rhs.equals("DIGIT") ? 0x04
            : rhs.equals("SUBWORD_DELIM") ? 0x08 : 0);
        if (lhs.length() != 1 || t == 0 || lhs.charAt(0) >= table.length)
          throw new IllegalArgumentException("type_table " + rule);
        table[lhs.charAt(0)] = t;
      }
    }
    return new WordDelimiterGraphFilter(ts, flag(f, "adjust_offsets", true), table, flags, null);
  }

  // OpenSearch's MultiplexerTokenFilterFactory: each branch sees a copy of the
  // token, at the same position; repeated terms are removed.
  private TokenStream multiplexer(Map<String, Object> f, TokenStream ts) {
    List<Function<TokenStream, TokenStream>> branches = new ArrayList<>();
    if (flag(f, "preserve_original", true)) branches.add(t -> t);
    for (String b : strings(f.get("filters"))) {
      List<String> names = java.util.Arrays.asList(b.split(","));
      branches.add(t -> chain(names, t));
    }
    return new RemoveDuplicatesTokenFilter(new Multiplex(ts, branches));
  }

  private static final class Multiplex extends TokenFilter {
    private final TokenStream source;
    private final int count;
    private int selector;
    private State state;

    Multiplex(TokenStream input, List<Function<TokenStream, TokenStream>> branches) {
      super(input);
      TokenStream s = new Feeder(input);
      for (int i = 0; i < branches.size(); i++) {
        final int slot = i;
        s = new ConditionalTokenFilter(s, branches.get(i)) {
          @Override
          protected boolean shouldFilter() { return slot == selector; }
        };
      }
      source = s;
      count = branches.size();
      selector = count - 1;
    }

    @Override
    public boolean incrementToken() throws java.io.IOException { return source.incrementToken(); }

    @Override
    public void end() throws java.io.IOException { source.end(); }

    @Override
    public void reset() throws java.io.IOException { source.reset(); }

    private final class Feeder extends TokenFilter {
      private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);

      Feeder(TokenStream in) { super(in); }

      @Override
      public boolean incrementToken() throws java.io.IOException {
        if (selector >= count - 1) {
          selector = 0;
          if (!input.incrementToken()) return false;
          state = captureState();
          return true;
        }
        restoreState(state);
        posInc.setPositionIncrement(0);
        selector++;
        return true;
      }

      @Override
      public void reset() throws java.io.IOException {
        super.reset();
        selector = count - 1;
        state = null;
      }
    }
  }

  // OpenSearch's condition filter runs a Painless predicate; the template
  // uses two, on the token's position length, reproduced here.
  private TokenStream condition(Map<String, Object> f, TokenStream ts) {
    String script = (String) ((Map<String, Object>) f.get("script")).get("source");
    List<String> names = strings(f.get("filter"));
    final boolean one;
    if (script.equals("token.getPositionLength() == 1")) one = true;
    else if (script.equals("token.getPositionLength() > 1")) one = false;
    else throw new IllegalArgumentException("script " + script);
    return new ConditionalTokenFilter(ts, t -> chain(names, t)) {
      private final PositionLengthAttribute len = addAttribute(PositionLengthAttribute.class);

      @Override
      protected boolean shouldFilter() { return one == (len.getPositionLength() == 1); }
    };
  }
}
