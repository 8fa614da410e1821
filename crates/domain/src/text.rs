//! Checks on free text: names and tags must be one printable line; descriptions may span lines but
//! must not smuggle control or bidirectional-override characters.

/// Why a piece of text was refused.
pub fn check_line(text: &str, max_chars: usize) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(String::from("must not be empty or only spaces"));
    }
    if text.trim() != text {
        return Err(String::from("must not start or end with spaces"));
    }
    check_chars(text, max_chars, false)
}

/// Like [`check_line`] but allows line breaks and tabs, for markdown descriptions.
pub fn check_paragraphs(text: &str, max_chars: usize) -> Result<(), String> {
    check_chars(text, max_chars, true)
}

fn check_chars(text: &str, max_chars: usize, multiline: bool) -> Result<(), String> {
    let len = text.chars().count();
    if len > max_chars {
        return Err(format!(
            "is {len} characters long; the limit is {max_chars}"
        ));
    }
    for c in text.chars() {
        let allowed_break = multiline && matches!(c, '\n' | '\r' | '\t');
        if c.is_control() && !allowed_break {
            return Err(format!(
                "contains the control character U+{:04X}; remove it",
                c as u32
            ));
        }
        if is_bidi_control(c) {
            return Err(format!(
                "contains the invisible text-direction character U+{:04X}; remove it",
                c as u32
            ));
        }
    }
    Ok(())
}

/// Characters that reorder text invisibly (the "Trojan Source" class) and a zero-width no-break
/// space, which only ever appears by accident.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_accept_real_world_unicode() {
        assert!(check_line("Umsätze je Kunde 📈", 100).is_ok());
        assert!(check_line("売上", 100).is_ok());
    }

    #[test]
    fn lines_refuse_invisible_trickery() {
        assert!(
            check_line("a\u{202E}b", 100)
                .unwrap_err()
                .contains("U+202E")
        );
        assert!(check_line("a\u{0}b", 100).unwrap_err().contains("U+0000"));
        assert!(check_line("two\nlines", 100).is_err());
        assert!(check_line("  padded", 100).is_err());
        assert!(check_line("   ", 100).is_err());
        assert!(
            check_line(&"x".repeat(101), 100)
                .unwrap_err()
                .contains("limit is 100")
        );
    }

    #[test]
    fn paragraphs_allow_line_breaks() {
        assert!(check_paragraphs("# Title\n\n- a\n\t- b\r\n", 100).is_ok());
        assert!(check_paragraphs("bell\u{7}", 100).is_err());
    }
}
