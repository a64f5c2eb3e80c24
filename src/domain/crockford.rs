//! Crockford's base32, for codes people read aloud and type: receipts, pass codes, invite codes.
//! No I, L, O or U; typed codes are read leniently.

/// The alphabet: digits and capitals without I, L, O, U.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `bytes` as base32, five bits a character, `len` characters at most.
pub fn encode(bytes: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in bytes {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 && out.len() < len {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    out
}

/// Reads a code as people type it: any case, hyphens and spaces ignored, `I`/`L` as `1` and `O`
/// as `0`; `None` unless it has `len` characters of the alphabet.
pub fn read(raw: &str, len: usize) -> Option<String> {
    let mut code = String::with_capacity(len);
    for c in raw.chars().filter(|c| !matches!(c, '-' | ' ')) {
        let c = match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        code.push(c);
    }
    (code.len() == len).then_some(code)
}
