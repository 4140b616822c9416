//! Text normalisation and transliteration: the machinery that lets Зеленський, Zelenskyi and
//! Selenskyj meet, for person names, place names and unit designations alike.
