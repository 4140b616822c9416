//! Writes a labelled corpus without building the whole `dokaz` binary:
//! `cargo run --release -p dokaz-demo --example labelled -- DIR [PERSONS] [INCIDENTS] [AGENCIES]`.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: labelled DIR [PERSONS] [INCIDENTS] [AGENCIES]");
        std::process::exit(2);
    };
    let number = |i: usize, default: usize| {
        args.get(i)
            .map(|s| s.parse().expect("a whole number"))
            .unwrap_or(default)
    };
    let d = dokaz_demo::LabelledSpec::default();
    let spec = dokaz_demo::LabelledSpec {
        persons: number(1, d.persons),
        incidents: number(2, d.incidents),
        agencies: number(3, d.agencies),
        ..d
    };
    let started = std::time::Instant::now();
    let summary = dokaz_demo::write_labelled(&spec, &dir, |_| {})?;
    eprintln!(
        "{:?} in {:.1} s",
        summary.manifest.counts,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
