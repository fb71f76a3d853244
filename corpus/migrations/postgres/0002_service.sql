-- What replicas share besides the corpus (#24): jobs with their owner and heartbeat
-- (assistant/service/shared_jobs.py), uploaded bytes, the audit and feedback log
-- (assistant/service/shared_logs.py) and passage vectors (indexing/shared_embedding_cache.py).
CREATE TABLE IF NOT EXISTS shared_jobs (
    id TEXT PRIMARY KEY, kind TEXT, status TEXT, stage TEXT, done INTEGER, total INTEGER, created_at TEXT,
    finished_at TEXT, result TEXT, error TEXT, description TEXT, payload TEXT,
    owner TEXT NOT NULL, heartbeat TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS shared_uploads (job_id TEXT PRIMARY KEY, name TEXT, original TEXT, data BYTEA);
CREATE TABLE IF NOT EXISTS service_log (
    n BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, record JSONB NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS service_log_kind ON service_log(kind, n);
CREATE TABLE IF NOT EXISTS shared_embeddings (
    model_id TEXT NOT NULL, text_sha256 TEXT NOT NULL, dim INTEGER NOT NULL, vector BYTEA NOT NULL,
    PRIMARY KEY (model_id, text_sha256));
