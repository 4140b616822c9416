#!/usr/bin/env python3
"""Splink (DuckDB backend) on a dokaz labelled corpus, for `bench/splink.sh` (issue 5).

    splink_run.py CORPUS_DIR OUT.json            # the timed run: read, prepare, train, predict, score
    splink_run.py CORPUS_DIR OUT.json --count    # untimed: exact number of blocked pairs

Reads CORPUS_DIR/persons.csv (the flat table `dokaz demo --labelled` writes for external tools)
and CORPUS_DIR/links.jsonl (the truth), and writes its figures as JSON to OUT.json.

What Splink is given, so that its comparisons see comparable strings (all counted in its time):
- names given as one string only (empty `given` and `family`) are split: `FAMILY, Given`, an
  all-capitals word as the family name, otherwise family first in Cyrillic, given first in
  Latin script (the corpus's own conventions);
- every name part and the place of origin is folded: Cyrillic transliterated to Latin
  (Ukrainian and Russian letters, one table), lower case, diacritics dropped, and the spellings
  of the romanisations in the corpus merged (German sch/tsch/schtsch, Polish sz/cz/szcz,
  French tch/ou, j/y/i, g/h, kh/h, w/v, z/s, ie/e, double letters) -- a phonetic skeleton, the
  same for blocking and comparing.

Blocking: dokaz's person keys (crates/dokaz-match/src/person.rs `filed_keys`), on the folded
names, each restricted to pairs of different agencies as dokaz is:
  (family, birth year); (given, first letter of family, birth year); then, as in dokaz only for
  birth years at most one apart or a birth year unknown on either side: {family, given} in
  either order; (given, first 3 letters of family) and (family, first 3 of given), also
  crosswise (given = family and family-prefix = given-prefix); (given, last 6 letters of
  family) and, for families of at most 7 letters, (given, last 4 letters of family).
Comparisons: family, given (Splink's NameComparison: exact, Jaro-Winkler >= .92/.88/.70),
patronymic (Jaro-Winkler .9), birth date (exact, same year and month, same year, year +-1),
sex, origin (Jaro-Winkler .9, .7).
Training (Splink's usual, no labels): the prior from a deterministic rule, u by random
sampling (2M pairs), m by EM on two blocking rules (names; birth date and sex; 1M pairs each).
The labels are used for one thing only: the match
weight threshold is the one with the best F1 on this very corpus (an oracle threshold: dokaz's
threshold comes from `dokaz match calibrate` on another corpus, so this favours Splink).
"""
import json
import os
import re
import sys
import time
import unicodedata

T0 = time.time()

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import splink  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

# ---------------------------------------------------------------- folding
CYR = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ё": "e", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "", "’": "",
    "ʼ": "", "`": "", "ł": "l", "ß": "ss", "-": " ",
}
CYR_TABLE = str.maketrans(CYR)
# Romanisation spellings merged, longest first. Applied to lower-case ASCII.
LATIN = [
    ("schtsch", "shch"), ("szcz", "shch"), ("shtsh", "shch"), ("tsch", "ch"), ("sch", "sh"),
    ("tch", "ch"), ("cz", "ch"), ("sz", "sh"), ("zh", "sh"), ("dj", "di"), ("kh", "h"),
    ("ch", "ch"), ("ou", "u"), ("ph", "f"), ("w", "v"), ("x", "ks"), ("q", "k"),
    ("tz", "ts"), ("j", "i"), ("y", "i"), ("g", "h"), ("z", "s"), ("ie", "e"),
    ("ii", "i"), ("ck", "k"),
]
LATIN_RE = re.compile("|".join(re.escape(a) for a, _ in LATIN))
LATIN_MAP = dict(LATIN)
DOUBLE_RE = re.compile(r"(.)\1+")
NONALPHA_RE = re.compile(r"[^a-z ]+")


def fold(s):
    if not s:
        return None
    s = s.lower().translate(CYR_TABLE)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = NONALPHA_RE.sub("", s)
    s = LATIN_RE.sub(lambda m: LATIN_MAP[m.group(0)], s)
    s = DOUBLE_RE.sub(r"\1", s)
    s = " ".join(s.split())
    return s or None


def q(con, sql):
    """Runs SQL to completion (DuckDB refuses new work while a result is unread)."""
    return con.execute(sql).fetchall()


CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


PATRONYMIC_ENDS = ("ovich", "evich", "ivna", "ovna", "evna", "ichna")


def is_patronymic(tok):
    f = fold(tok) or ""
    return f.endswith(PATRONYMIC_ENDS)


