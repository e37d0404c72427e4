-- Claimscope's store. One row per object of the JSON Lines contract, keyed by
-- the article id (sha256 of the cleaned text). Field names follow CONTRACT.md;
-- nested objects (cue, speaker_mention) are STRUCTs with the same field names.
CREATE TABLE IF NOT EXISTS articles (
    id          VARCHAR PRIMARY KEY,
    path        VARCHAR NOT NULL,
    title       VARCHAR,
    source      VARCHAR,
    dateline    VARCHAR,
    published   DATE,
    url         VARCHAR,
    text        VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS entities (
    article_id VARCHAR NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,
    canonical  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS country_mentions (
    article_id VARCHAR NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    iso3       VARCHAR NOT NULL,
    country    VARCHAR NOT NULL,
    via        VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS region_mentions (
    article_id VARCHAR NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    region     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quotes (
    article_id      VARCHAR NOT NULL,
    quote_index     INTEGER NOT NULL,
    "start"         INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    text            VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    cue             STRUCT("start" INTEGER, "end" INTEGER, text VARCHAR),
    speaker_mention STRUCT("start" INTEGER, "end" INTEGER, text VARCHAR),
    speaker         VARCHAR,
    speaker_role    VARCHAR,
    speaker_type    VARCHAR,
    countries       VARCHAR[] NOT NULL
);

CREATE INDEX IF NOT EXISTS entities_article ON entities (article_id);
CREATE INDEX IF NOT EXISTS country_mentions_article ON country_mentions (article_id);
CREATE INDEX IF NOT EXISTS region_mentions_article ON region_mentions (article_id);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id);

-- Talking points (added): one row per grouped quote, in the order the rows were
-- assigned. A point's id is the key of the claim that opened it,
-- '<article_id>:<quote_index>'; similarity is the cosine to the point's
-- centroid when the claim joined (1 for the opening claim); negated whether the
-- claim holds a negation; embedding its WordLlama vector (see claimscope.points).
-- Created by any write to an older store; its claims are grouped on the next ingest.
CREATE TABLE IF NOT EXISTS claim_points (
    article_id  VARCHAR NOT NULL,
    quote_index INTEGER NOT NULL,
    point_id    VARCHAR NOT NULL,
    similarity  FLOAT NOT NULL,
    negated     BOOLEAN NOT NULL,
    embedding   FLOAT[256] NOT NULL
);
