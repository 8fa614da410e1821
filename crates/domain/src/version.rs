//! Semantic versions of products, ports and contracts.

/// Parses a semantic version, explaining what is wrong in words a user can act on.
pub fn parse_semver(raw: &str) -> Result<semver::Version, String> {
    if raw.trim().is_empty() {
        return Err(String::from(
            "is empty; use a semantic version such as 1.0.0",
        ));
    }
    if let Some(rest) = raw.strip_prefix(['v', 'V'])
        && semver::Version::parse(rest).is_ok()
    {
        return Err(format!("'{raw}' has a 'v' prefix; write {rest}"));
    }
    semver::Version::parse(raw).map_err(|e| {
        let hint = match raw.matches('.').count() {
            0 => format!("; write {raw}.0.0"),
            1 => format!("; write {raw}.0"),
            _ => String::new(),
        };
        format!("'{raw}' is not a semantic version MAJOR.MINOR.PATCH ({e}){hint}")
    })
}

/// The version to suggest when an existing version is edited: the next patch version.
pub fn next_patch(raw: &str) -> String {
    match semver::Version::parse(raw) {
        Ok(v) => semver::Version::new(v.major, v.minor, v.patch + 1).to_string(),
        Err(_) => String::from("1.0.0"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_or_say_how_to_fix() {
        assert!(parse_semver("1.2.3").is_ok());
        assert!(parse_semver("1.0.0-rc.1").is_ok());
        assert_eq!(
            parse_semver("v1.0.0").unwrap_err(),
            "'v1.0.0' has a 'v' prefix; write 1.0.0"
        );
        assert!(parse_semver("1.0").unwrap_err().ends_with("; write 1.0.0"));
        assert!(parse_semver("1").unwrap_err().ends_with("; write 1.0.0"));
        assert!(parse_semver("").is_err());
        assert!(parse_semver("1.0.0.0").is_err());
    }

    #[test]
    fn next_patch_bumps_patch() {
        assert_eq!(next_patch("1.2.3"), "1.2.4");
        assert_eq!(next_patch("1.2.3-beta"), "1.2.4");
        assert_eq!(next_patch("junk"), "1.0.0");
    }
}
