//! Unit tests of signed notes: round trips, tampering, key handling, malformed input.

use super::*;

const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";

fn signer(name: &str) -> Signer {
    Signer::generate(name).unwrap()
}

#[test]
fn published_key_signs_the_golden_note() {
    let s = Signer::parse(PETER_SKEY).unwrap();
    assert_eq!(s.verifier().to_string(), PETER_VKEY);
    assert_eq!(s.to_secret_string(), PETER_SKEY);
    // Ed25519 is deterministic: same bytes as golang.org/x/mod's TestSign.
    let note = sign(TEXT, &[&s]).unwrap();
    assert!(note.ends_with(
        "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    ));
}

#[test]
fn round_trip_and_key_strings() {
    let s = signer("example.com/dokaz");
    let v = s.verifier();
    assert_eq!(Verifier::parse(&v.to_string()).unwrap(), v);
    assert_eq!(Signer::parse(&s.to_secret_string()).unwrap().verifier(), v);
    let note = sign("hello\n\nworld\n", &[&s]).unwrap();
    let opened = open(note.as_bytes(), std::slice::from_ref(&v)).unwrap();
    assert_eq!(opened.text(), "hello\n\nworld\n");
    assert!(opened.is_verified_by(&v));
}

#[test]
fn vkey_is_split_at_the_first_two_plus_signs_only() {
    let v = Verifier::parse(
        "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx",
    )
    .unwrap();
    assert_eq!(v.name(), "example.com/log/testdata");
    assert_eq!(v.key_id(), 0x33d7_b496);
}

#[test]
fn tampered_text_fails() {
    let s = signer("a");
    // Only the text changes: a blind `replace` could also hit the random key hash or
    // signature and turn this into an unknown-key case.
    let note = sign("evidence 1\n", &[&s])
        .unwrap()
        .replacen("evidence 1", "evidence 2", 1);
    assert_eq!(
        open(note.as_bytes(), &[s.verifier()]),
        Err(NoteError::InvalidSignature("a".into()))
    );
}

#[test]
fn wrong_key_with_same_name_is_unknown() {
    let (s, other) = (signer("a"), signer("a"));
    let note = sign("x\n", &[&s]).unwrap();
    assert_eq!(
        open(note.as_bytes(), &[other.verifier()]),
        Err(NoteError::NoVerifiedSignature)
    );
}

#[test]
fn unknown_signatures_are_ignored_but_kept() {
    let (a, b) = (signer("a"), signer("b"));
    let note = sign("x\n", &[&a, &b]).unwrap();
    let opened = open(note.as_bytes(), &[b.verifier()]).unwrap();
    assert_eq!(opened.verified().len(), 1);
    assert_eq!(opened.unverified().len(), 1);
    assert_eq!(opened.unverified()[0].name, "a");
    assert!(!opened.is_verified_by(&a.verifier()));
}

#[test]
fn malformed_notes_are_rejected() {
    let s = signer("a");
    let v = [s.verifier()];
    let good = sign("x\n", &[&s]).unwrap();
    let sig_line = good.lines().last().unwrap().to_owned();
    let cases: Vec<String> = vec![
        "x\n".into(),                                                // no signature block
        "x\n\n".into(),                                              // no signature lines
        good.trim_end_matches('\n').into(),                          // last line lacks newline
        format!("x\n\n{sig_line}\nnot a signature\n"),               // stray line
        format!("x\n\n{}\n", sig_line.replacen('\u{2014}', "-", 1)), // hyphen, not em dash
        format!("x\u{1}\n\n{sig_line}\n"),                           // control character
        format!("x\r\n\n{sig_line}\n"),                              // carriage return
        format!("x\n\n{}\n", sig_line.replacen(" a ", " a b ", 1)),  // name with space
        "x\n\n\u{2014} a AAAA\n".into(),                             // signature too short
        "x\n\n\u{2014} a !!!!\n".into(),                             // not base64
        "x\n\n\u{2014} a\n".into(),                                  // no signature
    ];
    for case in cases {
        assert!(
            matches!(open(case.as_bytes(), &v), Err(NoteError::Malformed(_))),
            "accepted {case:?}"
        );
    }
    assert!(matches!(
        open(b"\xffx\n\n", &v),
        Err(NoteError::Malformed(_))
    ));
    let huge = "y".repeat(MAX_NOTE_SIZE) + "\n";
    assert_eq!(open(huge.as_bytes(), &v), Err(NoteError::TooLarge));
    let many = format!(
        "x\n\n{}",
        format!("{sig_line}\n").repeat(MAX_SIGNATURES + 1)
    );
    assert!(matches!(
        open(many.as_bytes(), &v),
        Err(NoteError::Malformed(_))
    ));
}

#[test]
fn invalid_text_or_names_cannot_be_signed() {
    let s = signer("a");
    assert!(sign("no newline", &[&s]).is_err());
    assert!(sign("tab\there\n", &[&s]).is_err());
    assert!(sign("x\n", &[]).is_err());
    for bad in ["", "a b", "a+b", "a\u{a0}b"] {
        assert!(Signer::generate(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn bad_key_strings_are_rejected() {
    assert_eq!(
        Verifier::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(NoteError::KeyIdMismatch)
    );
    assert!(Verifier::parse("PeterNeumann+c74f20a3").is_err());
    assert!(
        Verifier::parse("PeterNeumann+c74f+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").is_err()
    );
    assert!(Signer::parse(PETER_VKEY).is_err());
    assert!(Signer::parse(&PETER_SKEY.replace("c74f20a3", "c74f20a4")).is_err());
}

#[test]
fn secret_is_redacted_in_debug() {
    let s = Signer::parse(PETER_SKEY).unwrap();
    let shown = format!("{s:?}");
    assert!(shown.contains("REDACTED"));
    assert!(!shown.contains("AYEKFALV"));
    let seed_hex = hex::encode(
        &BASE64
            .decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
            .unwrap()[1..],
    );
    assert!(!shown.to_lowercase().contains(&seed_hex[..16]));
}
