#!/usr/bin/env python3
"""Search a Fouille index from Python's standard sqlite3 module.

    python3 examples/search.py fouille.db /usr/local/lib/fouille/fouille "vélo électrique"

The database is built by fouille-index; loading the extension (fouille.so,
given without its suffix) registers the French tokenizer and the
fouille_query / fouille_rank / fouille_passages functions on the connection.
"""
import json
import sqlite3
import sys

SQL = """
SELECT articles.key, articles.title,
       fouille_passages(articles_fts, 2, 300, ?1) AS passages
FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
WHERE articles_fts MATCH fouille_query(?1)
ORDER BY fouille_rank(articles_fts), articles.date DESC, articles.key
LIMIT ?2
"""


def search(db_path, extension, query, limit=10):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        con.enable_load_extension(True)
        con.load_extension(extension)
        con.enable_load_extension(False)
        return con.execute(SQL, (query, limit)).fetchall()
    finally:
        con.close()


def main(argv):
    if len(argv) < 4:
        print("usage: search.py DB EXTENSION QUERY... [--ids]", file=sys.stderr)
        return 2
    ids = "--ids" in argv
    words = [a for a in argv[3:] if a != "--ids"]
    try:
        rows = search(argv[1], argv[2], " ".join(words))
    except sqlite3.Error as e:
        print(f"search.py: {e}", file=sys.stderr)
        return 3
    for key, title, passages in rows:
        if ids:
            print(key)
            continue
        print(f"{key}  {title or ''}")
        for p in json.loads(passages or "[]"):
            print("    " + p["text"])
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
