//! Media files for tests: images Grove accepts without decoding them.

/// A PNG header (4 × 3) followed by `len` bytes seeded by `salt`: Grove
/// checks the type and the pixel size from the header, never decodes.
/// The bytes do not compress, like a real image's.
pub fn png(salt: u8, len: usize) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&13u32.to_be_bytes());
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&4u32.to_be_bytes());
    b.extend_from_slice(&3u32.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let mut x = u32::from(salt).wrapping_mul(2_654_435_761) | 1;
    b.extend((0..len).map(|_| {
        // xorshift
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as u8
    }));
    b
}
