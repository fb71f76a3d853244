-- Replicas learn of a corpus change at once (#24): every statement that changes documents or chunks sends
-- NOTIFY e_assistant_corpus (delivered when its transaction commits; one per transaction and table).
-- The periodic check of assistant/service/replicas.py stays as the fallback.
CREATE OR REPLACE FUNCTION e_assistant_corpus_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('e_assistant_corpus', TG_TABLE_NAME);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS documents_changed ON documents;
CREATE TRIGGER documents_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION e_assistant_corpus_changed();
DROP TRIGGER IF EXISTS chunks_changed ON chunks;
CREATE TRIGGER chunks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON chunks
    FOR EACH STATEMENT EXECUTE FUNCTION e_assistant_corpus_changed();
