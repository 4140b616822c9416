-- Which layout of blocking keys the stored keys of each kind were filed by, when all of them
-- were last filed (`dokaz match run`, `dokaz match rotate-key`) or when there were none. A
-- build that files keys differently sees another layout here and tells its operator to run
-- `dokaz match run`: until then, records filed by the old layout are missed, not mismatched.
CREATE TABLE match_key_layouts (
    kind   TEXT PRIMARY KEY,
    layout BIGINT NOT NULL
);

-- A kind with no keys filed yet is at the layout of the build that brings this table (the
-- numbers of `dokaz_match::keys::layout` then); a kind with keys filed by an earlier build is
-- left unknown, which the node reports until `dokaz match run` files them again.
INSERT INTO match_key_layouts (kind, layout)
SELECT k.kind, k.layout
FROM (SELECT 'incident' AS kind, 1 AS layout
      UNION ALL SELECT 'person', 3
      UNION ALL SELECT 'unit', 1) AS k
WHERE NOT EXISTS (SELECT 1 FROM match_keys m WHERE m.kind = k.kind);
