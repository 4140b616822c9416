-- Access: login sessions and API tokens, grants between agencies, and the audit log.
--
-- Sessions and tokens are kept only as the SHA-256 of their secret, so a copy of this file
-- lets nobody log in. Grants are never deleted, and change only by being revoked, once: a
-- revoked grant is still the record of who could see what, and when. The audit log is
-- append-only like the custody tables, and each row is also a ledger entry (kind `audit`).

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY NOT NULL CHECK (length(token_hash) = 32),
    user_id      BLOB NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    address      TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id         BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- A JSON array of scope names.
    scopes     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    UNIQUE (user_id, name)
) STRICT;

CREATE TABLE grants (
    id          BLOB PRIMARY KEY NOT NULL,
    grantor     BLOB NOT NULL REFERENCES agencies(id),
    grantee     BLOB NOT NULL REFERENCES agencies(id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('evidence', 'incident', 'case')),
    -- No foreign key: a grant may name a record that reached this node later, or not yet.
    target_id   BLOB NOT NULL,
    level       TEXT NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER,
    doc         TEXT NOT NULL
) STRICT;
-- What every access decision asks: this agency's grants on these records.
CREATE INDEX grants_by_target ON grants(grantee, target_kind, target_id);
CREATE INDEX grants_by_grantor ON grants(grantor, id);
CREATE INDEX grants_by_grantee ON grants(grantee, id);

-- No foreign keys on actor or agency: an audit record must never be refused, and a failed
-- login names no known user.
CREATE TABLE audit_log (
    id           BLOB PRIMARY KEY NOT NULL,
    ledger_index INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    at           INTEGER NOT NULL,
    actor        BLOB,
    agency       BLOB,
    action       TEXT NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
    doc          TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_agency ON audit_log(agency, id);
CREATE INDEX audit_log_by_actor ON audit_log(actor, id);
CREATE INDEX audit_log_by_action ON audit_log(action, id);
CREATE INDEX audit_log_by_time ON audit_log(at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: records are never changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: records are never deleted');
END;
CREATE TRIGGER grants_no_delete BEFORE DELETE ON grants
BEGIN
    SELECT RAISE(ABORT, 'grants are never deleted: revoke them instead');
END;
-- The one change a grant may undergo: revocation of an active grant, which sets revoked_at
-- and adds revoked_at and revoked_by to the document.
CREATE TRIGGER grants_revocation_only BEFORE UPDATE ON grants
WHEN OLD.revoked_at IS NOT NULL
    OR NEW.revoked_at IS NULL
    OR json_extract(NEW.doc, '$.revoked_at') IS NULL
    OR NEW.id IS NOT OLD.id
    OR NEW.grantor IS NOT OLD.grantor
    OR NEW.grantee IS NOT OLD.grantee
    OR NEW.target_kind IS NOT OLD.target_kind
    OR NEW.target_id IS NOT OLD.target_id
    OR NEW.level IS NOT OLD.level
    OR NEW.expires_at IS NOT OLD.expires_at
    OR json_remove(NEW.doc, '$.revoked_at', '$.revoked_by')
        IS NOT json_remove(OLD.doc, '$.revoked_at', '$.revoked_by')
BEGIN
    SELECT RAISE(ABORT, 'grants are never changed, only revoked once');
END;