def split_full(full):
    """(given, family, patronymic) of a name given as one string."""
    full = (full or "").strip()
    if not full:
        return None, None, None
    if "," in full:
        fam, rest = full.split(",", 1)
        toks = rest.split()
        return (toks[0] if toks else None), fam.strip(), (toks[1] if len(toks) > 1 else None)
    toks = full.split()
    patr = [i for i, t in enumerate(toks) if is_patronymic(t)]
    p = toks[patr[-1]] if patr and len(toks) > 1 else None
    rest = [t for i, t in enumerate(toks) if not (p is not None and i == patr[-1])]
    if len(rest) == 1:  # "Олена Іванівна" is a given name and patronymic; a lone word a family name
        return (rest[0], None, p) if p is not None else (None, rest[0], None)
    caps = [t for t in rest if len(t) > 1 and t.isupper()]
    cyrillic = CYRILLIC_RE.search(full)
    if len(caps) == 1 and not cyrillic:
        fam = caps[0]
        others = [t for t in rest if t is not fam]
        return others[0], fam, p
    if p is not None and patr[-1] == 1 and len(toks) >= 3:  # given patronymic family
        return toks[0], toks[-1], p
    if cyrillic:  # family first, as most Cyrillic records
        return rest[1], rest[0], p
    return rest[0], rest[-1], p  # Latin script: given first, family last


def prepare(con, corpus):
    """The persons table with folded columns; returns seconds spent."""
    t = time.time()
    q(con,
        f"""CREATE TABLE raw AS SELECT row_number() OVER () AS unique_id, *
            FROM read_csv('{corpus}/persons.csv', header=true, all_varchar=true)"""
    )
    # Names kept as one string: split them in Python.
    rows = q(con,
        "SELECT unique_id, full_name FROM raw WHERE coalesce(given,'')='' AND coalesce(family,'')=''"
    )
    split = [(uid, *split_full(full)) for uid, full in rows]
    q(con, "CREATE TABLE split(unique_id BIGINT, given VARCHAR, family VARCHAR, patronymic VARCHAR)")
    if split:
        cols = list(zip(*split))
        split_arrow = pa.table({
            "unique_id": pa.array(cols[0], pa.int64()), "given": pa.array(cols[1], pa.string()),
            "family": pa.array(cols[2], pa.string()), "patronymic": pa.array(cols[3], pa.string()),
        })
        con.register("split_arrow", split_arrow)
        q(con, "INSERT INTO split SELECT * FROM split_arrow")
        con.unregister("split_arrow")
    q(con,
        """CREATE TABLE named AS SELECT r.unique_id, r.id, r.agency,
             coalesce(s.given, nullif(r.given,'')) AS given_raw,
             coalesce(s.family, nullif(r.family,'')) AS family_raw,
             coalesce(s.patronymic, nullif(r.patronymic,'')) AS patr_raw,
             nullif(r.birth_date,'') AS birth_date, nullif(r.sex,'') AS sex,
             nullif(r.origin,'') AS origin_raw
           FROM raw r LEFT JOIN split s USING (unique_id)"""
    )
    q(con, "DROP TABLE raw; DROP TABLE split")
    # Fold each distinct string once.
    distinct = [
        v for (v,) in q(con,
            """SELECT DISTINCT v FROM (SELECT given_raw v FROM named UNION ALL SELECT family_raw FROM named
               UNION ALL SELECT patr_raw FROM named UNION ALL SELECT origin_raw FROM named) WHERE v IS NOT NULL"""
        )
    ]
    folded = pa.table({"raw": pa.array(distinct, pa.string()),
                       "f": pa.array([fold(v) for v in distinct], pa.string())})
    con.register("fold_arrow", folded)
    q(con, "CREATE TABLE fold AS SELECT * FROM fold_arrow")
    con.unregister("fold_arrow")
    q(con,
        """CREATE TABLE persons AS SELECT n.unique_id, n.id, n.agency,
             g.f AS given, f.f AS family, p.f AS patronymic, o.f AS origin,
             n.birth_date, n.sex,
             TRY_CAST(substr(n.birth_date,1,4) AS INTEGER) AS byear,
             least(g.f, f.f) AS name_lo, greatest(g.f, f.f) AS name_hi,
             substr(g.f,1,3) AS given3, substr(f.f,1,3) AS family3,
             right(f.f, 6) AS family_tail,
             CASE WHEN length(f.f) <= 7 THEN right(f.f, 4) END AS family_short_tail
           FROM named n
           LEFT JOIN fold g ON g.raw = n.given_raw
           LEFT JOIN fold f ON f.raw = n.family_raw
           LEFT JOIN fold p ON p.raw = n.patr_raw
           LEFT JOIN fold o ON o.raw = n.origin_raw
           ORDER BY n.unique_id"""
    )
    q(con, "DROP TABLE named; DROP TABLE fold")
    return time.time() - t


