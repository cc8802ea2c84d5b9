//! Finding people the way staff type: a name, its pinyin initials ("zs" → 张三), its full
//! pinyin ("zhangsan"), a 志愿者编号, or the last digits of a phone.

use pinyin::ToPinyin as _;

/// What a person can be found by, computed once per row, not per keystroke.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchKey {
    name: String,
    /// Lower-case full pinyin without tones: `zhangsan`; also the sort key for names.
    pub pinyin: String,
    initials: String,
    code: String,
    phone: String,
}

impl SearchKey {
    pub fn new(name: &str, code: &str, phone: &str) -> Self {
        let mut pinyin = String::new();
        let mut initials = String::new();
        for c in name.chars() {
            match c.to_pinyin() {
                Some(p) => {
                    pinyin.push_str(p.plain());
                    initials.push_str(p.first_letter());
                }
                None if c.is_ascii_alphanumeric() => {
                    pinyin.push(c.to_ascii_lowercase());
                    initials.push(c.to_ascii_lowercase());
                }
                None => {}
            }
        }
        SearchKey {
            name: name.to_string(),
            pinyin,
            initials,
            code: code.to_ascii_lowercase(),
            phone: phone.to_string(),
        }
    }

    /// Whether a typed query finds this person; an empty query finds everyone.
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim();
        if query.is_empty() {
            return true;
        }
        if self.name.contains(query) {
            return true;
        }
        // Compared ignoring ASCII case in place: the keys are lower case already, and a
        // lower-cased copy of the query per person was most of a keystroke's cost at 100,000.
        if query.bytes().all(|b| b.is_ascii_digit()) {
            return (query.len() >= 3 && self.phone.ends_with(query)) || self.code.contains(query);
        }
        starts_with_ignoring_case(&self.initials, query)
            || starts_with_ignoring_case(&self.pinyin, query)
            || contains_ignoring_case(&self.code, query)
    }
}

fn starts_with_ignoring_case(key: &str, query: &str) -> bool {
    key.as_bytes().get(..query.len()).is_some_and(|head| head.eq_ignore_ascii_case(query.as_bytes()))
}

fn contains_ignoring_case(key: &str, query: &str) -> bool {
    key.as_bytes().windows(query.len()).any(|window| window.eq_ignore_ascii_case(query.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_name_pinyin_code_and_phone_tail() {
        let key = SearchKey::new("张三", "ZY00012", "13812345678");
        for query in ["张三", "张", "zs", "ZS", "zhangsan", "zhang", "zy00012", "5678", "345678"] {
            assert!(key.matches(query), "{query}");
        }
        for query in ["ls", "李", "1234", "zhangsi"] {
            assert!(!key.matches(query), "{query}");
        }
    }

    #[test]
    fn pinyin_sorts_names_as_staff_expect() {
        let mut names = ["周杰", "安然", "张三", "陈立新"];
        names.sort_by_key(|n| SearchKey::new(n, "", "").pinyin);
        assert_eq!(names, ["安然", "陈立新", "张三", "周杰"]);
    }
}
