-- The registry: agencies, users, incidents, cases, persons, units.
-- Each record is kept whole as its JSON document (`doc`); the other columns are projections
-- that SQLite indexes, filters or constrains. Times are UTC microseconds since the epoch.

CREATE TABLE agencies (
    id   BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    doc  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            BLOB PRIMARY KEY NOT NULL,
    agency_id     BLOB NOT NULL REFERENCES agencies(id),
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    doc           TEXT NOT NULL
) STRICT;
CREATE INDEX users_by_agency ON users(agency_id, id);

CREATE TABLE incidents (
    id             BLOB PRIMARY KEY NOT NULL,
    agency_id      BLOB NOT NULL REFERENCES agencies(id),
    reference      TEXT,
    occurred_start INTEGER NOT NULL,
    occurred_end   INTEGER NOT NULL,
    lat            REAL,
    lon            REAL,
    classification TEXT NOT NULL,
    doc            TEXT NOT NULL,
    UNIQUE (agency_id, reference)
) STRICT;
CREATE INDEX incidents_by_agency ON incidents(agency_id, id);
CREATE INDEX incidents_by_time ON incidents(occurred_start, occurred_end);

CREATE TABLE cases (
    id             BLOB PRIMARY KEY NOT NULL,
    agency_id      BLOB NOT NULL REFERENCES agencies(id),
    reference      TEXT NOT NULL,
    classification TEXT NOT NULL,
    doc            TEXT NOT NULL,
    UNIQUE (agency_id, reference)
) STRICT;

CREATE TABLE persons (
    id             BLOB PRIMARY KEY NOT NULL,
    agency_id      BLOB NOT NULL REFERENCES agencies(id),
    classification TEXT NOT NULL,
    protected      INTEGER NOT NULL,
    doc            TEXT NOT NULL
) STRICT;
CREATE INDEX persons_by_agency ON persons(agency_id, id);

CREATE TABLE units (
    id             BLOB PRIMARY KEY NOT NULL,
    agency_id      BLOB NOT NULL REFERENCES agencies(id),
    classification TEXT NOT NULL,
    doc            TEXT NOT NULL
) STRICT;
CREATE INDEX units_by_agency ON units(agency_id, id);
