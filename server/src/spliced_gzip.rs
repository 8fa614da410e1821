//! A gzip body compressed once and joined again around a fresh nonce on every answer.
//!
//! A page carries its Content-Security-Policy nonce in its inline scripts, so a remembered page
//! is cut at the nonce (see `cache.rs`). Compressing the joined page again for every visitor
//! costs more than everything else the front does; instead each part is deflated once on its
//! own, ending on a sync flush (a byte boundary, the block not final), and an answer is the parts
//! with the nonce between them as stored (uncompressed) deflate blocks, then an empty final
//! block, framed as gzip (RFC 1952) with the CRC-32 of the joined text.
//!
//! The CRC is not computed over the page again for every answer (about 10 µs for 100 KB, the
//! largest cost of a remembered page): CRC-32 is affine over GF(2), so for one length of nonce
//! the CRC of the joined text is the CRC of the text with zeros where the nonces go, XOR a
//! linear map of the nonce's own CRC register. That map, the sum over the gaps of "shift by the
//! bytes that follow this gap", is a 32 × 32 bit matrix computed once with the parts; an answer
//! then costs the nonce's few bytes and 32 XORs. A nonce of another length (never drawn by
//! Meshwork, which draws them all alike) falls back to the CRC over the text.
//!
//! Each part is compressed without the others as its dictionary, which costs a little size
//! against one stream over the whole page; a decoder sees one ordinary deflate stream.

use axum::body::Bytes;
use flate2::{Compress, Compression, Crc, FlushCompress};

/// A body's parts, each deflated on its own.
pub struct SplicedGzip {
    parts: Vec<Part>,
    /// The compressed size of every part together.
    size: usize,
    /// The CRC of the joined text for nonces of one length, without reading the text again.
    crc: SplicedCrc,
}

/// What gives the CRC-32 of the parts joined with any nonce of `nonce_len` bytes.
struct SplicedCrc {
    nonce_len: usize,
    /// The CRC-32 of the text with `nonce_len` zero bytes in every gap.
    zeros: u32,
    /// Column `i`: what bit `i` of the nonce's raw CRC register adds to the CRC of the whole.
    spread: [u32; 32],
}

struct Part {
    text: Bytes,
    deflated: Vec<u8>,
}

/// gzip's header: deflate, no flags, no time, unknown system.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// An empty final block with fixed codes: the end of the deflate stream.
const LAST_BLOCK: [u8; 2] = [0x03, 0x00];

impl SplicedGzip {
    /// Deflates each of `parts` (the text between the nonces), to be joined again with nonces
    /// of `nonce_len` bytes (others are joined correctly too, at the cost of reading the text).
    pub fn new(parts: &[Bytes], nonce_len: usize) -> SplicedGzip {
        let crc = SplicedCrc::new(parts, nonce_len);
        let parts: Vec<Part> = parts
            .iter()
            .map(|text| Part {
                text: text.clone(),
                deflated: deflate_to_boundary(text),
            })
            .collect();
        let size = parts.iter().map(|p| p.deflated.len()).sum();
        SplicedGzip { parts, size, crc }
    }

    /// What keeping the parts costs: their compressed size and their text.
    pub fn size(&self) -> usize {
        self.size + self.parts.iter().map(|p| p.text.len()).sum::<usize>()
    }

    /// The gzip body of the parts joined with `nonce` between them.
    pub fn join(&self, nonce: &str) -> Bytes {
        let nonce = nonce.as_bytes();
        let gaps = self.parts.len().saturating_sub(1);
        let mut out = Vec::with_capacity(
            HEADER.len() + self.size + gaps * (5 + nonce.len()) + LAST_BLOCK.len() + 8,
        );
        out.extend_from_slice(&HEADER);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                stored_block(&mut out, nonce);
            }
            out.extend_from_slice(&part.deflated);
        }
        out.extend_from_slice(&LAST_BLOCK);
        let (sum, amount) = match self.crc.of(nonce) {
            Some(sum) => {
                let text: usize = self.parts.iter().map(|p| p.text.len()).sum();
                (sum, (text + gaps * nonce.len()) as u32)
            }
            None => self.crc_over_text(nonce),
        };
        out.extend_from_slice(&sum.to_le_bytes());
        out.extend_from_slice(&amount.to_le_bytes());
        Bytes::from(out)
    }

    /// The CRC-32 and length (mod 2³²) of the joined text, read byte by byte.
    fn crc_over_text(&self, nonce: &[u8]) -> (u32, u32) {
        let mut crc = Crc::new();
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                crc.update(nonce);
            }
            crc.update(&part.text);
        }
        (crc.sum(), crc.amount())
    }
}

/// Zero bytes to feed a CRC from.
static ZEROS: [u8; 4096] = [0; 4096];

/// The raw CRC-32 register after `bytes`, starting from `register` (no initial or final
/// inversion): linear in the register and in the bytes.
fn raw_crc(register: u32, bytes: &[u8]) -> u32 {
    // crc32fast inverts on the way in and out; inverting around it cancels both.
    let mut hasher = crc32fast::Hasher::new_with_initial(!register);
    hasher.update(bytes);
    !hasher.finalize()
}

/// `count` zero bytes, in slices.
fn zeros(count: usize) -> impl Iterator<Item = &'static [u8]> {
    std::iter::repeat_n(&ZEROS[..], count / ZEROS.len()).chain([&ZEROS[..count % ZEROS.len()]])
}

