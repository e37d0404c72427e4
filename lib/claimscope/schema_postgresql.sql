-- Claimscope's store on PostgreSQL: the tables, columns and names of schema.sql
-- (the DuckDB store), with PostgreSQL's types (TEXT for VARCHAR, JSONB for the
-- cue and speaker_mention STRUCTs, TEXT[] for the country list). Each table
-- also has "seq", a store-internal key that grows with every row written: the
-- dashboard's mirror copies the rows past the last seq it copied (DuckDB's
-- rowid plays that part there). Writers take a lock on articles for their
-- transaction, so seq order is commit order.
CREATE TABLE IF NOT EXISTS articles (
    id          TEXT PRIMARY KEY,
    path        TEXT NOT NULL,
    title       TEXT,
    source      TEXT,
    dateline    TEXT,
    published   DATE,
    url         TEXT,
    text        TEXT NOT NULL,
    ingested_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    seq         BIGSERIAL NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    label      TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    seq        BIGSERIAL NOT NULL
);

CREATE TABLE IF NOT EXISTS country_mentions (
    article_id TEXT NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    iso3       TEXT NOT NULL,
    country    TEXT NOT NULL,
    via        TEXT NOT NULL,
    seq        BIGSERIAL NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS region_mentions (
    article_id TEXT NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    region     TEXT NOT NULL,
    seq        BIGSERIAL NOT NULL
);

CREATE TABLE IF NOT EXISTS quotes (
    article_id      TEXT NOT NULL,
    quote_index     INTEGER NOT NULL,
    "start"         INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    text            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    cue             JSONB,
    speaker_mention JSONB,
    speaker         TEXT,
    speaker_role    TEXT,
    speaker_type    TEXT,
    countries       TEXT[] NOT NULL,
    seq             BIGSERIAL NOT NULL UNIQUE
);

-- Added after the first stores (see schema.sql): created by the first write.
CREATE TABLE IF NOT EXISTS quote_tones (
    article_id  TEXT NOT NULL,
    quote_index INTEGER NOT NULL,
    target      TEXT NOT NULL,
    polarity    TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    seq         BIGSERIAL NOT NULL UNIQUE
);

CREATE INDEX IF NOT EXISTS entities_article ON entities (article_id);
CREATE INDEX IF NOT EXISTS country_mentions_article ON country_mentions (article_id);
CREATE INDEX IF NOT EXISTS region_mentions_article ON region_mentions (article_id);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id);
CREATE INDEX IF NOT EXISTS quote_tones_article ON quote_tones (article_id);

-- Talking points (see schema.sql): one row per grouped quote, in the order the
-- rows were assigned ("seq"); the embedding is a REAL[] of 256 values.
CREATE TABLE IF NOT EXISTS claim_points (
    article_id  TEXT NOT NULL,
    quote_index INTEGER NOT NULL,
    point_id    TEXT NOT NULL,
    similarity  REAL NOT NULL,
    negated     BOOLEAN NOT NULL,
    embedding   REAL[] NOT NULL,
    seq         BIGSERIAL NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS claim_points_claim ON claim_points (article_id, quote_index);
