-- The corpus store (corpus/sqlite_store.py's SCHEMA and its added columns, in PostgreSQL's dialect).
-- IF NOT EXISTS: a database made by the first replicated release (before numbered migrations) is taken as it is.
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER, status TEXT, reason TEXT,
    doc_ids TEXT, ingested_at TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT, title_key TEXT, doc_type TEXT, level TEXT, issuer TEXT,
    region TEXT, effective_date TEXT, version_date TEXT, status TEXT, source_status TEXT,
    source TEXT, sha256 TEXT, note TEXT, is_current INTEGER DEFAULT 1, duplicate_of TEXT,
    origin_rank INTEGER, body_chars INTEGER,
    repealed_on TEXT DEFAULT '', repealed_by TEXT DEFAULT '', status_basis TEXT DEFAULT '',
    version_status TEXT DEFAULT '', version_basis TEXT DEFAULT '', superseded_on TEXT DEFAULT '',
    planted TEXT DEFAULT '');
CREATE INDEX IF NOT EXISTS documents_key ON documents(title_key);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc_id TEXT, seq INTEGER, title TEXT, doc_type TEXT, path TEXT,
    article INTEGER, article_suffix INTEGER, paragraphs TEXT, heading TEXT, page INTEGER,
    text TEXT, record TEXT, links TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, seq);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article);
CREATE TABLE IF NOT EXISTS successors (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, successor_chunk_id TEXT, similarity REAL,
    successor_doc_id TEXT DEFAULT '');
CREATE INDEX IF NOT EXISTS successors_doc ON successors(doc_id);
