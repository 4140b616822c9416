//! Bad input, from files on disk: every refused row names its line, its field and the reason,
//! and nothing is written unless every row is valid or invalid rows may be skipped.

mod common;

use std::io::Write;

use common::{agency, counts, Import};
use dokaz_import::{Encoding, Kind, Mapping, MAX_FIELD_BYTES, MAX_ROW_BYTES};
use dokaz_store::PageRequest;

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn messages(r: &dokaz_import::sync::Report) -> Vec<String> {
    r.errors.iter().map(ToString::to_string).collect()
}

async fn persons(store: &dyn dokaz_store::Store, a: dokaz_model::AgencyId) -> usize {
    store
        .list_persons(Some(a), PageRequest::first(100))
        .await
        .unwrap()
        .items
        .len()
}

#[tokio::test]
async fn a_broken_quote_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "BAD").await;
    let p = file(
        &dir,
        "quote.csv",
        b"external_id,full_name,birth_date\nA,Olena,1979\nB,\"Andrii,1985\nC,Maria,2010\n",
    );
    let (r, _) = Import::new(Kind::Persons, p.clone(), "s")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(
        messages(&r),
        ["line 3: row: has 2 fields; the header has 3 — a quote opened on this line is probably never closed"]
    );
    assert!(!r.summary.written);
    assert_eq!(persons(store.as_ref(), a).await, 0);
    // With --skip-invalid the row before it is imported.
    let (r, _) = Import::new(Kind::Persons, p, "s")
        .skip_invalid()
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(counts(&r), (1, 0, 0, 1));
    assert_eq!(persons(store.as_ref(), a).await, 1);
}

#[tokio::test]
async fn a_runaway_quote_stops_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "RUN").await;
    let path = dir.path().join("runaway.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"external_id,full_name\nA,Olena\nB,\"never closed\n")
        .unwrap();
    let line = "x,y\n".repeat(1 << 16);
    for _ in 0..(MAX_ROW_BYTES as usize / line.len() + 2) {
        f.write_all(line.as_bytes()).unwrap();
    }
    drop(f);
    let (r, _) = Import::new(Kind::Persons, path, "s")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    let m = messages(&r);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("line 3: row: unreadable CSV: a row is longer than 16 MiB"),
        "{m:?}"
    );
    assert_eq!(persons(store.as_ref(), a).await, 0);
}

#[tokio::test]
async fn a_huge_field_is_refused_on_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "HUGE").await;
    let mut csv = b"external_id,full_name,place_of_origin\nA,Olena,Irpin\nB,Andrii,".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 2 * MAX_FIELD_BYTES));
    csv.extend_from_slice(b"\nC,Maria,Bucha\n");
    let p = file(&dir, "huge.csv", &csv);
    let (r, _) = Import::new(Kind::Persons, p, "s")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(
        messages(&r),
        [format!(
            "line 3: place_of_origin: is {} bytes long; the limit is {MAX_FIELD_BYTES}",
            2 * MAX_FIELD_BYTES
        )]
    );
    assert_eq!(r.summary.rows, 3);
    assert_eq!(persons(store.as_ref(), a).await, 0);
}

#[tokio::test]
async fn a_wrong_encoding_is_named_per_cell_and_detection_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "ENC").await;
    // "Коваленко Олена" in Windows-1251, in a file with an ASCII header.
    let mut csv = b"external_id,full_name\nA,".to_vec();
    csv.extend_from_slice(&[
        0xCA, 0xEE, 0xE2, 0xE0, 0xEB, 0xE5, 0xED, 0xEA, 0xEE, 0x20, 0xCE, 0xEB, 0xE5, 0xED, 0xE0,
    ]);
    csv.push(b'\n');
    let p = file(&dir, "cp1251.csv", &csv);
    let mut declared = Import::new(Kind::Persons, p.clone(), "s");
    declared.encoding = Some(Encoding::Utf8);
    let (r, _) = declared.run(store.as_ref(), a).await.unwrap();
    assert_eq!(
        messages(&r),
        [
            "line 2: full_name: is not valid UTF-8 (bad byte at offset 0); declare the file's \
          encoding with --encoding (e.g. windows-1251) or save it as UTF-8"
        ]
    );
    let (r, _) = Import::new(Kind::Persons, p, "s")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(counts(&r), (1, 0, 0, 0));
    let page = store
        .list_persons(Some(a), PageRequest::first(5))
        .await
        .unwrap();
    assert_eq!(page.items[0].names[0].full, "Коваленко Олена");
}

#[tokio::test]
async fn impossible_dates_and_duplicate_ids_name_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "DATE").await;
    let p = file(
        &dir,
        "register.csv",
        "ID,Прізвище,Ім'я,Дата народження\n\
         1,Коваленко,Олена,31.02.1979\n\
         2,Шевчук,Андрій,05.1985\n\
         2,Бойко,Марія,01.01.2010\n\
         3,Бойко,Марія,01.01.2110\n"
            .as_bytes(),
    );
    let (r, _) = Import::new(Kind::Persons, p, "register")
        .mapping("generic")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(
        messages(&r),
        [
            "line 2: Дата народження: \"31.02.1979\" is not a day of the calendar",
            "line 4: external_id: \"2\" is already used on line 3",
            "line 5: Дата народження (birth_date): must be between 1880 and today",
        ]
    );
    assert_eq!(persons(store.as_ref(), a).await, 0);
    // dokaz's own layout names its own column.
    let own = file(
        &dir,
        "own.csv",
        b"external_id,full_name,birth_date\nA,Olena,1979-02-30\n",
    );
    let (r, _) = Import::new(Kind::Persons, own, "s")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(
        messages(&r),
        ["line 2: birth_date: \"1979-02-30\" is not a day of the calendar"]
    );
}

#[test]
fn an_unknown_mapping_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(
        &dir,
        "mine.toml",
        b"kind = \"persons\"\n[external_id]\ncolumn = \"ID\"\n[fields.full_name]\ncolumn = \"Name\"\nsplitt = \" \"\n",
    );
    let e = Mapping::parse(&std::fs::read_to_string(&p).unwrap()).unwrap_err();
    assert_eq!(e.key, "line 6");
    assert!(
        e.message
            .starts_with("unknown field `splitt`, expected one of"),
        "{e}"
    );
    let p = file(
        &dir,
        "field.toml",
        b"kind = \"persons\"\n[fields.surname]\ncolumn = \"Name\"\n",
    );
    let e = Mapping::parse(&std::fs::read_to_string(&p).unwrap()).unwrap_err();
    assert_eq!(e.key, "fields.surname");
    assert!(e.message.contains("full_name, given, family"), "{e}");
}

#[tokio::test]
async fn links_to_records_never_imported_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "LNK").await;
    let p = file(
        &dir,
        "links.csv",
        b"link,from,to,role\nincident-person,I-9,P-9,witness\nincident-thing,I-1,P-1,\n",
    );
    let (r, rows) = Import::new(Kind::Links, p, "s")
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(
        messages(&r),
        ["line 3: link: \"incident-thing\" is not incident-person, incident-unit or case-incident"]
    );
    assert!(rows.is_empty(), "nothing planned for a refused file");
    let (r, rows) = Import::new(Kind::Links, dir.path().join("links.csv"), "s")
        .skip_invalid()
        .run(store.as_ref(), a)
        .await
        .unwrap();
    assert_eq!(counts(&r), (0, 0, 0, 2));
    let refused: Vec<String> = rows[0].problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        refused,
        [
            "from: no incident with external id \"I-9\" in source \"s\"; import it first",
            "to: no person with external id \"P-9\" in source \"s\"; import it first",
        ]
    );
}
