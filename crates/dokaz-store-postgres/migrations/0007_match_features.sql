-- What matching compares of an open record, filed beside its blocking keys: a new record
-- reads these few hundred bytes per candidate instead of the whole record, and does not
-- derive them again (folding narratives is most of the cost of matching against a busy
-- place). A cache of the record, versioned inside the bytes; never held for a sealed
-- record, of which matching reads only the blind encoding.
CREATE TABLE match_features (
    kind      TEXT NOT NULL,
    record_id UUID NOT NULL,
    features  BYTEA NOT NULL,
    PRIMARY KEY (kind, record_id)
);
