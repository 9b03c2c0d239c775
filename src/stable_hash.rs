//! A 128-bit hash that is the same on every run of one build, used as a compact in-memory key
//! in place of a string.

use std::hash::{DefaultHasher, Hasher};

/// Hashes `bytes` to 128 bits, with the same result on every run of the same build.
///
/// Each half is one pass of `DefaultHasher::new()` over `bytes` prefixed with a different byte,
/// so that the halves differ. The standard library documents that hashers made with `new` all
/// equal each other, unlike those of a `HashMap`'s `RandomState`, which change from run to
/// run. It may change the algorithm between Rust releases, so a hash must never be stored or
/// compared across builds.
///
/// The odds that any two of n different inputs share a hash are about n² / 2¹²⁹, which is
/// 1.5e-27 for a million inputs.
///
/// NOTE: the keys of `DefaultHasher::new()` are the same in every program built with the same
/// Rust, so the hash does not resist inputs crafted to collide.
pub(crate) fn stable_hash(bytes: &[u8]) -> u128 {
    let half = |lead: u8| {
        let mut hasher = DefaultHasher::new();
        hasher.write_u8(lead);
        hasher.write(bytes);
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_equal_hashes() {
        assert_eq!(stable_hash(b"report.md"), stable_hash(b"report.md"));
        assert_eq!(stable_hash(b""), stable_hash(b""));
    }

    #[test]
    fn different_inputs_different_hashes() {
        let inputs: [&[u8]; 5] = [b"", b"a", b"b", b"ab", b"ba"];
        let hashes: std::collections::HashSet<u128> =
            inputs.iter().map(|input| stable_hash(input)).collect();
        assert_eq!(hashes.len(), inputs.len());
    }

    #[test]
    fn halves_differ() {
        let hash = stable_hash(b"report.md");
        assert_ne!(hash >> 64, hash & u128::from(u64::MAX));
    }
}