# Training sample sizes: u from 2M random pairs (Splink's default is 1M, its tutorials use
# 1M-10M), each EM pass on at most 1M blocked pairs.
U_PAIRS = 2e6
EM_PAIRS = 1e6
DIFF = " AND l.agency <> r.agency"
# dokaz's person keys (see the module doc), as Splink blocking rules.
# The name keys hold for birth years at most one apart, or when either is unknown.
YEAR = " AND (l.byear IS NULL OR r.byear IS NULL OR abs(l.byear - r.byear) <= 1)"
BLOCKING = [
    "l.family = r.family AND l.byear = r.byear" + DIFF,
    "l.given = r.given AND substr(l.family,1,1) = substr(r.family,1,1) AND l.byear = r.byear" + DIFF,
    "l.name_lo = r.name_lo AND l.name_hi = r.name_hi" + YEAR + DIFF,
    "l.given = r.given AND l.family3 = r.family3" + YEAR + DIFF,
    "l.family = r.family AND l.given3 = r.given3" + YEAR + DIFF,
    "l.given = r.family AND l.family3 = r.given3" + YEAR + DIFF,
    "l.family = r.given AND l.given3 = r.family3" + YEAR + DIFF,
    "l.given = r.given AND l.family_tail = r.family_tail" + YEAR + DIFF,
    "l.given = r.given AND l.family_short_tail = r.family_short_tail" + YEAR + DIFF,
]


def birth_date_comparison():
    null = "birth_date_l IS NULL OR birth_date_r IS NULL"
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            {"sql_condition": null, "label_for_charts": "null", "is_null_level": True},
            {"sql_condition": "birth_date_l = birth_date_r", "label_for_charts": "exact"},
            {"sql_condition": "length(birth_date_l) >= 7 AND length(birth_date_r) >= 7 AND "
                              "substr(birth_date_l,1,7) = substr(birth_date_r,1,7)",
             "label_for_charts": "same year and month"},
            {"sql_condition": "byear_l = byear_r", "label_for_charts": "same year"},
            {"sql_condition": "abs(byear_l - byear_r) <= 1", "label_for_charts": "year +-1"},
            {"sql_condition": "ELSE", "label_for_charts": "else"},
        ],
    )


def settings():
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=BLOCKING,
        comparisons=[
            cl.NameComparison("family"),
            cl.NameComparison("given"),
            cl.JaroWinklerAtThresholds("patronymic", [0.9]),
            birth_date_comparison(),
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("origin", [0.9, 0.7]),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["agency"],
    )


def truth(con, corpus):
    """Cluster of every record (star-shaped links: `b` belongs to `a`'s cluster) and the
    number of true pairs."""
    q(con,
        f"""CREATE TABLE links AS SELECT pair.a::VARCHAR AS a, pair.b::VARCHAR AS b
            FROM read_json('{corpus}/links.jsonl', format='newline_delimited')
            WHERE pair.kind = 'person'"""
    )
    q(con,
        """CREATE TABLE cluster AS SELECT p.unique_id, coalesce(l.a, p.id) AS c
           FROM persons p LEFT JOIN links l ON l.b = p.id"""
    )
    (true_pairs,) = q(con,
        "SELECT coalesce(sum(n*(n-1)/2),0)::BIGINT FROM (SELECT count(*) n FROM cluster GROUP BY c)"
    )[0]
    return int(true_pairs)


def best_f1(con, table, true_pairs):
    """Threshold (match weight >= t) with the best F1 over the labelled pairs in `table`."""
    row = q(con,
        f"""WITH g AS (SELECT w, sum(label) tp, count(*) n FROM {table} GROUP BY w),
               c AS (SELECT w, sum(tp) OVER (ORDER BY w DESC) tp, sum(n) OVER (ORDER BY w DESC) n FROM g)
            SELECT w, tp, n, 2.0*tp/(n + {true_pairs}) f1 FROM c ORDER BY f1 DESC, w DESC LIMIT 1"""
    )
    row = row[0] if row else None
    if row is None:
        return {"threshold": None, "pairs": 0, "true_positives": 0, "precision": 0, "recall": 0, "f1": 0}
    w, tp, n, f1 = row
    tp, n = int(tp), int(n)
    return {"threshold": float(w), "pairs": n, "true_positives": tp,
            "precision": tp / n if n else 0.0, "recall": tp / true_pairs if true_pairs else 1.0,
            "f1": float(f1)}


