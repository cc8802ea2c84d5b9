//! Finding people the way staff type: a name, its pinyin initials ("zs" → 张三), its full
//! pinyin ("zhangsan"), a 志愿者编号, or the last digits of a phone (a query of three or four
//! digits that ends the phone's last four).
//!
//! One person's key is a [`SearchKey`]; a whole registry's keys are a [`SearchIndex`], the
//! same fields laid end to end in one string, so a keystroke over 100,000 people reads a few
//! megabytes in order instead of chasing five heap strings per person.

use pinyin::ToPinyin as _;

use crate::domain::identity::{PHONE_TAIL_DIGITS, phone_tail};

/// The digits of a whole mainland mobile number.
const WHOLE_MOBILE_DIGITS: usize = 11;

/// A person's fields as searched, borrowed from a key or from an index.
#[derive(Clone, Copy)]
struct Fields<'a> {
    name: &'a str,
    pinyin: &'a str,
    initials: &'a str,
    code: &'a str,
    phone_tail: &'a str,
}

/// A typed query, trimmed and classified once rather than once per person.
#[derive(Clone, Copy, Debug)]
pub struct Query<'a> {
    text: &'a str,
    /// All digits: a phone tail or a part of a code, never initials or pinyin.
    digits: bool,
}

impl<'a> Query<'a> {
    pub fn new(typed: &'a str) -> Self {
        let text = typed.trim();
        Query { text, digits: !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) }
    }

    /// An empty query finds everyone.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether everyone this query finds was also found by `previous`, so the previous result
    /// can be narrowed instead of searching everyone again. True when the query only grew:
    /// each rule (name contains, initials and pinyin start with, code contains) then finds a
    /// subset. Not for digits: "12" finds no phone (a tail needs three digits) and "1234"
    /// finds phones ending so, which "123" did not, so a digit query is searched afresh.
    pub fn narrows(&self, previous: &Query<'_>) -> bool {
        !self.digits && !previous.digits && self.text.starts_with(previous.text)
    }

    fn finds(&self, f: Fields<'_>) -> bool {
        let query = self.text;
        if query.is_empty() || contains(f.name, query) {
            return true;
        }
        // Compared ignoring ASCII case in place: the keys are lower case already, and a
        // lower-cased copy of the query per person was most of a keystroke's cost at 100,000.
        if self.digits {
            // A whole mobile number typed (read off a phone at the desk) is looked up by its
            // tail: the candidates it gives are told apart by name, code and unit.
            let tail = if query.len() == WHOLE_MOBILE_DIGITS {
                &query[WHOLE_MOBILE_DIGITS - PHONE_TAIL_DIGITS..]
            } else {
                query
            };
            return (query.len() >= 3 && f.phone_tail.ends_with(tail)) || contains(f.code, query);
        }
        starts_with_ignoring_case(f.initials, query)
            || starts_with_ignoring_case(f.pinyin, query)
            || contains_ignoring_case(f.code, query)
    }
}

/// What a person can be found by, computed once per row, not per keystroke.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchKey {
    name: String,
    /// Lower-case full pinyin without tones: `zhangsan`; also the sort key for names.
    pub pinyin: String,
    initials: String,
    code: String,
    phone_tail: String,
}

impl SearchKey {
    /// `phone` may be the whole number or only its tail: the last four digits are kept.
    pub fn new(name: &str, code: &str, phone: &str) -> Self {
        let mut pinyin = String::new();
        let mut initials = String::new();
        push_pinyin(name, &mut pinyin, &mut initials);
        SearchKey {
            name: name.to_string(),
            pinyin,
            initials,
            code: code.to_ascii_lowercase(),
            phone_tail: phone_tail(phone).to_string(),
        }
    }

    /// Whether a typed query finds this person; an empty query finds everyone.
    pub fn matches(&self, query: &str) -> bool {
        Query::new(query).finds(self.fields())
    }

    fn fields(&self) -> Fields<'_> {
        Fields {
            name: &self.name,
            pinyin: &self.pinyin,
            initials: &self.initials,
            code: &self.code,
            phone_tail: &self.phone_tail,
        }
    }
}

/// The keys of many people, each field of each row a slice of one string.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    text: String,
    /// Where row `i`'s fields begin in `text`: `FIELDS` offsets per row, in the order of
    /// [`Field`], then one closing offset, so field `k` of row `i` ends where the next begins.
    bounds: Vec<u32>,
}

/// The fields of a row in the index, in order.
#[derive(Clone, Copy)]
enum Field {
    Name,
    Pinyin,
    Initials,
    Code,
    PhoneTail,
}

const FIELDS: usize = 5;

