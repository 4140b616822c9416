//! Casualty counts. Sources often know a total before its breakdown, and a second source rarely
//! has the same numbers, so both the breakdown and its absence are generated on purpose.

use dokaz_model::{GroupCounts, Harm};

use crate::gen::Gen;
use crate::scenarios::{Scenario, Toll};

/// Harm for one incident of `s`.
pub(crate) fn draw(g: &mut Gen, s: &Scenario) -> Harm {
    Harm {
        killed: counts(g, s.killed, s),
        injured: counts(g, s.injured, s),
    }
}

fn counts(g: &mut Gen, toll: Toll, s: &Scenario) -> GroupCounts {
    if toll.max == 0 || !g.chance(toll.p) {
        return GroupCounts::default();
    }
    let total = (1 + g.long_tail(toll.mean, toll.max)).min(toll.max);
    let (mut children, mut women, mut men, mut elderly) = (0, 0, 0, 0);
    for _ in 0..total {
        if g.chance(s.children) {
            children += 1;
        } else {
            if g.chance(s.men) {
                men += 1;
            } else {
                women += 1;
            }
            if g.chance(0.25) {
                elderly += 1;
            }
        }
    }
    let known = |n: u32| Some(n);
    match g.int(0, 9) {
        // Total only.
        0..=3 => GroupCounts {
            total: Some(total),
            ..Default::default()
        },
        // Total, and the children among them.
        4..=5 => GroupCounts {
            total: Some(total),
            children: known(children),
            ..Default::default()
        },
        // The full breakdown.
        _ => GroupCounts {
            total: Some(total),
            children: known(children),
            women: known(women),
            men: known(men),
            elderly: (elderly > 0).then_some(elderly),
        },
    }
}

/// The same harm as another agency reports it: counts that grew as bodies were found, an
/// early report that knew fewer, or the breakdown missing. Always a valid `Harm`.
pub(crate) fn vary(g: &mut Gen, h: &Harm) -> Harm {
    Harm {
        killed: vary_counts(g, &h.killed),
        injured: vary_counts(g, &h.injured),
    }
}

fn vary_counts(g: &mut Gen, c: &GroupCounts) -> GroupCounts {
    let Some(total) = c.total else {
        return *c;
    };
    match g.int(0, 2) {
        0 => GroupCounts {
            total: Some(total),
            ..Default::default()
        },
        1 => {
            // Scale every group by the same factor, rounding down, so groups still fit.
            let factor = g.float(0.6, 1.4);
            let scale = |v: u32| ((f64::from(v) * factor).floor() as u32).max(u32::from(v > 0));
            let new_total = scale(total).max(1);
            let mut out = GroupCounts {
                total: Some(new_total),
                children: c.children.map(|v| scale(v).min(new_total)),
                women: c.women.map(scale),
                men: c.men.map(scale),
                elderly: c.elderly.map(|v| scale(v).min(new_total)),
            };
            let sum: u32 = [out.children, out.women, out.men].iter().flatten().sum();
            if sum > new_total {
                out.total = Some(sum);
            }
            if out.elderly.is_some_and(|e| e > out.total.unwrap_or(0)) {
                out.elderly = out.total;
            }
            out
        }
        _ => *c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios;

    #[test]
    fn drawn_and_varied_harm_is_always_valid() {
        let mut g = Gen::new(7);
        for _ in 0..2000 {
            let s = scenarios::pick(&mut g);
            let h = draw(&mut g, s);
            let v = vary(&mut g, &h);
            for x in [h, v] {
                let mut p = dokaz_model::Problems::new();
                x.check("harm", &mut p);
                assert!(p.is_empty(), "{p}");
            }
        }
    }
}