def one_to_one(con):
    """dokaz's `engine::one_to_one`: best pair first, each record keeps at most one match per
    other agency. Greedy best-first, so the pairs kept above any threshold are those the greedy
    pass over only the pairs above it would keep."""
    rows = q(con,
        """SELECT unique_id_l, unique_id_r, agency_l, agency_r, w, label FROM scored
           ORDER BY w DESC, unique_id_l, unique_id_r"""
    )
    taken = set()
    kept_w, kept_label = [], []
    for a, b, ag_a, ag_b, w, label in rows:
        ka, kb = (a, ag_b), (b, ag_a)
        if ka in taken or kb in taken:
            continue
        taken.add(ka)
        taken.add(kb)
        kept_w.append(w)
        kept_label.append(label)
    kept = pa.table({"w": pa.array(kept_w, pa.float64()), "label": pa.array(kept_label, pa.int64())})
    con.register("kept_arrow", kept)
    q(con, "CREATE TABLE kept AS SELECT * FROM kept_arrow")
    con.unregister("kept_arrow")


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    count_only = "--count" in sys.argv[3:]
    floor = float(os.environ.get("SPLINK_WEIGHT_FLOOR", "-10"))
    con = duckdb.connect()
    db_api = DuckDBAPI(con)
    res = {"tool": "splink", "version": splink.__version__, "duckdb": duckdb.__version__,
           "threads": int(q(con, "SELECT current_setting('threads')")[0][0])}
    res["prepare_seconds"] = prepare(con, corpus)
    res["records"] = q(con, "SELECT count(*) FROM persons")[0][0]
    sdf = db_api.register("persons")

    if count_only:
        from splink.blocking_analysis import count_comparisons_from_blocking_rules
        t = time.time()
        recs = count_comparisons_from_blocking_rules(
            sdf, blocking_rules=BLOCKING, link_type="dedupe_only", record_sample_proportion=1.0)
        last = recs[-1]
        cum = getattr(last, "cumulative_comparison_count", None)
        if cum is None and isinstance(last, dict):
            cum = last["cumulative_comparison_count"]
        res["comparisons"] = int(cum)
        res["count_seconds"] = time.time() - t
        json.dump(res, open(out, "w"), indent=1)
        return

    linker = Linker(sdf, settings(), log_level="WARNING")
    t = time.time()
    steps = {}

    def step(name, f, *args, **kw):
        t1 = time.time()
        f(*args, **kw)
        steps[name] = time.time() - t1

    step("prior", linker.training.estimate_probability_two_random_records_match,
         ["l.family = r.family AND l.given = r.given AND l.birth_date = r.birth_date" + DIFF], recall=0.7)
    step("u", linker.training.estimate_u_using_random_sampling, max_pairs=U_PAIRS, seed=1)
    step("em_names", linker.training.estimate_parameters_using_expectation_maximisation,
         "l.family = r.family AND l.given = r.given" + DIFF, max_pairs=EM_PAIRS)
    step("em_birth", linker.training.estimate_parameters_using_expectation_maximisation,
         "l.birth_date = r.birth_date AND l.sex = r.sex" + DIFF, max_pairs=EM_PAIRS)
    res["train_steps_seconds"] = steps
    res["train_seconds"] = time.time() - t

    t = time.time()
    pred = linker.inference.predict(threshold_match_weight=floor, warning_mode="never")
    res["predict_seconds"] = time.time() - t
    res["weight_floor"] = floor

    t = time.time()
    res["true_pairs"] = truth(con, corpus)
    q(con,
        f"""CREATE TABLE scored AS SELECT p.unique_id_l, p.unique_id_r, p.agency_l, p.agency_r,
              p.match_weight AS w, (cl.c = cr.c)::INT AS label
            FROM {pred.physical_name} p
            JOIN cluster cl ON cl.unique_id = p.unique_id_l
            JOIN cluster cr ON cr.unique_id = p.unique_id_r"""
    )
    res["pairs_above_floor"] = q(con, "SELECT count(*) FROM scored")[0][0]
    res["true_pairs_above_floor"] = int(q(con, "SELECT coalesce(sum(label),0) FROM scored")[0][0])
    res["all_pairs"] = best_f1(con, "scored", res["true_pairs"])
    one_to_one(con)
    res["one_to_one"] = best_f1(con, "kept", res["true_pairs"])
    res["score_seconds"] = time.time() - t
    res["seconds_in_process"] = time.time() - T0
    json.dump(res, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
