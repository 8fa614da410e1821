//! Findings written for people and for CI systems: the plain text the Data Contract and Data
//! Product CLIs print (they show a refused publication's body as is — and `dataproduct` renders
//! it through a markup library that deletes anything in square brackets and wraps at 80
//! columns), GitHub workflow commands, and JUnit XML.

use std::fmt::Write as _;

use crate::policy::Finding;

/// The widest line written, so that an 80-column terminal never wraps it again.
pub const WIDTH: usize = 78;

/// Square brackets are markup to Rich (`dataproduct`'s console); round ones survive.
fn unbracket(s: &str) -> String {
    s.replace('[', "(").replace(']', ")")
}

/// Wraps `text` at word boundaries to lines of at most `WIDTH` characters, every line after
/// the first indented by `indent` spaces; a word longer than a line is cut.
pub fn wrap(text: &str, indent: usize) -> Vec<String> {
    wrap_from(text, 0, indent)
}

/// [`wrap`] with the first line indented too (by `first` spaces), within the same width.
pub fn wrap_from(text: &str, first: usize, indent: usize) -> Vec<String> {
    let mut lines = wrap_rest(text, first, indent);
    if let Some(l) = lines.first_mut() {
        l.insert_str(0, &" ".repeat(first));
    }
    lines
}

fn wrap_rest(text: &str, first: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let pad = " ".repeat(indent);
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        loop {
            let room = WIDTH - if lines.is_empty() { first } else { indent };
            let used = line.chars().count();
            let need = word.chars().count() + usize::from(used > 0);
            if used + need <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A single word wider than the line: cut it.
            let cut: String = word.chars().take(room).collect();
            word = word.chars().skip(room).collect();
            lines.push(cut);
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

/// The body of a refused publication for the two CLIs: what blocked it, one finding per line
/// (wrapped under 80 columns, no square brackets), each with its fix, then where to read more.
pub fn refusal(findings: &[Finding], details: &str) -> String {
    let blocking: Vec<&Finding> = findings.iter().filter(|f| f.blocking).collect();
    let mut out = String::new();
    let n = blocking.len();
    let head = format!(
        "Refused: {n} blocking governance finding{}, nothing was stored.",
        if n == 1 { "" } else { "s" }
    );
    for l in wrap(&head, 2) {
        let _ = writeln!(out, "{l}");
    }
    for f in &blocking {
        let place = if f.path.is_empty() {
            f.document.clone()
        } else {
            format!("{} {}", f.document, f.path)
        };
        let line = unbracket(&format!("- {}: {} (at {place})", f.policy, f.message));
        for l in wrap(&line, 2) {
            let _ = writeln!(out, "{l}");
        }
        if let Some(fix) = &f.fix {
            for l in wrap_from(&unbracket(&format!("fix: {fix}")), 2, 4) {
                let _ = writeln!(out, "{l}");
            }
        }
    }
    let others = findings.len() - n;
    if others > 0 {
        let _ = writeln!(
            out,
            "{others} more finding{} that do not block.",
            if others == 1 { "" } else { "s" }
        );
    }
    for l in wrap(&unbracket(&format!("Details: {details}")), 2) {
        let _ = writeln!(out, "{l}");
    }
    out
}

fn github_escape(s: &str, property: bool) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        s.replace(':', "%3A").replace(',', "%2C")
    } else {
        s
    }
}

/// GitHub Actions workflow commands: one annotation per finding on the file it came from.
pub fn github(file: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match (f.blocking, f.severity) {
            (true, _) | (_, domain::Severity::Error) => "error",
            (_, domain::Severity::Warning) => "warning",
            _ => "notice",
        };
        let mut message = format!("{} ({} {})", f.message, f.document, f.path);
        if let Some(fix) = &f.fix {
            let _ = write!(message, ". Fix: {fix}");
        }
        let _ = writeln!(
            out,
            "::{level} file={},title={}::{}",
            github_escape(file, true),
            github_escape(&format!("{}: {}", f.policy, f.title), true),
            github_escape(&message, false)
        );
    }
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JUnit XML: a test suite per file, a test case per finding; blocking findings are failures,
/// the others pass with their message as output.
pub fn junit(files: &[(String, Vec<Finding>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"meshwork check\">\n",
    );
    for (file, findings) in files {
        let failures = findings.iter().filter(|f| f.blocking).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
            xml(file),
            findings.len().max(1)
        );
        if findings.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"all policies\" classname=\"{}\"/>",
                xml(file)
            );
        }
        for f in findings {
            let name = xml(&format!("{} {} {}", f.policy, f.document, f.path));
            let _ = write!(
                out,
                "    <testcase name=\"{name}\" classname=\"{}\">",
                xml(file)
            );
            let text = match &f.fix {
                Some(fix) => format!("{} Fix: {fix}", f.message),
                None => f.message.clone(),
            };
            if f.blocking {
                let _ = write!(
                    out,
                    "<failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml(&f.message),
                    xml(&f.policy),
                    xml(&text)
                );
            } else {
                let _ = write!(
                    out,
                    "<system-out>{}: {}</system-out>",
                    f.severity.as_str(),
                    xml(&text)
                );
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
