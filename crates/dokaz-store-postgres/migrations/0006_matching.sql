-- Deconfliction (issue 5): matches between records of different agencies, the blocking keys
-- through which a new record finds its candidates, and the blind encodings of sealed records.
-- The same shape as the SQLite backend's.
--
-- A match names its two records without foreign keys: a record may be an incident, a
-- person, a unit or an evidence item, and may be held by another node. Side `a` is the one
-- with the smaller record id, so one pair is one row however often it is found; each side
-- keeps its own agency's decision (status_a, status_b), since one agency's dismissal must
-- not hide the hit from the other. The document is the whole `Match`; the columns are what
-- is listed, filtered and constrained.
CREATE TABLE matches (
    id         UUID PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('incident', 'person', 'unit', 'evidence')),
    record_a   UUID NOT NULL,
    agency_a   UUID NOT NULL REFERENCES agencies(id),
    record_b   UUID NOT NULL,
    agency_b   UUID NOT NULL REFERENCES agencies(id),
    status_a   TEXT NOT NULL CHECK (status_a IN ('new', 'confirmed', 'dismissed')),
    status_b   TEXT NOT NULL CHECK (status_b IN ('new', 'confirmed', 'dismissed')),
    score      DOUBLE PRECISION NOT NULL,
    found_at   TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    doc        JSONB NOT NULL,
    UNIQUE (kind, record_a, record_b),
    CHECK (record_a < record_b),
    -- Records of one agency are its own business: deconfliction is between agencies.
    CHECK (agency_a <> agency_b)
);
-- An agency's review list is the union of the matches where it is side a and where it is
-- side b, each read in id order from its own index.
CREATE INDEX matches_by_agency_a ON matches(agency_a, id);
CREATE INDEX matches_by_agency_b ON matches(agency_b, id);
-- A record's matches, when it changes (the unique index serves record_a only with a kind).
CREATE INDEX matches_by_record_a ON matches(record_a);
CREATE INDEX matches_by_record_b ON matches(record_b);

-- Blocking keys: 64-bit keyed hashes (the u64 stored as its two's-complement BIGINT) under
-- which a record is filed, so a new record reads only the records that share a key with it
-- instead of every stored one. The primary key is the candidate lookup; INCLUDE keeps the
-- agency in the index, so the lookup is index-only.
CREATE TABLE match_keys (
    kind      TEXT NOT NULL,
    key       BIGINT NOT NULL,
    record_id UUID NOT NULL,
    agency_id UUID NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (kind, key, record_id) INCLUDE (agency_id)
);
-- A record's keys are replaced, not accumulated, when it changes. Record first: an index
-- that began with `kind` would look, to a planner without statistics, as good as the primary
-- key for the candidate lookup, and SQLite then scans every key of the kind (a minute at a
-- million records instead of milliseconds).
CREATE INDEX match_keys_by_record ON match_keys(record_id, kind);

-- The blind encoding of a sealed record: all that matching ever reads of it.
CREATE TABLE match_encodings (
    kind      TEXT NOT NULL,
    record_id UUID NOT NULL,
    agency_id UUID NOT NULL REFERENCES agencies(id),
    encoding  BYTEA NOT NULL,
    PRIMARY KEY (kind, record_id)
);
