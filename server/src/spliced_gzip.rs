//! A gzip body compressed once and joined again around a fresh nonce on every answer.
//!
//! A page carries its Content-Security-Policy nonce in its inline scripts, so a remembered page
//! is cut at the nonce (see `cache.rs`). Compressing the joined page again for every visitor
//! costs more than everything else the front does; instead each part is deflated once on its
//! own, ending on a sync flush (a byte boundary, the block not final), and an answer is the parts
//! with the nonce between them as stored (uncompressed) deflate blocks, then an empty final
//! block, framed as gzip (RFC 1952) with the CRC-32 of the joined text. The CRC is computed
//! over the text again for every answer (about 10 µs for 100 KB): combining the parts' own CRCs
//! costs a GF(2) matrix product per part, which for a page cut at forty nonces took several
//! times longer than everything else the answer needs.
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
    /// Deflates each of `parts` (the text between the nonces).
    pub fn new(parts: &[Bytes]) -> SplicedGzip {
        let parts: Vec<Part> = parts
            .iter()
            .map(|text| Part {
                text: text.clone(),
                deflated: deflate_to_boundary(text),
            })
            .collect();
        let size = parts.iter().map(|p| p.deflated.len()).sum();
        SplicedGzip { parts, size }
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
        let mut crc = Crc::new();
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                stored_block(&mut out, nonce);
                crc.update(nonce);
            }
            out.extend_from_slice(&part.deflated);
            crc.update(&part.text);
        }
        out.extend_from_slice(&LAST_BLOCK);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&crc.amount().to_le_bytes());
        Bytes::from(out)
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
        let spliced = SplicedGzip::new(&parts);
        for nonce in ["xyz", "a1B2c3D4e5F6g7H8i9J0kA", ""] {
            let body = spliced.join(nonce);
            assert_eq!(gunzip(&body), page.replace('N', nonce));
            // Compressed once, not stored: far smaller than the page.
            assert!(body.len() < page.len() / 20, "{} bytes", body.len());
        }
    }

    #[test]
    fn a_body_without_a_nonce_and_an_empty_one_are_valid_too() {
        let whole = SplicedGzip::new(&[Bytes::from_static(b"{\"id\":1}")]);
        assert_eq!(gunzip(&whole.join("unused")), "{\"id\":1}");
        let empty = SplicedGzip::new(&[Bytes::new()]);
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
        let spliced = SplicedGzip::new(&[Bytes::from(noisy.clone()), Bytes::from_static(b"end")]);
        assert_eq!(gunzip(&spliced.join("-")), noisy + "-end");
    }
}
