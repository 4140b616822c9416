#!/usr/bin/env python3
"""Writes N incident rows in dokaz's CSV import layout to stdout, at real places from the
gazetteer dokaz ships, for the import benchmark. Deterministic for a seed."""
import csv, random, sys

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    gazetteer = sys.argv[2] if len(sys.argv) > 2 else "crates/dokaz-gazetteer/data/ua-settlements.csv"
    rng = random.Random(42)
    with open(gazetteer, newline="", encoding="utf-8") as f:
        places = [r for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    crimes = ["rs-8-2-b-i", "rs-8-2-b-ii", "rs-8-2-b-ix", "rs-8-2-a-i", "rs-7-1-a", "ua-cc-438"]
    weapons = ["artillery", "mlrs", "cruise-missile", "ballistic-missile", "cluster-munition", "loitering-munition"]
    objects = ["hospital", "school", "apartment-building", "kindergarten", "power-facility"]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["reference", "title", "occurred_at", "lat", "lon", "uncertainty_m", "place",
                  "oblast", "katotth", "crime", "type", "weapon", "object", "killed", "injured",
                  "children", "narrative", "narrative_lang"])
    for i in range(n):
        p = rng.choice(places)
        day = f"2022-{rng.randint(3, 12):02d}-{rng.randint(1, 28):02d}"
        w = rng.choice(weapons)
        o = rng.choice(objects)
        killed = rng.randint(0, 20)
        out.writerow([
            f"BENCH-{i:07d}", f"Shelling of a {o.replace('-', ' ')} in {p['name_en']}",
            f"{day} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            f"{float(p['lat']) + rng.uniform(-0.01, 0.01):.6f}",
            f"{float(p['lon']) + rng.uniform(-0.01, 0.01):.6f}",
            rng.choice([50, 100, 500, 1000]), p["name_uk"], p["oblast"], p["katotth"],
            ";".join(sorted(set(rng.sample(crimes, 2)))), "shelling", w, o, killed,
            rng.randint(0, 40), rng.randint(0, min(killed, 5)),
            f"Обстріл ({w}) об'єкта {o} у населеному пункті {p['name_uk']}.", "uk",
        ])

if __name__ == "__main__":
    main()
