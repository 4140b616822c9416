//! Bad CSV gives one clear error per bad row, with its line number and field.

use chrono::Utc;
use dokaz_import::{read_incidents, Context, FileError, Format, MAX_FIELD_BYTES};
use dokaz_model::{AgencyId, Crime};

fn ctx() -> Context {
    Context {
        agency: AgencyId::new(),
        user: None,
        now: Utc::now(),
    }
}

const HEADER: &str = "title,occurred_at,lat,lon,crime,narrative,reference\n";

#[test]
fn valid_rows_parse_with_codes_and_places() {
    let csv = format!("{HEADER}Strike on hospital,2022-03-09,47.0951,37.5413,rs-8-2-b-ix;ua-cc-438,Удар по лікарні,R1\n");
    let p = read_incidents(csv.as_bytes(), Format::Csv, &ctx()).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.incidents.len(), 1);
    assert_eq!(
        p.incidents[0].crimes,
        vec![Crime::WcAttackingProtectedObjects, Crime::UaLawsOfWar]
    );
    assert_eq!(p.incidents[0].narratives[0].text, "Удар по лікарні");
}

#[test]
fn each_bad_row_is_named_by_line_and_field() {
    let csv = format!(
        "{HEADER}ok,2022-03-09,50.1,30.1,rs-8-2-b-i,,A\n\
         bad date,2022-02-30,50.1,30.1,rs-8-2-b-i,,B\n\
         bad lat,2022-03-09,123,30.1,rs-8-2-b-i,,C\n\
         bad code,2022-03-09,50.1,30.1,rs-9,,D\n\
         short row,2022-03-09\n\
         dup,2022-03-09,50.1,30.1,rs-8-2-b-i,,A\n"
    );
    let p = read_incidents(csv.as_bytes(), Format::Csv, &ctx()).unwrap();
    let msgs: Vec<String> = p.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        msgs,
        [
            "line 3: occurred_at: \"2022-02-30\" is not a day of the calendar",
            "line 4: lat: must be within -90..90",
            "line 5: crime: unknown crime code \"rs-9\"",
            "line 6: row: has 2 fields; the header has 7",
            "line 7: reference: \"A\" is already used on line 2",
        ]
    );
    assert_eq!(p.incidents.len(), 1);
    assert_eq!(p.rows, 6);
}

#[test]
fn missing_columns_refuse_the_file() {
    let err = read_incidents("title,lat\nx,1\n".as_bytes(), Format::Csv, &ctx()).unwrap_err();
    assert!(matches!(err, FileError::MissingColumns { .. }));
    assert!(
        err.to_string()
            .starts_with("missing required column(s): occurred_at, lon, crime"),
        "{err}"
    );
}

#[test]
fn huge_field_and_invalid_utf8_are_row_errors() {
    let mut csv = HEADER.as_bytes().to_vec();
    csv.extend_from_slice(b"big,2022-03-09,50,30,rs-8-2-b-i,");
    csv.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    csv.extend_from_slice(b",R\nlatin1 caf\xe9,2022-03-09,50,30,rs-8-2-b-i,,S\n");
    let p = read_incidents(&csv[..], Format::Csv, &ctx()).unwrap();
    assert_eq!(p.errors.len(), 2);
    assert_eq!(p.errors[0].line, 2);
    assert_eq!(
        p.errors[0].problems.to_string(),
        format!("narrative: is 10485760 bytes long; the limit is {MAX_FIELD_BYTES}")
    );
    assert_eq!(p.errors[1].line, 3);
    assert!(p.errors[1]
        .problems
        .to_string()
        .starts_with("title: is not valid UTF-8"));
}

#[test]
fn json_lines_errors_name_the_json_path() {
    let jsonl = concat!(
        r#"{"title":"t","occurred":{"start":"2022-03-09T10:00:00Z"},"crimes":["rs-8-2-a-i"]}"#,
        "\n",
        r#"{"title":"t","occurred":{"start":"2022-03-09T10:00:00Z"},"crimes":["rs-8-2-a-i","nope"]}"#,
        "\n",
        r#"{"title":"t","occurred":{"start":"2022-03-09T10:00:00Z"},"crimes":["rs-8-2-a-i"],"location":{"coordinates":{"lat":95,"lon":1}}}"#,
        "\n",
        "{not json\n",
    );
    let p = read_incidents(jsonl.as_bytes(), Format::JsonLines, &ctx()).unwrap();
    assert_eq!(p.incidents.len(), 1);
    let msgs: Vec<String> = p.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        msgs[0].starts_with("line 2: incident.crimes[1]: unknown crime code \"nope\""),
        "{msgs:?}"
    );
    assert_eq!(
        msgs[1],
        "line 3: incident.location.lat: must be within -90..90"
    );
    assert!(msgs[2].starts_with("line 4: incident:"), "{msgs:?}");
}
