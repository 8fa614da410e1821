//! Relative timestamps ("3 hours ago") with the exact time on hover.

use leptos::prelude::*;

/// Milliseconds since the epoch, now.
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or(0.0)
    }
}

/// Parses the store's `YYYY-MM-DDTHH:MM:SS.ffffffZ` into milliseconds since the epoch.
pub fn parse_ms(ts: &str) -> Option<f64> {
    let b = ts.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| ts.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, s) = (
        n(0..4)?,
        n(5..7)?,
        n(8..10)?,
        n(11..13)?,
        n(14..16)?,
        n(17..19)?,
    );
    // Days from civil date (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + mi * 60 + s) * 1000) as f64)
}

/// "just now", "5 minutes ago", "3 days ago", "2 years ago".
pub fn relative(ts: &str) -> String {
    let Some(then) = parse_ms(ts) else {
        return ts.to_owned();
    };
    let seconds = ((now_ms() - then) / 1000.0).max(0.0) as i64;
    let (n, unit) = match seconds {
        0..=44 => return String::from("just now"),
        45..=5_399 => ((seconds + 30) / 60, "minute"),
        5_400..=86_399 => ((seconds + 1800) / 3600, "hour"),
        86_400..=2_591_999 => ((seconds + 43_200) / 86_400, "day"),
        2_592_000..=31_535_999 => (seconds / 2_592_000, "month"),
        _ => (seconds / 31_536_000, "year"),
    };
    let n = n.max(1);
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// `2026-11-24 18:04 UTC`.
pub fn absolute(ts: &str) -> String {
    match (ts.get(0..10), ts.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => ts.to_owned(),
    }
}

/// A `<time>` showing the relative time, with the absolute time on hover.
#[component]
pub fn RelTime(#[prop(into)] ts: String) -> impl IntoView {
    let title = absolute(&ts);
    let text = relative(&ts);
    view! { <time datetime=ts title=title>{text}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_to_epoch_milliseconds() {
        assert_eq!(parse_ms("1970-01-01T00:00:00.000000Z"), Some(0.0));
        assert_eq!(
            parse_ms("2000-03-01T00:00:01.000000Z"),
            Some(951_868_801_000.0)
        );
        assert_eq!(parse_ms("junk"), None);
        assert_eq!(
            absolute("2026-11-24T18:04:05.000000Z"),
            "2026-11-24 18:04 UTC"
        );
    }
}
