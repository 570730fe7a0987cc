//! A small deterministic generator (SplitMix64): every input is a pure function of the run's
//! seed, the target and the input's index, so any input can be made again from those three.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator for input `index` of `target` in a run with `seed`.
    pub fn for_input(seed: u64, target: &str, index: u64) -> Rng {
        let mut mix = Rng(seed ^ 0x5eed_f00d_0bad_cafe);
        for byte in target.bytes() {
            mix.0 ^= u64::from(byte);
            mix.next_u64();
        }
        mix.0 ^= index.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        Rng(mix.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// `true` with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Small numbers far more often than large ones: `0..max`, log-uniform.
    pub fn small(&mut self, max: usize) -> usize {
        let bits = usize::BITS - max.leading_zeros();
        let cap = 1usize << self.below(bits as usize + 1);
        self.below(cap.min(max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map(|i| Rng::for_input(1, "import", i).next_u64())
            .collect();
        let b: Vec<u64> = (0..4)
            .map(|i| Rng::for_input(1, "import", i).next_u64())
            .collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert_ne!(
            Rng::for_input(1, "import", 0).next_u64(),
            Rng::for_input(1, "pack", 0).next_u64()
        );
        assert_ne!(
            Rng::for_input(1, "import", 0).next_u64(),
            Rng::for_input(2, "import", 0).next_u64()
        );
    }

    #[test]
    fn bounded_helpers_stay_in_bounds() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            assert!(rng.below(5) < 5);
            let r = rng.range(3, 9);
            assert!((3..=9).contains(&r));
            assert!(rng.small(100) < 100);
        }
        assert_eq!(rng.below(0), 0);
    }
}