impl SplicedCrc {
    fn new(parts: &[Bytes], nonce_len: usize) -> SplicedCrc {
        let mut with_zeros = crc32fast::Hasher::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                zeros(nonce_len).for_each(|z| with_zeros.update(z));
            }
            with_zeros.update(part);
        }
        // Horner's rule over the gaps: after each nonce, what follows it shifts everything
        // injected so far; bit `i` of the nonce's register is injected at every gap.
        let spread = std::array::from_fn(|i| {
            let mut acc = 0u32;
            for (g, part) in parts.iter().enumerate().skip(1) {
                acc ^= 1 << i;
                let nonce_after = if g + 1 < parts.len() { nonce_len } else { 0 };
                acc = zeros(part.len() + nonce_after).fold(acc, raw_crc);
            }
            acc
        });
        SplicedCrc {
            nonce_len,
            zeros: with_zeros.finalize(),
            spread,
        }
    }

    /// The CRC-32 of the joined text, for a nonce of the length it was made for.
    fn of(&self, nonce: &[u8]) -> Option<u32> {
        if nonce.len() != self.nonce_len {
            return None;
        }
        let register = raw_crc(0, nonce);
        let mut sum = self.zeros;
        for (i, column) in self.spread.iter().enumerate() {
            if register >> i & 1 == 1 {
                sum ^= column;
            }
        }
        Some(sum)
    }
}

/// `text` as raw deflate blocks ending on a sync flush: byte-aligned, no final block, so that
/// more blocks may follow.
fn deflate_to_boundary(text: &[u8]) -> Vec<u8> {
    let mut encoder = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(text.len() / 3 + 64);
    loop {
        let read = encoder.total_in() as usize;
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(1024));
        }
        // A deflate stream of bytes in memory cannot fail.
        let _ = encoder.compress_vec(&text[read..], &mut out, FlushCompress::Sync);
        // The flush is complete once all the text is in and the output was not filled up.
        if encoder.total_in() as usize == text.len() && out.len() < out.capacity() {
            return out;
        }
    }
}

/// `bytes` as stored deflate blocks (at most 65,535 bytes each), not final.
fn stored_block(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(u16::MAX as usize) {
        let len = chunk.len() as u16;
        // BFINAL = 0, BTYPE = 00; the rest of the byte is padding (the stream is byte-aligned).
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(body: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(body)
            .read_to_string(&mut text)
            .expect("a valid gzip stream");
        text
    }

    #[test]
    fn the_parts_joined_with_any_nonce_decompress_to_the_joined_text() {
        let page = "<html><head><script nonce=\"N\">a()</script></head><body>".to_string()
            + &"<p>repeated text that compresses well</p>".repeat(2_000)
            + "<script nonce=\"N\">b()</script></body></html>";
        let parts: Vec<Bytes> = page.split('N').map(|p| Bytes::from(p.to_owned())).collect();
        assert_eq!(parts.len(), 3);
        let spliced = SplicedGzip::new(&parts, 22);
        for nonce in ["xyz", "a1B2c3D4e5F6g7H8i9J0kA", ""] {
            let body = spliced.join(nonce);
            assert_eq!(gunzip(&body), page.replace('N', nonce));
            // Compressed once, not stored: far smaller than the page.
            assert!(body.len() < page.len() / 20, "{} bytes", body.len());
        }
    }

    #[test]
    fn the_crc_from_the_nonce_alone_is_the_crc_of_the_joined_text() {
        // Parts longer and shorter than the zero buffer, empty ones, and nonces side by side.
        let long = "x".repeat(10_000);
        let texts = [
            "<a nonce=\"",
            "\"><b nonce=\"",
            "",
            long.as_str(),
            "\">end",
            "",
        ];
        let parts: Vec<Bytes> = texts.iter().map(|t| Bytes::from(t.to_string())).collect();
        for (nonce_len, nonces) in [
            (
                22,
                vec![
                    "a1B2c3D4e5F6g7H8i9J0kA",
                    "zzzzzzzzzzzzzzzzzzzzzz",
                    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
                ],
            ),
            (5000, vec![&*"é".repeat(2500)]),
            (0, vec![""]),
        ] {
            let spliced = SplicedGzip::new(&parts, nonce_len);
            for nonce in nonces {
                let fast = spliced.crc.of(nonce.as_bytes());
                assert_eq!(
                    fast.map(|sum| (sum, spliced.crc_over_text(nonce.as_bytes()).1)),
                    Some(spliced.crc_over_text(nonce.as_bytes()))
                );
                assert_eq!(gunzip(&spliced.join(nonce)), texts.join(nonce));
            }
            // Another length is joined correctly, by reading the text.
            assert_eq!(spliced.crc.of(b"abc"), None);
            assert_eq!(gunzip(&spliced.join("abc")), texts.join("abc"));
        }
    }

    #[test]
    fn a_body_without_a_nonce_and_an_empty_one_are_valid_too() {
        let whole = SplicedGzip::new(&[Bytes::from_static(b"{\"id\":1}")], 22);
        assert_eq!(gunzip(&whole.join("unused")), "{\"id\":1}");
        let empty = SplicedGzip::new(&[Bytes::new()], 22);
        assert_eq!(gunzip(&empty.join("unused")), "");
    }

    #[test]
    fn text_larger_than_the_first_guess_of_its_output_is_deflated_whole() {
        // Random-looking text barely compresses, so the output outgrows its first capacity.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let noisy: String = (0..200_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(b'!' + (state % 90) as u8)
            })
            .collect();
        let spliced =
            SplicedGzip::new(&[Bytes::from(noisy.clone()), Bytes::from_static(b"end")], 1);
        assert_eq!(gunzip(&spliced.join("-")), noisy + "-end");
    }
}
