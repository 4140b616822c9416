-- The registry: agencies, users, incidents, cases, persons, units.
-- Each record is kept whole as its JSON document (`doc`); the other columns are projections
-- that PostgreSQL indexes, filters or constrains. The same shape as the SQLite backend's.

CREATE TABLE agencies (
    id   UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    doc  JSONB NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    agency_id     UUID NOT NULL REFERENCES agencies(id),
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    doc           JSONB NOT NULL
);
CREATE INDEX users_by_agency ON users(agency_id, id);

CREATE TABLE incidents (
    id             UUID PRIMARY KEY,
    agency_id      UUID NOT NULL REFERENCES agencies(id),
    reference      TEXT,
    occurred_start TIMESTAMPTZ NOT NULL,
    occurred_end   TIMESTAMPTZ NOT NULL,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    classification TEXT NOT NULL,
    doc            JSONB NOT NULL,
    UNIQUE (agency_id, reference)
);
CREATE INDEX incidents_by_agency ON incidents(agency_id, id);
CREATE INDEX incidents_by_time ON incidents(occurred_start, occurred_end);

CREATE TABLE cases (
    id             UUID PRIMARY KEY,
    agency_id      UUID NOT NULL REFERENCES agencies(id),
    reference      TEXT NOT NULL,
    classification TEXT NOT NULL,
    doc            JSONB NOT NULL,
    UNIQUE (agency_id, reference)
);

CREATE TABLE persons (
    id             UUID PRIMARY KEY,
    agency_id      UUID NOT NULL REFERENCES agencies(id),
    classification TEXT NOT NULL,
    protected      BOOLEAN NOT NULL,
    doc            JSONB NOT NULL
);
CREATE INDEX persons_by_agency ON persons(agency_id, id);

CREATE TABLE units (
    id             UUID PRIMARY KEY,
    agency_id      UUID NOT NULL REFERENCES agencies(id),
    classification TEXT NOT NULL,
    doc            JSONB NOT NULL
);
CREATE INDEX units_by_agency ON units(agency_id, id);
