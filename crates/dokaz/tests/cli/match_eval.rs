//! `dokaz match calibrate` and `dokaz match eval` on a small labelled corpus, with the real
//! binary: the weights file is written and read back, and the scores are those of a matcher
//! that works (a broken comparison or blocking would fall far below these bounds).

use std::path::Path;

use crate::common::{ok, run};
use serde_json::Value;

fn corpus(dir: &Path, seed: &str) {
    ok(&run(&[
        "demo",
        "--labelled",
        dir.to_str().unwrap(),
        "--incidents",
        "1500",
        "--persons",
        "1500",
        "--seed",
        seed,
    ]));
}

#[test]
fn calibrate_on_one_corpus_and_evaluate_on_another() {
    let tmp = tempfile::tempdir().unwrap();
    let (cal, test) = (tmp.path().join("cal"), tmp.path().join("test"));
    corpus(&cal, "11");
    corpus(&test, "12");
    let weights = tmp.path().join("weights.toml");
    ok(&run(&[
        "match",
        "calibrate",
        cal.to_str().unwrap(),
        "--out",
        weights.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&weights).unwrap();
    assert!(
        text.contains("[thresholds]") && text.contains("\"person.family.same\""),
        "{text}"
    );
    // Never overwrites.
    assert!(!run(&[
        "match",
        "calibrate",
        cal.to_str().unwrap(),
        "--out",
        weights.to_str().unwrap()
    ])
    .status
    .success());

    let report: Value = serde_json::from_str(&ok(&run(&[
        "--json",
        "match",
        "eval",
        test.to_str().unwrap(),
        "--weights",
        weights.to_str().unwrap(),
    ])))
    .unwrap();
    for kind in ["incidents", "persons"] {
        let k = &report[kind];
        assert_eq!(k["records"], 1500, "{report}");
        assert!(k["true_pairs"].as_u64().unwrap() > 300, "{report}");
        let open = k["open"]["f1"].as_f64().unwrap();
        let blind = k["blind"]["f1"].as_f64().unwrap();
        assert!(open > 0.85, "{kind} open F1 {open}");
        assert!(blind > 0.8, "{kind} blind F1 {blind}");
    }
    // A weights file naming an unknown level is refused by name.
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[weights]\n\"person.shoe-size.same\" = 1.0\n").unwrap();
    let out = run(&[
        "match",
        "eval",
        test.to_str().unwrap(),
        "--weights",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("person.shoe-size.same"));
}
