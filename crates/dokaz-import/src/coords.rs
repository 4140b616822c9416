//! Coordinates as sources write them: decimal degrees (`50.4501`), degrees-minutes-seconds
//! (`50°27'0.4"N`, `50 27 0.4 N`), degrees and decimal minutes (`50°27.006'N`), and a
//! latitude and longitude pair in one cell (`50.4501, 30.5234`, `50.4501|30.5234`).

use crate::when::clip;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Lat,
    Lon,
}

/// One axis of a cell: from a pair, the axis asked for; from a single value, that value.
/// The range is checked by the record's own rules, which name the field.
pub fn parse_coordinate(cell: &str, axis: Axis) -> Result<f64, String> {
    let t = cell.trim();
    let pair: Option<(&str, &str)> = t
        .split_once('|')
        .or_else(|| t.split_once(';'))
        .or_else(|| t.split_once(", "))
        .or_else(|| {
            // "50.45,30.52": a comma between two decimals, not a decimal comma.
            let (a, b) = t.split_once(',')?;
            (a.contains('.') && b.contains('.')).then_some((a, b))
        })
        .or_else(|| {
            // "50°27'N 30°31'E": two hemispheres, split after the first.
            let i = t.find(['N', 'S', 'n', 's'])?;
            let (a, b) = t.split_at(i + 1);
            (!b.trim().is_empty()).then_some((a, b))
        });
    let one = match (pair, axis) {
        (Some((lat, _)), Axis::Lat) => lat,
        (Some((_, lon)), Axis::Lon) => lon,
        (None, _) => t,
    };
    single(one).ok_or_else(|| {
        format!(
            "{:?} is not a coordinate (decimal degrees, degrees-minutes-seconds, or \"lat, lon\")",
            clip(cell)
        )
    })
}

fn single(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let (body, sign) = match t.chars().last()? {
        'N' | 'n' | 'E' | 'e' => (&t[..t.len() - 1], 1.0),
        'S' | 's' | 'W' | 'w' => (&t[..t.len() - 1], -1.0),
        _ => (t, 1.0),
    };
    let (body, sign) = match body.trim().strip_prefix('-') {
        Some(rest) => (rest, -sign),
        None => (body.trim(), sign),
    };
    let nums: Vec<f64> = body
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<f64>().ok())
        .collect::<Option<Vec<_>>>()?;
    let (d, m, sec) = match nums.as_slice() {
        [d] => (*d, 0.0, 0.0),
        [d, m] => (*d, *m, 0.0),
        [d, m, s] => (*d, *m, *s),
        _ => return None,
    };
    if m >= 60.0 || sec >= 60.0 {
        return None;
    }
    Some(sign * (d + m / 60.0 + sec / 3600.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn every_format_sources_use() {
        assert!(close(
            parse_coordinate("50.4501", Axis::Lat).unwrap(),
            50.4501
        ));
        assert!(close(
            parse_coordinate("50°27'0.36\"N", Axis::Lat).unwrap(),
            50.4501
        ));
        assert!(close(
            parse_coordinate("50 27 0.36 N", Axis::Lat).unwrap(),
            50.4501
        ));
        assert!(close(
            parse_coordinate("30°31.404'E", Axis::Lon).unwrap(),
            30.5234
        ));
        assert!(close(
            parse_coordinate("33°51'W", Axis::Lon).unwrap(),
            -33.85
        ));
        assert!(close(
            parse_coordinate("50.4501, 30.5234", Axis::Lon).unwrap(),
            30.5234
        ));
        assert!(close(
            parse_coordinate("50.4501,30.5234", Axis::Lat).unwrap(),
            50.4501
        ));
        assert!(close(
            parse_coordinate("50.4501|30.5234", Axis::Lon).unwrap(),
            30.5234
        ));
        assert!(close(
            parse_coordinate("50°27'0.36\"N 30°31'24.24\"E", Axis::Lon).unwrap(),
            30.5234
        ));
        assert!(parse_coordinate("Kyiv", Axis::Lat).is_err());
        assert!(parse_coordinate("50°75'N", Axis::Lat).is_err());
    }
}
