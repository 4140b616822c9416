//! Text encodings and delimiters of the files agencies send: UTF-8 (with or without a byte
//! order mark) and Windows-1251, the code page of Cyrillic spreadsheets saved by older Excel
//! on Ukrainian and Russian Windows.
//!
//! Windows-1251 is decoded with `encoding_rs`, the WHATWG Encoding Standard implementation
//! that Firefox uses: its single-byte tables are the standard's, checked against the browsers'
//! behaviour, and it decodes in streaming chunks; a hand-written table of 128 code points is
//! exactly the kind of thing that is wrong in one cell nobody checks.

use std::io::{self, Read};

use encoding_rs::{Decoder, WINDOWS_1251};

/// How many bytes the detection looks at: enough for a header and many rows.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The encodings dokaz reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1251,
}

impl Encoding {
    /// `utf-8`/`utf8` or `windows-1251`/`cp1251`, case-insensitive.
    pub fn from_label(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Self::Utf8),
            "windows-1251" | "cp1251" | "win1251" => Some(Self::Windows1251),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Windows1251 => "windows-1251",
        }
    }
}

/// What detection found at the start of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: Encoding,
    /// Length of a UTF-8 byte order mark to skip (0 or 3).
    pub bom: usize,
}

/// Detects the encoding from the first bytes of a file: a UTF-8 BOM wins; otherwise text that
/// is valid UTF-8 (a character cut at the end of the sample excepted) is UTF-8; otherwise, if
/// the bytes that are not ASCII mostly stand in runs of 0xC0–0xFF (words of Cyrillic letters in
/// Windows-1251), Windows-1251. Anything else is reported as UTF-8, so that the bad bytes are named per cell.
pub fn detect(sample: &[u8]) -> Detected {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Detected {
            encoding: Encoding::Utf8,
            bom: 3,
        };
    }
    let utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // Only a truncated last character: still UTF-8.
        Err(e) => e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    };
    if utf8 {
        return Detected {
            encoding: Encoding::Utf8,
            bom: 0,
        };
    }
    // Cyrillic words in Windows-1251 are runs of bytes in 0xC0–0xFF; the accented letters of
    // Latin-1 or Windows-1252 text ("café") stand alone between ASCII letters.
    let high = |b: u8| b >= 0xC0;
    let letters = sample.iter().filter(|b| **b >= 0x80).count();
    let in_runs = sample
        .windows(2)
        .filter(|w| high(w[0]) && high(w[1]))
        .count();
    let encoding = if letters > 0 && in_runs * 2 >= letters {
        Encoding::Windows1251
    } else {
        Encoding::Utf8
    };
    Detected { encoding, bom: 0 }
}

/// A reader that yields UTF-8: bytes pass through for UTF-8 (the BOM skipped; invalid bytes
/// stay, to be named per cell), Windows-1251 is decoded chunk by chunk in bounded memory.
pub struct Utf8Reader<R> {
    inner: R,
    decoder: Option<Decoder>,
    skip: usize,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R> std::fmt::Debug for Utf8Reader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utf8Reader")
            .field("decoding", &self.decoder.is_some())
            .finish()
    }
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R, detected: Detected) -> Self {
        Self {
            inner,
            decoder: (detected.encoding == Encoding::Windows1251)
                .then(|| WINDOWS_1251.new_decoder_without_bom_handling()),
            skip: detected.bom,
            raw: vec![0; 32 * 1024],
            out: Vec::with_capacity(96 * 1024),
            pos: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.skip > 0 {
            let mut b = [0u8; 3];
            let n = self.inner.read(&mut b[..self.skip])?;
            if n == 0 {
                self.skip = 0;
                break;
            }
            self.skip -= n;
        }
        let Some(decoder) = self.decoder.as_mut() else {
            return self.inner.read(buf);
        };
        while self.pos == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw)?;
            self.eof = n == 0;
            self.out.clear();
            self.pos = 0;
            let need = decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.out.resize(need, 0);
            let (_, _, written, _) =
                decoder.decode_to_utf8(&self.raw[..n], &mut self.out, self.eof);
            self.out.truncate(written);
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Picks the delimiter of a CSV file from its first line: the one of `,` `;` tab `|` that
/// occurs most often outside quotes (`,` on a tie or when none occurs).
pub fn detect_delimiter(sample: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in sample {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_cp1251() {
        let bom = b"\xEF\xBB\xBFname\n";
        assert_eq!(
            detect(bom),
            Detected {
                encoding: Encoding::Utf8,
                bom: 3
            }
        );
        assert_eq!(detect("Коваленко".as_bytes()).encoding, Encoding::Utf8);
        // "Коваленко" in Windows-1251.
        let (cp, _, _) = WINDOWS_1251.encode("Коваленко Олена;1979");
        assert_eq!(detect(&cp).encoding, Encoding::Windows1251);
        // A UTF-8 character cut by the end of the sample is still UTF-8.
        let cut = &"ok Ж".as_bytes()[..4];
        assert_eq!(detect(cut).encoding, Encoding::Utf8);
        // Latin-1 accents are not Cyrillic: left as UTF-8 so the bad cell is named.
        assert_eq!(detect(b"caf\xe9 cr\xe8me").encoding, Encoding::Utf8);
    }

    #[test]
    fn decodes_cp1251_across_chunk_boundaries() {
        let text = "Коваленко;Олена\n".repeat(5000);
        let (cp, _, _) = WINDOWS_1251.encode(&text);
        let mut r = Utf8Reader::new(&cp[..], detect(&cp));
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        let mut r = Utf8Reader::new(&b"\xEF\xBB\xBFa,b\n"[..], detect(b"\xEF\xBB\xBFa,b\n"));
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "a,b\n");
    }

    #[test]
    fn delimiters_outside_quotes() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(b"\"a,b,c\"|d|e\n"), b'|');
        assert_eq!(detect_delimiter(b"title,\"x;y;z\"\n"), b',');
        assert_eq!(detect_delimiter(b"single\n"), b',');
    }
}
