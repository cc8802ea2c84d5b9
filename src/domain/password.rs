//! The password rule of 等保 2.0 level 2 (domain.md §9): at least 8 characters of at least two
//! kinds (letters, digits, symbols), for every new or changed password.

pub const MIN_CHARS: usize = 8;
pub const MIN_KINDS: usize = 2;

/// What the rule says about `password`, in words for the form; `None` when it passes.
pub fn problem(password: &str) -> Option<String> {
    let (mut letters, mut digits, mut symbols) = (false, false, false);
    for c in password.chars() {
        if c.is_numeric() {
            digits = true;
        } else if c.is_alphabetic() {
            letters = true;
        } else {
            symbols = true;
        }
    }
    let kinds = [letters, digits, symbols].iter().filter(|k| **k).count();
    (password.chars().count() < MIN_CHARS || kinds < MIN_KINDS)
        .then(|| format!("密码至少 {MIN_CHARS} 位，且须包含字母、数字、符号中的至少两种"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_characters_of_two_kinds() {
        for weak in ["abc123", "abcdefgh", "12345678", "!@#$%^&*", "luru123", "密码密码密码密码"] {
            assert!(problem(weak).is_some(), "{weak}");
        }
        for strong in ["abcd1234", "admin-pass", "12345678!", "张三的密码2026", "secret-1"] {
            assert_eq!(problem(strong), None, "{strong}");
        }
        assert!(problem("abc12").is_some_and(|p| p.contains("至少 8 位")));
    }
}
