// Searching a Fouille index from Node.js with better-sqlite3 (v12):
//   npm install better-sqlite3
//   node examples/search.mjs fouille.db /usr/local/lib/fouille/fouille "vélo électrique"
// The extension registers the French tokenizer and the fouille_query,
// fouille_rank and fouille_passages SQL functions on the connection.
import Database from 'better-sqlite3';

const [db_path, extension, ...words] = process.argv.slice(2);
if (!db_path || !extension || words.length === 0) {
  console.error('usage: node search.mjs DB EXTENSION QUERY...');
  process.exit(2);
}

const db = new Database(db_path, { readonly: true, fileMustExist: true });
db.loadExtension(extension);

const search = db.prepare(`
  SELECT articles.key, articles.title,
         fouille_passages(articles_fts, 2, 300, @q) AS passages
  FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
  WHERE articles_fts MATCH fouille_query(@q)
  ORDER BY fouille_rank(articles_fts), articles.date DESC, articles.key
  LIMIT 10`);

try {
  const rows = search.all({ q: words.join(' ') });
  for (const row of rows) {
    console.log(`${row.key}  ${row.title ?? ''}`);
    for (const p of JSON.parse(row.passages ?? '[]')) console.log(`    ${p.text}`);
  }
  process.exit(rows.length > 0 ? 0 : 1);
} catch (e) {
  console.error(`search.mjs: ${e.message}`);
  process.exit(3);
} finally {
  db.close();
}
