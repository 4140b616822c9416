//! `dokaz demo --labelled DIR`: the real binary writes the labelled corpus, reads back with
//! the library's reader, and never writes into a directory that holds anything.

use crate::common::{dokaz, ok};

#[test]
fn writes_a_corpus_that_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let corpus_arg = corpus.to_str().unwrap();
    let out = ok(&dokaz(
        &tmp.path().join("node"),
        &[
            "--json",
            "demo",
            "--labelled",
            corpus_arg,
            "--agencies",
            "7",
            "--incidents",
            "400",
            "--persons",
            "600",
            "--units",
            "20",
            "--seed",
            "3",
        ],
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["manifest"]["format"], "dokaz-labelled-corpus-v1");
    assert_eq!(report["manifest"]["agencies"], 7);
    assert_eq!(report["manifest"]["counts"]["persons"], 600);
    assert_eq!(report["agencies"].as_array().unwrap().len(), 7);
    assert!(report["persons"]["sizes"][2].as_u64().unwrap() > 0);
    assert!(
        !tmp.path().join("node").exists(),
        "--labelled creates no node"
    );

    let read = dokaz_demo::read_labelled(&corpus).unwrap();
    assert_eq!(read.incidents.len(), 400);
    assert_eq!(read.persons.len(), 600);
    assert_eq!(read.units.len(), 20);
    assert_eq!(read.agencies.len(), 7);
    assert_eq!(read.links.len() as u64, read.manifest.counts.links);
    let csv = std::fs::read_to_string(corpus.join("persons.csv")).unwrap();
    assert_eq!(csv.lines().count(), 601);

    // The same seed through the library gives the same bytes as through the command line.
    let again = tmp.path().join("again");
    let spec = dokaz_demo::LabelledSpec {
        seed: 3,
        agencies: 7,
        incidents: 400,
        persons: 600,
        units: 20,
        overlap: 0.3,
    };
    dokaz_demo::write_labelled(&spec, &again, |_| {}).unwrap();
    for f in [
        "incidents.jsonl",
        "persons.jsonl",
        "links.jsonl",
        "persons.csv",
    ] {
        assert!(
            std::fs::read(corpus.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(),
            "{f} differs"
        );
    }

    // Human-readable output names the directory and the command to score a matcher.
    let text = ok(&dokaz(
        &tmp.path().join("node"),
        &[
            "demo",
            "--labelled",
            tmp.path().join("text").to_str().unwrap(),
            "--incidents",
            "50",
            "--persons",
            "50",
            "--units",
            "5",
        ],
    ));
    assert!(text.contains("dokaz match eval"), "{text}");
}

#[test]
fn refuses_a_directory_that_is_not_empty_and_bad_options() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = dokaz(
        &tmp.path().join("node"),
        &[
            "demo",
            "--labelled",
            dir.to_str().unwrap(),
            "--persons",
            "10",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    // An empty directory is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    ok(&dokaz(
        &tmp.path().join("node"),
        &[
            "demo",
            "--labelled",
            empty.to_str().unwrap(),
            "--incidents",
            "20",
            "--persons",
            "20",
            "--units",
            "4",
        ],
    ));
    assert!(empty.join("manifest.json").exists());

    let fresh = tmp.path().join("fresh");
    for bad in [
        vec!["--agencies", "11"],
        vec!["--agencies", "1"],
        vec!["--overlap", "1.5"],
    ] {
        let mut args = vec!["demo", "--labelled", fresh.to_str().unwrap()];
        args.extend(bad.iter().copied());
        let out = dokaz(&tmp.path().join("node"), &args);
        assert!(!out.status.success(), "{bad:?} accepted");
    }
    assert!(!fresh.join("manifest.json").exists());

    // Ten agencies are for the labelled corpus only; a demo node keeps its limit of eight.
    let out = dokaz(&tmp.path().join("node"), &["demo", "--agencies", "9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2..=8"));
    assert!(!tmp.path().join("node").join("dokaz.db").exists());
}
