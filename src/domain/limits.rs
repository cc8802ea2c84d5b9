//! How long a text may be (domain.md §1, "Text limits"): the same numbers for forms, the
//! importer and the store's triggers, so no path lets a longer text in. Counted in characters
//! after trimming, as a person counts them.

/// A person's or a judge's name.
pub const PERSON_NAME: usize = 30;
/// A unit, a team, an organisation or an activity (and a service category or title).
pub const NAME: usize = 60;
/// An activity's place.
pub const PLACE: usize = 100;
/// Reasons, notes, skills and an activity's content.
pub const FREE_TEXT: usize = 2_000;
/// An activity's 联系电话 (migration v22 holds the store to it).
pub const CONTACT_PHONE: usize = 30;

/// `Err` with the sentence to show when `text` is longer than `limit` characters.
pub fn check(label: &str, text: &str, limit: usize) -> Result<(), String> {
    let length = text.trim().chars().count();
    if length > limit { Err(too_long(label, length, limit)) } else { Ok(()) }
}

/// 「姓名过长（31 字，最多 30 字）」
pub fn too_long(label: &str, length: usize, limit: usize) -> String {
    format!("{label}过长（{length} 字，最多 {limit} 字）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        assert!(check("姓名", &"张".repeat(30), PERSON_NAME).is_ok());
        assert_eq!(check("姓名", &"张".repeat(31), PERSON_NAME), Err("姓名过长（31 字，最多 30 字）".to_string()));
        assert!(check("姓名", &format!("  {}  ", "张".repeat(30)), PERSON_NAME).is_ok());
    }
}
