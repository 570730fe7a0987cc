//! Lowercasing of single characters, the same mapping as [`char::to_lowercase`] from a table a
//! tenth of the size of std's (which the content core would otherwise link, about 11 KB).
//!
//! Group keys are lowercased titles stored in users' records, so the mapping must stay exactly
//! std's: the test compares every character with `char::to_lowercase`. When a toolchain update
//! brings a newer Unicode version, that test fails; regenerate the table with the ignored test
//! `case::tests::print_table` only after deciding that keys may change.

/// Runs of characters with the same lowercase offset, sorted by their first character: each is
/// `(first << 8 | count << 1 | stride - 1, offset)`, and covers `count` characters from `first`
/// on, every character (stride 1) or every second one (stride 2, where upper and lower case
/// alternate). Generated from std (see the tests); U+0130 is the one character whose lowercase
/// is two characters and is handled apart.
const RANGES: [(u32, i32); 185] = [
    (0x0004134, 32),
    (0x000c02e, 32),
    (0x000d80e, 32),
    (0x0010031, 1),
    (0x0013207, 1),
    (0x0013911, 1),
    (0x0014a2f, 1),
    (0x0017802, -121),
    (0x0017907, 1),
    (0x0018102, 210),
    (0x0018205, 1),
    (0x0018602, 206),
    (0x0018702, 1),
    (0x0018904, 205),
    (0x0018b02, 1),
    (0x0018e02, 79),
    (0x0018f02, 202),
    (0x0019002, 203),
    (0x0019102, 1),
    (0x0019302, 205),
    (0x0019402, 207),
    (0x0019602, 211),
    (0x0019702, 209),
    (0x0019802, 1),
    (0x0019c02, 211),
    (0x0019d02, 213),
    (0x0019f02, 214),
    (0x001a007, 1),
    (0x001a602, 218),
    (0x001a702, 1),
    (0x001a902, 218),
    (0x001ac02, 1),
    (0x001ae02, 218),
    (0x001af02, 1),
    (0x001b104, 217),
    (0x001b305, 1),
    (0x001b702, 219),
    (0x001b802, 1),
    (0x001bc02, 1),
    (0x001c402, 2),
    (0x001c502, 1),
    (0x001c702, 2),
    (0x001c802, 1),
    (0x001ca02, 2),
    (0x001cb13, 1),
    (0x001de13, 1),
    (0x001f102, 2),
    (0x001f205, 1),
    (0x001f602, -97),
    (0x001f702, -56),
    (0x001f829, 1),
    (0x0022002, -130),
    (0x0022213, 1),
    (0x0023a02, 10795),
    (0x0023b02, 1),
    (0x0023d02, -163),
    (0x0023e02, 10792),
    (0x0024102, 1),
    (0x0024302, -195),
    (0x0024402, 69),
    (0x0024502, 71),
    (0x002460b, 1),
    (0x0037005, 1),
    (0x0037602, 1),
    (0x0037f02, 116),
    (0x0038602, 38),
    (0x0038806, 37),
    (0x0038c02, 64),
    (0x0038e04, 63),
    (0x0039122, 32),
    (0x003a312, 32),
    (0x003cf02, 8),
    (0x003d819, 1),
    (0x003f402, -60),
    (0x003f702, 1),
    (0x003f902, -7),
    (0x003fa02, 1),
    (0x003fd06, -130),
    (0x0040020, 80),
    (0x0041040, 32),
    (0x0046023, 1),
    (0x0048a37, 1),
    (0x004c002, 15),
    (0x004c10f, 1),
    (0x004d061, 1),
    (0x005314c, 48),
    (0x010a04c, 7264),
    (0x010c702, 7264),
    (0x010cd02, 7264),
    (0x013a0a0, 38864),
    (0x013f00c, 8),
    (0x01c8902, 1),
    (0x01c9056, -3008),
    (0x01cbd06, -3008),
    (0x01e0097, 1),
    (0x01e9e02, -7615),
    (0x01ea061, 1),
    (0x01f0810, -8),
    (0x01f180c, -8),
    (0x01f2810, -8),
    (0x01f3810, -8),
    (0x01f480c, -8),
    (0x01f5909, -8),
    (0x01f6810, -8),
    (0x01f8810, -8),
    (0x01f9810, -8),
    (0x01fa810, -8),
    (0x01fb804, -8),
    (0x01fba04, -74),
    (0x01fbc02, -9),
    (0x01fc808, -86),
    (0x01fcc02, -9),
    (0x01fd804, -8),
    (0x01fda04, -100),
    (0x01fe804, -8),
    (0x01fea04, -112),
    (0x01fec02, -7),
    (0x01ff804, -128),
    (0x01ffa04, -126),
    (0x01ffc02, -9),
    (0x0212602, -7517),
    (0x0212a02, -8383),
    (0x0212b02, -8262),
    (0x0213202, 28),
    (0x0216020, 16),
    (0x0218302, 1),
    (0x024b634, 26),
    (0x02c0060, 48),
    (0x02c6002, 1),
    (0x02c6202, -10743),
    (0x02c6302, -3814),
    (0x02c6402, -10727),
    (0x02c6707, 1),
    (0x02c6d02, -10780),
    (0x02c6e02, -10749),
    (0x02c6f02, -10783),
    (0x02c7002, -10782),
    (0x02c7202, 1),
    (0x02c7502, 1),
    (0x02c7e04, -10815),
    (0x02c8065, 1),
    (0x02ceb05, 1),
    (0x02cf202, 1),
    (0x0a6402f, 1),
    (0x0a6801d, 1),
    (0x0a7220f, 1),
    (0x0a7323f, 1),
    (0x0a77905, 1),
    (0x0a77d02, -35332),
    (0x0a77e0b, 1),
    (0x0a78b02, 1),
    (0x0a78d02, -42280),
    (0x0a79005, 1),
    (0x0a79615, 1),
    (0x0a7aa02, -42308),
    (0x0a7ab02, -42319),
    (0x0a7ac02, -42315),
    (0x0a7ad02, -42305),
    (0x0a7ae02, -42308),
    (0x0a7b002, -42258),
    (0x0a7b102, -42282),
    (0x0a7b202, -42261),
    (0x0a7b302, 928),
    (0x0a7b411, 1),
    (0x0a7c402, -48),
    (0x0a7c502, -42307),
    (0x0a7c602, -35384),
    (0x0a7c705, 1),
    (0x0a7cb02, -42343),
    (0x0a7cc11, 1),
    (0x0a7dc02, -42561),
    (0x0a7f502, 1),
    (0x0ff2134, 32),
    (0x1040050, 40),
    (0x104b048, 40),
    (0x1057016, 39),
    (0x1057c1e, 39),
    (0x1058c0e, 39),
    (0x1059404, 39),
    (0x10c8066, 64),
    (0x10d502c, 32),
    (0x118a040, 32),
    (0x16e4040, 32),
    (0x16ea032, 27),
    (0x1e90044, 34),
];

