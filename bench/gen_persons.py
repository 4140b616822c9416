#!/usr/bin/env python3
"""Writes N person rows in dokaz's CSV import layout (`dokaz import persons --help`) to stdout,
for the persons import benchmark: Ukrainian names in Cyrillic with a Latin spelling, partial
birth dates, roles, a third of them protected. Deterministic for a seed."""
import csv, random, sys

FAMILY = ["Коваленко", "Шевченко", "Бойко", "Ткаченко", "Кравченко", "Олійник", "Шевчук",
          "Поліщук", "Бондаренко", "Мельник", "Лисенко", "Марченко", "Руденко", "Савченко"]
GIVEN_F = ["Олена", "Марія", "Ірина", "Наталія", "Оксана", "Тетяна", "Юлія", "Софія"]
GIVEN_M = ["Андрій", "Олександр", "Сергій", "Дмитро", "Іван", "Микола", "Петро", "Тарас"]
LAT = str.maketrans({
    "А": "A", "Б": "B", "В": "V", "Г": "H", "Д": "D", "Е": "E", "Є": "Ye", "Ж": "Zh", "З": "Z",
    "И": "Y", "І": "I", "Ї": "Yi", "Й": "Y", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "Kh", "Ц": "Ts", "Ч": "Ch",
    "Ш": "Sh", "Щ": "Shch", "Ю": "Yu", "Я": "Ya", "а": "a", "б": "b", "в": "v", "г": "h",
    "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
    "ю": "iu", "я": "ia", "'": ""})
ROLES = ["victim", "witness", "missing", "deported-child", "detainee", "witness;victim"]

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = random.Random(13)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["external_id", "full_name", "given", "family", "other_names", "birth_date",
                  "sex", "citizenship", "roles", "protected"])
    for i in range(n):
        female = rng.random() < 0.5
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        family = rng.choice(FAMILY)
        y = rng.randint(1940, 2020)
        birth = rng.choice([f"{y}", f"{y}-{rng.randint(1, 12):02d}",
                            f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
        out.writerow([f"R-{i:07d}", f"{family} {given}", given, family,
                      f"{given.translate(LAT)} {family.translate(LAT)}", birth,
                      "female" if female else "male", "UA", rng.choice(ROLES),
                      "true" if rng.random() < 0.33 else "false"])

main()
