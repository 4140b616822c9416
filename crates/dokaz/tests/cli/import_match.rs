//! An import feeds deconfliction like any other write: persons one agency keeps in Cyrillic
//! and another in Latin script appear as matches to both after the second import, and an
//! unchanged re-import finds nothing new.

use std::path::Path;

use crate::common::{dokaz, ok};
use serde_json::Value;

fn persons(dir: &Path, agency: &str) -> Value {
    let page: Value = serde_json::from_str(&ok(&dokaz(
        dir,
        &["--json", "match", "list", "--as", agency],
    )))
    .unwrap();
    page
}

#[test]
fn persons_imported_by_two_agencies_in_two_scripts_become_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    ok(&dokaz(&dir, &["init"]));
    ok(&dokaz(
        &dir,
        &[
            "admin",
            "agency",
            "add",
            "JITEU",
            "--name",
            "Joint Investigation Team",
        ],
    ));
    for (login, agency) in [("anna", "UAPGO"), ("bruno", "JITEU")] {
        ok(&dokaz(
            &dir,
            &[
                "admin",
                "user",
                "add",
                login,
                "--role",
                "investigator",
                "--agency",
                agency,
            ],
        ));
    }
    let a = tmp.path().join("uapgo.csv");
    std::fs::write(
        &a,
        "external_id,full_name,birth_date,sex,place_of_origin\n\
         P-1,Коваленко Олена Петрівна,1984-05-17,female,Ірпінь\n\
         P-2,Шевчук Андрій Іванович,1975-01-02,male,Буча\n",
    )
    .unwrap();
    let b = tmp.path().join("jit.csv");
    std::fs::write(
        &b,
        "external_id,full_name,birth_date,sex,place_of_origin\n\
         J-9,Olena Kovalenko,1984-05-17,female,Irpin\n\
         J-10,Taras Melnyk,1990-07-07,male,Kyiv\n",
    )
    .unwrap();
    ok(&dokaz(&dir, &["import", "persons", a.to_str().unwrap()]));
    let second = dokaz(
        &dir,
        &[
            "import",
            "persons",
            b.to_str().unwrap(),
            "--agency",
            "JITEU",
        ],
    );
    ok(&second);
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("deconfliction: 1 match"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    for login in ["anna", "bruno"] {
        let page = persons(&dir, login);
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{login}: {page}");
        assert_eq!(items[0]["kind"], "person");
        assert_eq!(items[0]["own"]["status"], "new", "{page}");
        assert!(
            items[0]["reasons"]
                .as_str()
                .unwrap()
                .contains("same birth date"),
            "{page}"
        );
    }
    // The unchanged nightly re-sync writes nothing, so matches nothing again.
    let again = dokaz(
        &dir,
        &[
            "import",
            "persons",
            b.to_str().unwrap(),
            "--agency",
            "JITEU",
        ],
    );
    ok(&again);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("deconfliction"));
    assert_eq!(persons(&dir, "anna")["items"].as_array().unwrap().len(), 1);
}
