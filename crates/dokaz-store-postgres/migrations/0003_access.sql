-- Access: login sessions and API tokens, grants between agencies, and the audit log. The
-- same shape as the SQLite backend's.
--
-- Sessions and tokens are kept only as the SHA-256 of their secret, so a copy of this
-- database lets nobody log in. Grants are never deleted, and change only by being revoked,
-- once: a revoked grant is still the record of who could see what, and when. The audit log
-- is append-only like the custody tables, and each row is also a ledger entry (kind `audit`).

CREATE TABLE sessions (
    token_hash   BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id      UUID NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    address      TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    scopes     TEXT[] NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    UNIQUE (user_id, name)
);

CREATE TABLE grants (
    id          UUID PRIMARY KEY,
    grantor     UUID NOT NULL REFERENCES agencies(id),
    grantee     UUID NOT NULL REFERENCES agencies(id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('evidence', 'incident', 'case')),
    -- No foreign key: a grant may name a record that reached this node later, or not yet.
    target_id   UUID NOT NULL,
    level       TEXT NOT NULL,
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    doc         JSONB NOT NULL
);
-- What every access decision asks: this agency's grants on these records.
CREATE INDEX grants_by_target ON grants(grantee, target_kind, target_id);
CREATE INDEX grants_by_grantor ON grants(grantor, id);
CREATE INDEX grants_by_grantee ON grants(grantee, id);

-- No foreign keys on actor or agency: an audit record must never be refused, and a failed
-- login names no known user. `action` compares byte-wise (COLLATE "C"), so that a prefix
-- filter is a range on its index, as in SQLite.
CREATE TABLE audit_log (
    id           UUID PRIMARY KEY,
    ledger_index BIGINT NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    at           TIMESTAMPTZ NOT NULL,
    actor        UUID,
    agency       UUID,
    action       TEXT COLLATE "C" NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
    doc          JSONB NOT NULL
);
CREATE INDEX audit_log_by_agency ON audit_log(agency, id);
CREATE INDEX audit_log_by_actor ON audit_log(actor, id);
CREATE INDEX audit_log_by_action ON audit_log(action, id);
CREATE INDEX audit_log_by_time ON audit_log(at);

-- `dokaz_refuse_change` is 0002's: "<table> is append-only: <op> refused".
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION dokaz_refuse_change();

-- The one change a grant may undergo: revocation of an active grant, which sets revoked_at
-- and adds revoked_at and revoked_by to the document.
CREATE FUNCTION dokaz_grant_revocation_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'grants are never deleted: revoke them instead'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.revoked_at IS NOT NULL
        OR NEW.revoked_at IS NULL
        OR NEW.doc -> 'revoked_at' IS NULL
        OR (NEW.id, NEW.grantor, NEW.grantee, NEW.target_kind, NEW.target_id, NEW.level)
            IS DISTINCT FROM
           (OLD.id, OLD.grantor, OLD.grantee, OLD.target_kind, OLD.target_id, OLD.level)
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
        OR NEW.doc - 'revoked_at' - 'revoked_by' IS DISTINCT FROM OLD.doc - 'revoked_at' - 'revoked_by'
    THEN
        RAISE EXCEPTION 'grants are never changed, only revoked once'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER grants_revocation_only BEFORE UPDATE OR DELETE ON grants
    FOR EACH ROW EXECUTE FUNCTION dokaz_grant_revocation_only();
CREATE TRIGGER grants_no_truncate BEFORE TRUNCATE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION dokaz_refuse_change();