/// The lowercase of `c`: one character, or for U+0130 (İ) two, as [`char::to_lowercase`] gives.
pub fn lowercase(c: char) -> impl Iterator<Item = char> {
    let (first, second) = match c {
        'A'..='Z' => (c.to_ascii_lowercase(), None),
        '\0'..='\u{7f}' => (c, None),
        '\u{130}' => ('i', Some('\u{307}')),
        _ => (lower_one(c), None),
    };
    core::iter::once(first).chain(second)
}

fn lower_one(c: char) -> char {
    let code = u32::from(c);
    // The last run starting at or before `c`; the runs do not overlap.
    let index = RANGES.partition_point(|&(key, _)| key >> 8 <= code);
    let Some(&(key, offset)) = index.checked_sub(1).and_then(|i| RANGES.get(i)) else {
        return c;
    };
    let first = key >> 8;
    let count = (key >> 1) & 0x7f;
    let stride = (key & 1) + 1;
    let step = code - first;
    if step < count * stride && step % stride == 0 {
        code.checked_add_signed(offset)
            .and_then(char::from_u32)
            .unwrap_or(c)
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_char_lowercases_as_std_does() {
        let mut mismatches = Vec::new();
        for code in 0..=0x10ffff {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let ours: Vec<char> = lowercase(c).collect();
            let std: Vec<char> = c.to_lowercase().collect();
            if ours != std {
                mismatches.push((c, ours, std));
            }
        }
        assert!(
            mismatches.is_empty(),
            "first mismatches: {:?}",
            &mismatches[..mismatches.len().min(10)]
        );
    }

    #[test]
    fn samples() {
        let lower = |s: &str| s.chars().flat_map(lowercase).collect::<String>();
        assert_eq!(lower("Ärzte ΣΟΦΙΑ Ǆ Ꭰ 𐐀"), "ärzte σοφια ǆ ꭰ 𐐨");
        assert_eq!(lower("İ"), "i\u{307}");
        assert_eq!(lower("ǅ"), "ǆ");
        assert_eq!(lower("ß 1 ☺"), "ß 1 ☺");
    }

    /// Prints [`RANGES`] from std's mapping: `cargo test -p ask-first-core case::tests::print_table
    /// -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn print_table() {
        let maps: Vec<(u32, i64)> = (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter_map(|c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if l != c => Some((
                        u32::from(c),
                        i64::from(u32::from(l)) - i64::from(u32::from(c)),
                    )),
                    _ => None,
                }
            })
            .collect();
        let mut runs = Vec::new();
        let mut i = 0;
        while let Some(&(first, offset)) = maps.get(i) {
            // The longer of the two strides (stride 1 on a tie).
            let run = |stride: u32| {
                maps[i..]
                    .iter()
                    .zip(0..)
                    .take_while(|&(&(code, o), n)| code == first + n * stride && o == offset)
                    .count() as u32
            };
            let (stride, count) = if run(2) > run(1) {
                (2, run(2))
            } else {
                (1, run(1))
            };
            assert!(count < 0x80 && first < 1 << 24);
            runs.push(format!(
                "(0x{:07x}, {offset}),",
                first << 8 | count << 1 | (stride - 1)
            ));
            i += count as usize;
        }
        println!("const RANGES: [(u32, i32); {}] = [", runs.len());
        for line in runs.chunks(5) {
            println!("    {}", line.join(" "));
        }
        println!("];");
    }
}
