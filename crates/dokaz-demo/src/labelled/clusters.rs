//! How many agencies report one real incident or person, and which: most things reach one
//! agency only; of those that reach more, most reach two, fewer three or more.

use crate::agencies::profile;
use crate::gen::Gen;

/// Of the real things reported more than once, the share reported `k + 1` times over the
/// share reported `k` times. Joint teams and the ICC take up a fraction of what national
/// bodies record, so each further agency is markedly rarer: with five agencies about 70% of
/// multiply reported things have two reports, 21% three, 6% four, 2% five.
const FURTHER_REPORT_RATIO: f64 = 0.3;

/// The number of reports of one real thing: 1 with probability `1 - overlap`, else 2..=`agencies`
/// with geometrically falling odds.
pub(crate) fn size(g: &mut Gen, agencies: usize, overlap: f64) -> usize {
    if agencies < 2 || !g.chance(overlap) {
        return 1;
    }
    let mut k = 2;
    while k < agencies && g.chance(FURTHER_REPORT_RATIO) {
        k += 1;
    }
    k
}

/// `k` distinct agencies out of `agencies`, each drawn in proportion to how much it records;
/// the first is the one whose report the others are linked to.
pub(crate) fn agencies(g: &mut Gen, agencies: usize, k: usize) -> Vec<usize> {
    let mut left: Vec<usize> = (0..agencies).collect();
    let mut out = Vec::with_capacity(k);
    for _ in 0..k.min(agencies) {
        let at = {
            let indices: Vec<usize> = (0..left.len()).collect();
            *g.pick_weighted(&indices, |&i| profile(left[i]).weight)
        };
        out.push(left.swap_remove(at));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_fall_off_and_agencies_differ() {
        let mut g = Gen::new(5);
        let mut counts = [0u32; 6];
        for _ in 0..20_000 {
            let k = size(&mut g, 5, 0.3);
            counts[k] += 1;
            let a = agencies(&mut g, 5, k);
            let mut d = a.clone();
            d.sort_unstable();
            d.dedup();
            assert_eq!(d.len(), k);
        }
        let multi: u32 = counts[2..].iter().sum();
        let share = f64::from(multi) / 20_000.0;
        assert!((share - 0.3).abs() < 0.02, "{share}");
        assert!(counts[2] > counts[3] && counts[3] > counts[4] && counts[4] > counts[5]);
        assert_eq!(size(&mut g, 1, 1.0), 1);
    }
}
