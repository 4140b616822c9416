//! What the bytes are, judged from the bytes: media type from magic numbers (`infer`), UTF-8
//! text, and for images the capture time and place their EXIF carries. A file name says what
//! someone called it; the bytes say what it is.

use chrono::{DateTime, NaiveDate, Utc};
use dokaz_model::{Coordinates, Location};
use exif::{In, Tag, Value};

pub const OCTET_STREAM: &str = "application/octet-stream";
pub const UTF8_TEXT: &str = "text/plain; charset=utf-8";

/// What was learnt from an item's first bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sniffed {
    pub media_type: String,
    pub captured_at: Option<DateTime<Utc>>,
    /// EXIF gives local time without a zone unless OffsetTimeOriginal is present; when it is
    /// missing the time is read as UTC and this says so, for the custody record.
    pub captured_at_assumed_utc: bool,
    pub captured_location: Option<Location>,
}

/// Sniffs `head`, the first bytes of the item (the whole item if it is small).
pub fn sniff(head: &[u8], complete: bool) -> Sniffed {
    let media_type = match infer::get(head) {
        Some(t) => t.mime_type().to_owned(),
        None if looks_like_text(head, complete) => UTF8_TEXT.to_owned(),
        None => OCTET_STREAM.to_owned(),
    };
    let mut out = Sniffed {
        media_type,
        ..Sniffed::default()
    };
    if out.media_type.starts_with("image/") {
        read_exif(head, &mut out);
    }
    out
}

/// Valid UTF-8 (a character cut at the end of an incomplete head is allowed) with no control
/// characters other than tab, line feed, carriage return and form feed.
fn looks_like_text(head: &[u8], complete: bool) -> bool {
    if head.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if !complete && e.error_len().is_none() => {
            // Safe: `valid_up_to` is a character boundary.
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    let body = valid.strip_prefix('\u{feff}').unwrap_or(valid);
    body.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

fn read_exif(head: &[u8], out: &mut Sniffed) {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(head)) else {
        return;
    };
    if let Some(f) = exif.get_field(Tag::DateTimeOriginal, In::PRIMARY) {
        if let Value::Ascii(v) = &f.value {
            if let Some(mut dt) = v.first().and_then(|a| exif::DateTime::from_ascii(a).ok()) {
                if let Some(o) = exif.get_field(Tag::OffsetTimeOriginal, In::PRIMARY) {
                    if let Value::Ascii(ov) = &o.value {
                        if let Some(a) = ov.first() {
                            let _ = dt.parse_offset(a);
                        }
                    }
                }
                out.captured_at_assumed_utc = dt.offset.is_none();
                out.captured_at = to_utc(&dt);
            }
        }
    }
    let lat = gps(&exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S');
    let lon = gps(&exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W');
    if let (Some(lat), Some(lon)) = (lat, lon) {
        if let Ok(c) = Coordinates::new(lat, lon, "evidence.captured_location") {
            out.captured_location = Some(Location {
                coordinates: Some(c),
                ..Location::default()
            });
        }
    }
}

fn to_utc(dt: &exif::DateTime) -> Option<DateTime<Utc>> {
    let naive =
        NaiveDate::from_ymd_opt(i32::from(dt.year), u32::from(dt.month), u32::from(dt.day))?
            .and_hms_nano_opt(
                u32::from(dt.hour),
                u32::from(dt.minute),
                u32::from(dt.second),
                dt.nanosecond.unwrap_or(0),
            )?;
    let offset_s = i64::from(dt.offset.unwrap_or(0)) * 60;
    let utc = naive.and_utc() - chrono::Duration::seconds(offset_s);
    Some(chrono::SubsecRound::trunc_subsecs(utc, 6))
}

/// Degrees from EXIF's degrees/minutes/seconds rationals, negative for S or W.
fn gps(exif: &exif::Exif, tag: Tag, ref_tag: Tag, negative: u8) -> Option<f64> {
    let f = exif.get_field(tag, In::PRIMARY)?;
    let Value::Rational(parts) = &f.value else {
        return None;
    };
    let [d, m, s] = parts.as_slice() else {
        return None;
    };
    let value = d.to_f64() + m.to_f64() / 60.0 + s.to_f64() / 3600.0;
    if !value.is_finite() {
        return None;
    }
    let sign = match exif.get_field(ref_tag, In::PRIMARY).map(|r| &r.value) {
        Some(Value::Ascii(v)) if v.first().and_then(|a| a.first()) == Some(&negative) => -1.0,
        _ => 1.0,
    };
    Some(sign * value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_the_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        assert_eq!(sniff(&png, true).media_type, "image/png");
        assert_eq!(sniff(b"%PDF-1.7\n", true).media_type, "application/pdf");
        assert_eq!(
            sniff("Свідок бачив\n".as_bytes(), true).media_type,
            UTF8_TEXT
        );
        assert_eq!(sniff(&[0, 1, 2, 3, 255], true).media_type, OCTET_STREAM);
        assert_eq!(sniff(b"", true).media_type, OCTET_STREAM);
        // A multi-byte character cut at the end of a head is still text.
        let t = "ї".repeat(10);
        assert_eq!(sniff(&t.as_bytes()[..7], false).media_type, UTF8_TEXT);
        assert_eq!(sniff(&t.as_bytes()[..7], true).media_type, OCTET_STREAM);
    }

    /// A JPEG whose EXIF says when (with a zone) and where: the capture time in UTC and the
    /// point, west and south negative.
    #[test]
    fn exif_time_and_place_are_read_from_jpegs() {
        use exif::experimental::Writer;
        use exif::{Field, Rational};
        let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
        let dms = |d, m, s100| {
            Value::Rational(vec![
                Rational { num: d, denom: 1 },
                Rational { num: m, denom: 1 },
                Rational {
                    num: s100,
                    denom: 100,
                },
            ])
        };
        let field = |tag, value| Field {
            tag,
            ifd_num: In::PRIMARY,
            value,
        };
        let fields = [
            field(Tag::DateTimeOriginal, ascii("2022:03:16 10:05:30")),
            field(Tag::OffsetTimeOriginal, ascii("+02:00")),
            field(Tag::GPSLatitudeRef, ascii("N")),
            field(Tag::GPSLatitude, dms(47, 5, 3000)),
            field(Tag::GPSLongitudeRef, ascii("E")),
            field(Tag::GPSLongitude, dms(37, 32, 0)),
        ];
        let mut w = Writer::new();
        for f in &fields {
            w.push_field(f);
        }
        let mut tiff = std::io::Cursor::new(Vec::new());
        w.write(&mut tiff, false).unwrap();
        let tiff = tiff.into_inner();
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend(u16::try_from(tiff.len() + 8).unwrap().to_be_bytes());
        jpeg.extend(b"Exif\0\0");
        jpeg.extend(&tiff);
        jpeg.extend([0xFF, 0xD9]);
        let s = sniff(&jpeg, true);
        assert_eq!(s.media_type, "image/jpeg");
        assert_eq!(
            s.captured_at.unwrap().to_rfc3339(),
            "2022-03-16T08:05:30+00:00"
        );
        assert!(!s.captured_at_assumed_utc);
        let c = s.captured_location.unwrap().coordinates.unwrap();
        assert!(
            (c.lat - (47.0 + 5.0 / 60.0 + 30.0 / 3600.0)).abs() < 1e-9,
            "{c:?}"
        );
        assert!((c.lon - (37.0 + 32.0 / 60.0)).abs() < 1e-9, "{c:?}");
    }
}
