//! Incidents from JSON Lines: one JSON object per line in the [`NewIncident`] shape (the same
//! JSON `dokaz incident add` takes). Errors name the JSON path of the bad field.

use std::io::{BufRead, BufReader, Read};

use dokaz_model::{NewIncident, Problems};

use crate::outcome::{FileError, Parsed};
use crate::{Context, MAX_FIELD_BYTES};

/// A line longer than this is refused without being parsed: a narrative at the field limit,
/// escaped, fits well within it.
const MAX_LINE_BYTES: usize = 4 * MAX_FIELD_BYTES;

pub(crate) fn read<R: Read>(input: R, ctx: &Context) -> Result<Parsed, FileError> {
    let mut reader = BufReader::new(input);
    let mut parsed = Parsed::default();
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        // Read at most MAX_LINE_BYTES + 1 so a hostile single line cannot exhaust memory.
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            let mut p = Problems::new();
            p.push("line", format!("is longer than {MAX_LINE_BYTES} bytes"));
            parsed.rows += 1;
            parsed.reject(line, p);
            // Skip the rest of the overlong line.
            loop {
                buf.clear();
                let n = (&mut reader).take(1 << 16).read_until(b'\n', &mut buf)?;
                if n == 0 || buf.last() == Some(&b'\n') {
                    break;
                }
            }
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        parsed.rows += 1;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                let mut p = Problems::new();
                p.push(
                    "line",
                    format!(
                        "is not valid UTF-8 (bad byte at offset {})",
                        e.valid_up_to()
                    ),
                );
                parsed.reject(line, p);
                continue;
            }
        };
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, NewIncident>(&mut de) {
            Ok(new) => {
                let incident = new.into_incident(ctx.agency, ctx.user, ctx.now);
                if let Err(problems) = parsed.accept(line, incident, ctx.now) {
                    parsed.reject(line, problems);
                }
            }
            Err(e) => {
                let mut p = Problems::new();
                let path = e.path().to_string();
                let field = if path == "." || path == "?" {
                    "incident".to_owned()
                } else {
                    format!("incident.{path}")
                };
                p.push(field, e.into_inner().to_string());
                parsed.reject(line, p);
            }
        }
    }
    parsed.refuse_duplicate_references();
    Ok(parsed)
}
