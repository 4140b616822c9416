//! Spatial blocking: a grid of roughly square cells of a fixed size in metres, valid at any
//! latitude (the number of columns shrinks towards the poles), so that "which records lie
//! within R metres of this point" touches a handful of cells instead of every record.

use dokaz_model::Coordinates;

const METRES_PER_DEGREE_LAT: f64 = 111_320.0;

/// A cell of a [`Grid`]: row from the south pole, column from the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub row: i32,
    pub col: i32,
}

/// A grid of cells `size_m` high and about `size_m` wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    size_m: f64,
    rows: i32,
}

impl Grid {
    pub fn new(size_m: f64) -> Self {
        let rows = (180.0 * METRES_PER_DEGREE_LAT / size_m).ceil() as i32;
        Self { size_m, rows }
    }

    pub fn size_m(&self) -> f64 {
        self.size_m
    }

    fn row_of(&self, lat: f64) -> i32 {
        (((lat + 90.0) * METRES_PER_DEGREE_LAT / self.size_m).floor() as i32)
            .clamp(0, self.rows - 1)
    }

    /// Columns in `row`: the circumference at the row's edge nearest the equator, so that no
    /// cell is narrower than `size_m`.
    fn cols_in(&self, row: i32) -> i32 {
        let south = -90.0 + f64::from(row) * self.size_m / METRES_PER_DEGREE_LAT;
        let north = south + self.size_m / METRES_PER_DEGREE_LAT;
        let lat = if south > 0.0 {
            south
        } else if north < 0.0 {
            north
        } else {
            0.0
        };
        let circumference = 360.0 * METRES_PER_DEGREE_LAT * lat.to_radians().cos();
        ((circumference / self.size_m).floor() as i32).max(1)
    }

    fn col_of(&self, row: i32, lon: f64) -> i32 {
        let cols = self.cols_in(row);
        (((lon + 180.0) / 360.0 * f64::from(cols)).floor() as i32).clamp(0, cols - 1)
    }

    pub fn cell(&self, c: &Coordinates) -> Cell {
        let row = self.row_of(c.lat);
        Cell {
            row,
            col: self.col_of(row, c.lon),
        }
    }

    /// Every cell that a disc of `radius_m` around `c` touches (a superset: whole rows and
    /// column ranges are taken, never fewer cells than needed).
    pub fn cells_within(&self, c: &Coordinates, radius_m: f64, out: &mut Vec<Cell>) {
        out.clear();
        let dlat = radius_m / METRES_PER_DEGREE_LAT;
        let (r0, r1) = (self.row_of(c.lat - dlat), self.row_of(c.lat + dlat));
        // The disc is widest (in degrees of longitude) at its edge farthest from the equator.
        let far_lat = (c.lat.abs() + dlat).min(89.9);
        let dlon = radius_m / (METRES_PER_DEGREE_LAT * far_lat.to_radians().cos());
        for row in r0..=r1 {
            let cols = self.cols_in(row);
            if dlon >= 180.0 {
                out.extend((0..cols).map(|col| Cell { row, col }));
                continue;
            }
            let (mut lo, mut hi) = (c.lon - dlon, c.lon + dlon);
            // Across the antimeridian: wrap into two ranges.
            let mut push_range = |lo: f64, hi: f64| {
                let (a, b) = (self.col_of(row, lo), self.col_of(row, hi));
                out.extend((a..=b).map(|col| Cell { row, col }));
            };
            if lo < -180.0 {
                push_range(lo + 360.0, 180.0);
                lo = -180.0;
            }
            if hi > 180.0 {
                push_range(-180.0, hi - 360.0);
                hi = 180.0;
            }
            push_range(lo, hi);
        }
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates { lat, lon }
    }

    proptest! {
        /// Whatever the latitude, a point within the radius lies in one of the cells returned.
        #[test]
        fn nearby_points_are_in_the_cells_within(
            lat in -80.0f64..80.0, lon in -179.9f64..179.9,
            bearing in 0.0f64..std::f64::consts::TAU, dist in 0.0f64..5_000.0,
            size in prop::sample::select(vec![500.0, 2_000.0, 40_000.0]),
        ) {
            let g = Grid::new(size);
            let a = at(lat, lon);
            let dlat = dist * bearing.cos() / METRES_PER_DEGREE_LAT;
            let dlon = dist * bearing.sin() / (METRES_PER_DEGREE_LAT * lat.to_radians().cos());
            let mut blon = lon + dlon;
            if blon > 180.0 { blon -= 360.0 }
            if blon < -180.0 { blon += 360.0 }
            let b = at(lat + dlat, blon);
            prop_assume!(a.distance_m(&b) <= 5_000.0);
            let mut cells = Vec::new();
            g.cells_within(&a, 5_000.0, &mut cells);
            prop_assert!(cells.contains(&g.cell(&b)), "{a:?} {b:?} {cells:?}");
        }
    }

    #[test]
    fn a_small_disc_touches_few_cells() {
        let g = Grid::new(2_000.0);
        let mut cells = Vec::new();
        g.cells_within(&at(50.45, 30.52), 1_000.0, &mut cells);
        assert!(cells.len() <= 6, "{cells:?}");
        assert!(cells.contains(&g.cell(&at(50.45, 30.52))));
    }
}