impl SearchIndex {
    /// The index of `(name, code, phone tail)` rows, in their order; a whole phone may be given,
    /// its last four digits are kept.
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let mut index = SearchIndex::default();
        let mut initials = String::new();
        for (name, code, phone) in rows {
            index.start(Field::Name);
            index.text.push_str(name);
            index.start(Field::Pinyin);
            initials.clear();
            push_pinyin(name, &mut index.text, &mut initials);
            index.start(Field::Initials);
            index.text.push_str(&initials);
            index.start(Field::Code);
            index.text.extend(code.chars().map(|c| c.to_ascii_lowercase()));
            index.start(Field::PhoneTail);
            index.text.push_str(phone_tail(phone));
        }
        index.bounds.push(offset(&index.text));
        index
    }

    fn start(&mut self, field: Field) {
        debug_assert_eq!(self.bounds.len() % FIELDS, field as usize);
        self.bounds.push(offset(&self.text));
    }

    pub fn len(&self) -> usize {
        self.bounds.len() / FIELDS
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `row`'s full pinyin, the sort key for names; empty for a row not in the index.
    pub fn pinyin(&self, row: usize) -> &str {
        self.field(row, Field::Pinyin)
    }

    /// Whether `query` finds row `row`; a row not in the index is never found.
    pub fn matches(&self, row: usize, query: &Query<'_>) -> bool {
        row < self.len()
            && query.finds(Fields {
                name: self.field(row, Field::Name),
                pinyin: self.field(row, Field::Pinyin),
                initials: self.field(row, Field::Initials),
                code: self.field(row, Field::Code),
                phone_tail: self.field(row, Field::PhoneTail),
            })
    }

    fn field(&self, row: usize, field: Field) -> &str {
        let at = row * FIELDS + field as usize;
        match (self.bounds.get(at), self.bounds.get(at + 1)) {
            (Some(&start), Some(&end)) => self.text.get(start as usize..end as usize).unwrap_or_default(),
            _ => "",
        }
    }
}

/// Where the next field begins. Offsets are 32 bits to keep the bounds small; a registry
/// whose keys passed 4 GB (some 100 million people) would saturate and find nobody past it.
fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

/// Appends a name's full pinyin and its initials, lower case; letters and digits in the name
/// count as themselves.
fn push_pinyin(name: &str, pinyin: &mut String, initials: &mut String) {
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
}

/// `str::contains` for a name of a few characters: std's searcher is built anew for every
/// call, which cost more than comparing a short name byte by byte. Bytes are enough: in UTF-8
/// a whole character can only match at a character's start.
fn contains(key: &str, query: &str) -> bool {
    !query.is_empty() && key.as_bytes().windows(query.len()).any(|window| window == query.as_bytes())
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
        for query in ["张三", "张", "zs", "ZS", "zhangsan", "zhang", "zy00012", "5678", "678", " 5678 ", "13812345678"]
        {
            assert!(key.matches(query), "{query}");
        }
        // Only the last four digits are kept (lists no longer hold whole phones): a longer
        // run of the number, or its head, finds nobody.
        for query in ["ls", "李", "1234", "zhangsi", "45678", "345678", "138"] {
            assert!(!key.matches(query), "{query}");
        }
    }

    #[test]
    fn a_phone_tail_alone_finds_as_the_whole_phone_did() {
        let whole = SearchKey::new("李四", "ZY7", "13812345678");
        let tail = SearchKey::new("李四", "ZY7", "5678");
        assert_eq!(whole, tail);
        assert!(tail.matches("678") && tail.matches("5678") && !tail.matches("78"));
        // Two digits find codes only.
        assert!(tail.matches("7") && !SearchKey::new("李四", "ZY1", "5678").matches("78"));
    }

    const PEOPLE: [(&str, &str, &str); 5] = [
        ("张三", "ZY00012", "13812345678"),
        ("李四", "ZY00345", "0591-8765"),
        ("欧阳Anna", "zy9", ""),
        ("周杰", "", "123"),
        ("喆", "A1", "13900001234"),
    ];

    #[test]
    fn the_index_finds_whom_each_key_finds() {
        let index = SearchIndex::new(PEOPLE);
        assert_eq!(index.len(), PEOPLE.len());
        let queries = [
            "",
            " ",
            "张",
            "三",
            "zs",
            "ZS",
            "zhang",
            "zhangsan",
            "ls",
            "oyA",
            "ouyanganna",
            "anna",
            "Anna",
            "zy",
            "ZY0003",
            "00",
            "345",
            "1234",
            "5678",
            "8765",
            "123",
            "9",
            "zhe",
            "z",
            "a1",
            "喆",
        ];
        for (row, &(name, code, phone)) in PEOPLE.iter().enumerate() {
            let key = SearchKey::new(name, code, phone);
            assert_eq!(index.pinyin(row), key.pinyin);
            for query in queries {
                assert_eq!(index.matches(row, &Query::new(query)), key.matches(query), "{name} {query:?}");
            }
        }
        assert!(!index.matches(PEOPLE.len(), &Query::new("")), "a row past the end");
        assert_eq!(index.pinyin(PEOPLE.len()), "");
    }

    #[test]
    fn a_growing_query_narrows_unless_it_is_digits() {
        let q = Query::new;
        assert!(q("zh").narrows(&q("z")) && q("z").narrows(&q("")) && q(" zha").narrows(&q("zh ")));
        assert!(!q("z").narrows(&q("zh")), "erased a letter");
        assert!(!q("xz").narrows(&q("z")), "not an extension");
        assert!(!q("123").narrows(&q("12")) && !q("1234").narrows(&q("123")), "phone tails");
        assert!(!q("1a").narrows(&q("1")) && !q("12").narrows(&q("")), "digits on either side");
        // Narrowing is sound: whom the longer query finds, the shorter found.
        let index = SearchIndex::new(PEOPLE);
        for (longer, shorter) in [("zha", "zh"), ("zy00", "zy0"), ("ouy", "o"), ("张三", "张")] {
            for row in 0..index.len() {
                if index.matches(row, &q(longer)) {
                    assert!(index.matches(row, &q(shorter)), "{longer} {shorter} {row}");
                }
            }
        }
    }

    #[test]
    fn pinyin_sorts_names_as_staff_expect() {
        let mut names = ["周杰", "安然", "张三", "陈立新"];
        names.sort_by_key(|n| SearchKey::new(n, "", "").pinyin);
        assert_eq!(names, ["安然", "陈立新", "张三", "周杰"]);
    }
}
