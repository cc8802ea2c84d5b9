//! Every formula in every workbook the program writes, recalculated from the cells it refers
//! to, gives the value the program stored beside it: what Excel, WPS or LibreOffice show once
//! they recalculate. Cached values alone hid 汇总's 合计 ratios pointing one column too far
//! left (参与率 0.04 %) until a program recalculated them.
//!
//! The recalculation is a small evaluator of the formula language the program writes
//! (numbers, text, cell references and ranges, + - * / & and comparisons, SUM, IF, COUNTIF),
//! independent of the writer: a formula it does not know fails the test, to be taught here.
//! A spreadsheet engine as a dev-dependency (IronCalc 0.9) was tried: 14 more crates, and its
//! features unified into the tests' build (bytemuck `must_cast`, num-traits `libm`, chrono
//! and rand defaults) made the whole eframe stack build a second time for the tests.
//! LibreOffice headless would need an office suite installed in CI; run by hand (7.4, with
//! OOXMLRecalcMode 0 so it recalculates on load, converting every sheet to CSV), it gives the
//! demo report's stored values: 合计 参与率 5.0 %, 人均时数 0.18, hours 196.5 / 222.9 / 419.4.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader as _, open_workbook_auto};
use chrono::{NaiveDate, NaiveDateTime};
use volunteer_desk::demo::load_demo;
use volunteer_desk::domain::contest::Category;
use volunteer_desk::io::ballot_workbook::export_ballots;
use volunteer_desk::io::report::{ExportProgress, write_report};
use volunteer_desk::store::certificates::{CertificateRequest, issue_certificate};
use volunteer_desk::store::contest::judges::issue_login_slips;
use volunteer_desk::store::{self, Actor, Store};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time")
}

/// A value as a spreadsheet computes it.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// `#DIV/0!` and the like: a value, so that the branch IF does not take may hold one.
    Error(&'static str),
}

impl Value {
    fn of(data: &Data) -> Value {
        match data {
            Data::Empty => Value::Empty,
            Data::Float(f) => Value::Number(*f),
            Data::Int(i) => Value::Number(*i as f64),
            Data::DateTime(d) => Value::Number(d.as_f64()),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
            Data::Bool(b) => Value::Bool(*b),
            Data::Error(_) => Value::Error("#ERROR"),
        }
    }

    fn number(&self) -> Result<f64, &'static str> {
        match self {
            Value::Empty => Ok(0.0),
            Value::Number(n) => Ok(*n),
            Value::Bool(b) => Ok(f64::from(u8::from(*b))),
            Value::Text(t) => t.trim().parse().map_err(|_| "#VALUE!"),
            Value::Error(e) => Err(e),
        }
    }

    fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Text(t) => t.clone(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => (*e).to_string(),
        }
    }
}

/// A function's argument: one value, or a range's values.
enum Arg {
    One(Value),
    Many(Vec<Value>),
}

impl Arg {
    fn value(self) -> Value {
        match self {
            Arg::One(v) => v,
            Arg::Many(mut values) if values.len() == 1 => values.remove(0),
            Arg::Many(_) => Value::Error("#VALUE!"),
        }
    }
}

/// Every sheet's stored values and formulas, by name.
struct Book {
    sheets: HashMap<String, (Range<Data>, Range<String>)>,
    /// Cells already recalculated.
    done: HashMap<(String, u32, u32), Value>,
}

impl Book {
    fn open(path: &Path) -> Book {
        let mut workbook = open_workbook_auto(path).expect("workbook");
        let mut sheets = HashMap::new();
        for name in workbook.sheet_names() {
            let values = workbook.worksheet_range(&name).expect("values");
            let formulas = workbook.worksheet_formula(&name).expect("formulas");
            sheets.insert(name, (values, formulas));
        }
        Book { sheets, done: HashMap::new() }
    }

    fn formula(&self, sheet: &str, row: u32, col: u32) -> Option<String> {
        let formula = self.sheets.get(sheet)?.1.get_value((row, col))?;
        (!formula.trim().is_empty()).then(|| formula.clone())
    }

    /// A cell's value: its formula recalculated, or what it holds.
    fn cell(&mut self, sheet: &str, row: u32, col: u32) -> Value {
        let key = (sheet.to_string(), row, col);
        if let Some(value) = self.done.get(&key) {
            return value.clone();
        }
        // A formula that refers to itself, through others or not, is Excel's circular
        // reference: an error here, not endless recursion.
        self.done.insert(key.clone(), Value::Error("circular reference"));
        let value = match self.formula(sheet, row, col) {
            Some(formula) => Parser::new(self, sheet, &formula).formula(),
            None => {
                let (values, _) = self.sheets.get(sheet).unwrap_or_else(|| panic!("no sheet {sheet}"));
                values.get_value((row, col)).map_or(Value::Empty, Value::of)
            }
        };
        self.done.insert(key, value.clone());
        value
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(f64),
    Text(String),
    /// A cell, maybe on another sheet: (sheet, row, column), 0-based.
    Cell(Option<String>, u32, u32),
    Name(String),
    Op(String),
    Open,
    Close,
    Comma,
    Colon,
}

fn cell_ref(text: &str) -> Option<(u32, u32)> {
    let text = text.replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
    Some((digits.parse::<u32>().ok()?.checked_sub(1)?, col))
}

fn tokens(formula: &str) -> Vec<Token> {
    let chars: Vec<char> = formula.trim().trim_start_matches('=').chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' => i += 1,
            '(' | ')' | ',' | ':' => {
                out.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    ',' => Token::Comma,
                    _ => Token::Colon,
                });
                i += 1;
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match (chars.get(i), chars.get(i + 1)) {
                        (Some('"'), Some('"')) => {
                            text.push('"');
                            i += 2;
                        }
                        (Some('"'), _) => {
                            i += 1;
                            break;
                        }
                        (Some(c), _) => {
                            text.push(*c);
                            i += 1;
                        }
                        (None, _) => panic!("unterminated text in {formula}"),
                    }
                }
                out.push(Token::Text(text));
            }
            '<' | '>' | '=' | '+' | '-' | '*' | '/' | '&' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op = if ["<>", "<=", ">="].contains(&two.as_str()) { two } else { c.to_string() };
                i += op.chars().count();
                out.push(Token::Op(op));
            }
            _ if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                out.push(Token::Number(text.parse().unwrap_or_else(|_| panic!("number {text} in {formula}"))));
            }
            _ => {
                let (sheet, start) = if c == '\'' {
                    let end = (i + 1..chars.len()).find(|&j| chars[j] == '\'').expect("quoted sheet");
                    (Some(chars[i + 1..end].iter().collect::<String>()), end + 2)
                } else {
                    (None, i)
                };
                let mut j = start;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '$' || chars[j] == '_') {
                    j += 1;
                }
                let word: String = chars[start..j].iter().collect();
                if sheet.is_none() && chars.get(j) == Some(&'!') {
                    let (row, col) = cell_ref(
                        &chars[j + 1..].iter().take_while(|c| c.is_alphanumeric() || **c == '$').collect::<String>(),
                    )
                    .expect("reference");
                    let len = chars[j + 1..].iter().take_while(|c| c.is_alphanumeric() || **c == '$').count();
                    out.push(Token::Cell(Some(word), row, col));
                    i = j + 1 + len;
                    continue;
                }
                match cell_ref(&word) {
                    Some((row, col)) => out.push(Token::Cell(sheet, row, col)),
                    None if !word.is_empty() => out.push(Token::Name(word.to_uppercase())),
                    None => panic!("cannot read {formula} at {}", chars[i..].iter().collect::<String>()),
                }
                i = j;
            }
        }
    }
    out
}

/// Recursive descent over one formula, computing as it goes (both branches of an IF are
/// computed; a branch not taken may hold an error value).
struct Parser<'a> {
    book: &'a mut Book,
    sheet: String,
    formula: String,
    tokens: Vec<Token>,
    at: usize,
}

impl<'a> Parser<'a> {
    fn new(book: &'a mut Book, sheet: &str, formula: &str) -> Parser<'a> {
        Parser { book, sheet: sheet.to_string(), formula: formula.to_string(), tokens: tokens(formula), at: 0 }
    }

    fn formula(&mut self) -> Value {
        let value = self.comparison().value();
        assert_eq!(self.at, self.tokens.len(), "trailing tokens in {}", self.formula);
        value
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn op(&mut self, ops: &[&str]) -> Option<String> {
        match self.peek() {
            Some(Token::Op(op)) if ops.contains(&op.as_str()) => {
                let op = op.clone();
                self.at += 1;
                Some(op)
            }
            _ => None,
        }
    }

    fn comparison(&mut self) -> Arg {
        let left = self.concatenation();
        let Some(op) = self.op(&["=", "<>", "<", ">", "<=", ">="]) else { return left };
        let (a, b) = (left.value(), self.concatenation().value());
        let ordering = match (&a, &b) {
            (Value::Text(x), Value::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
            _ => match (a.number(), b.number()) {
                (Ok(x), Ok(y)) => x.total_cmp(&y),
                (Err(e), _) | (_, Err(e)) => return Arg::One(Value::Error(e)),
            },
        };
        use std::cmp::Ordering::{Equal, Greater, Less};
        Arg::One(Value::Bool(match op.as_str() {
            "=" => ordering == Equal,
            "<>" => ordering != Equal,
            "<" => ordering == Less,
            ">" => ordering == Greater,
            "<=" => ordering != Greater,
            _ => ordering != Less,
        }))
    }

    fn concatenation(&mut self) -> Arg {
        let mut left = self.additive();
        while self.op(&["&"]).is_some() {
            let text = left.value().text() + &self.additive().value().text();
            left = Arg::One(Value::Text(text));
        }
        left
    }

    fn arithmetic(op: &str, a: Value, b: Value) -> Value {
        match (a.number(), b.number()) {
            (Ok(x), Ok(y)) => match op {
                "+" => Value::Number(x + y),
                "-" => Value::Number(x - y),
                "*" => Value::Number(x * y),
                _ if y == 0.0 => Value::Error("#DIV/0!"),
                _ => Value::Number(x / y),
            },
            (Err(e), _) | (_, Err(e)) => Value::Error(e),
        }
    }

    fn additive(&mut self) -> Arg {
        let mut left = self.multiplicative();
        while let Some(op) = self.op(&["+", "-"]) {
            left = Arg::One(Self::arithmetic(&op, left.value(), self.multiplicative().value()));
        }
        left
    }

    fn multiplicative(&mut self) -> Arg {
        let mut left = self.unary();
        while let Some(op) = self.op(&["*", "/"]) {
            left = Arg::One(Self::arithmetic(&op, left.value(), self.unary().value()));
        }
        left
    }

    fn unary(&mut self) -> Arg {
        if self.op(&["-"]).is_some() {
            return Arg::One(Self::arithmetic("-", Value::Number(0.0), self.unary().value()));
        }
        if self.op(&["+"]).is_some() {
            return self.unary();
        }
        self.primary()
    }

    fn primary(&mut self) -> Arg {
        let token = self.peek().cloned().unwrap_or_else(|| panic!("{} ends too soon", self.formula));
        self.at += 1;
        match token {
            Token::Number(n) => Arg::One(Value::Number(n)),
            Token::Text(t) => Arg::One(Value::Text(t)),
            Token::Open => {
                let inner = self.comparison();
                assert_eq!(self.peek(), Some(&Token::Close), "unbalanced {}", self.formula);
                self.at += 1;
                inner
            }
            Token::Cell(sheet, row, col) => {
                let sheet = sheet.unwrap_or_else(|| self.sheet.clone());
                if self.peek() == Some(&Token::Colon) {
                    self.at += 1;
                    let Some(Token::Cell(_, to_row, to_col)) = self.peek().cloned() else {
                        panic!("a range without its end in {}", self.formula)
                    };
                    self.at += 1;
                    let mut values = Vec::new();
                    for r in row.min(to_row)..=row.max(to_row) {
                        for c in col.min(to_col)..=col.max(to_col) {
                            values.push(self.book.cell(&sheet, r, c));
                        }
                    }
                    return Arg::Many(values);
                }
                Arg::One(self.book.cell(&sheet, row, col))
            }
            Token::Name(name) if name == "TRUE" || name == "FALSE" => Arg::One(Value::Bool(name == "TRUE")),
            Token::Name(name) => {
                assert_eq!(self.peek(), Some(&Token::Open), "{name} is not a function in {}", self.formula);
                self.at += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&Token::Close) {
                    loop {
                        args.push(self.comparison());
                        if self.peek() == Some(&Token::Comma) {
                            self.at += 1;
                        } else {
                            break;
                        }
                    }
                }
                assert_eq!(self.peek(), Some(&Token::Close), "unbalanced {}", self.formula);
                self.at += 1;
                Arg::One(self.call(&name, args))
            }
            other => panic!("unexpected {other:?} in {}", self.formula),
        }
    }

    fn call(&self, name: &str, args: Vec<Arg>) -> Value {
        match name {
            // SUM adds the numbers of a range, leaving text and empty cells out.
            "SUM" => {
                let mut sum = 0.0;
                for arg in args {
                    match arg {
                        Arg::Many(values) => {
                            for value in values {
                                match value {
                                    Value::Number(n) => sum += n,
                                    Value::Error(e) => return Value::Error(e),
                                    _ => {}
                                }
                            }
                        }
                        Arg::One(value) => match value.number() {
                            Ok(n) => sum += n,
                            Err(e) => return Value::Error(e),
                        },
                    }
                }
                Value::Number(sum)
            }
            "IF" => {
                let mut args = args.into_iter().map(Arg::value);
                let condition = args.next().expect("IF's condition");
                let (then, otherwise) = (args.next().expect("IF's value"), args.next().unwrap_or(Value::Bool(false)));
                match condition {
                    Value::Error(e) => Value::Error(e),
                    Value::Bool(true) => then,
                    Value::Bool(false) => otherwise,
                    other => match other.number() {
                        Ok(n) if n != 0.0 => then,
                        Ok(_) => otherwise,
                        Err(e) => Value::Error(e),
                    },
                }
            }
            // COUNTIF with a plain criterion: cells equal to it (text ignoring case).
            "COUNTIF" => {
                let mut args = args.into_iter();
                let Some(Arg::Many(values)) = args.next() else { panic!("COUNTIF over a range in {}", self.formula) };
                let criterion = args.next().expect("COUNTIF's criterion").value();
                let wanted = criterion.text().to_lowercase();
                assert!(!wanted.starts_with(['<', '>', '=']), "teach COUNTIF's operators: {}", self.formula);
                let count = values
                    .iter()
                    .filter(|v| match (v, &criterion) {
                        (Value::Number(n), Value::Number(m)) => n == m,
                        (Value::Empty, _) => false,
                        _ => v.text().to_lowercase() == wanted,
                    })
                    .count();
                Value::Number(count as f64)
            }
            other => panic!("the recalculation does not know {other}: teach it ({})", self.formula),
        }
    }
}

/// Recalculates every formula of the workbook at `path` from the cells it refers to and
/// compares the result with the value stored in its cell. Returns how many formulas there
/// are and one line per formula whose result differs.
fn recalculate(path: &Path) -> (usize, Vec<String>) {
    let mut book = Book::open(path);
    let mut cells: Vec<(String, u32, u32, String)> = Vec::new();
    for (name, (_, formulas)) in &book.sheets {
        for (row, col, formula) in formulas.used_cells() {
            if !formula.trim().is_empty() {
                let (r, c) = formulas.start().map_or((0, 0), |s| (s.0 + row as u32, s.1 + col as u32));
                cells.push((name.clone(), r, c, formula.clone()));
            }
        }
    }
    cells.sort();
    let mut wrong = Vec::new();
    for (sheet, row, col, formula) in &cells {
        let stored = book.sheets[sheet].0.get_value((*row, *col)).map_or(Value::Empty, Value::of);
        let recalculated = Parser::new(&mut book, sheet, formula).formula();
        if !same(&stored, &recalculated) {
            wrong.push(format!(
                "{sheet}!R{}C{} ={formula}: stored {stored:?}, recalculated {recalculated:?}",
                row + 1,
                col + 1
            ));
        }
    }
    (cells.len(), wrong)
}

fn same(stored: &Value, recalculated: &Value) -> bool {
    match (stored, recalculated) {
        (Value::Number(a), Value::Number(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        _ => stored == recalculated,
    }
}

#[test]
fn the_recalculation_computes_as_a_spreadsheet_does() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("calc.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, value) in [2.0, 3.0, 0.0].into_iter().enumerate() {
        sheet.write_number(row as u32, 0, value).expect("number");
    }
    sheet.write_string(3, 0, "✓").expect("text");
    let cases = [
        ("=SUM(A1:A4)", "5"),
        ("=IF(A3>0,A1/A3,\"—\")", "—"),
        ("=IF(A1>0,A2/A1,\"—\")", "1.5"),
        ("=-A1+A2*2-(A2-A1)", "3"),
        ("=COUNTIF(A1:A4,\"✓\")+COUNTIF(A1:A4,\"√\")", "1"),
        ("=A4&\"\"\"\"", "✓\""),
    ];
    for (row, (formula, _)) in cases.iter().enumerate() {
        sheet.write_formula(row as u32, 1, *formula).expect("formula");
    }
    workbook.save(&path).expect("save");
    let mut book = Book::open(&path);
    let results: Vec<String> = (0..cases.len() as u32).map(|row| book.cell("Sheet1", row, 1).text()).collect();
    assert_eq!(results, cases.map(|(_, value)| value.to_string()));
}

fn demo(dir: &Path) -> Store {
    let mut store = store::open(&dir.join("demo.sqlite3")).expect("open");
    load_demo(&mut store, now()).expect("demo");
    store
}

/// Every workbook the program writes, from the demo year and the ballot fixture, each with
/// the least number of formulas it must have.
fn every_workbook(dir: &Path) -> Vec<(PathBuf, usize)> {
    let mut store = demo(dir);
    let admin = Actor::command_line();
    let mut written = Vec::new();

    let report = dir.join("考核统计表.xlsx");
    let today = now().date();
    write_report(store.conn(), store.actor(), 2017, &report, today, &ExportProgress::new()).expect("report");
    written.push((report, 6));
    // A year without data: every ratio of the 合计 rows is a dash.
    let empty = dir.join("2016考核统计表.xlsx");
    write_report(store.conn(), store.actor(), 2016, &empty, today, &ExportProgress::new()).expect("empty year");
    written.push((empty, 6));

    let volunteer: i64 = store
        .conn()
        .query_row(
            "SELECT s.volunteer_id FROM credit_session s JOIN honor_grant g ON g.volunteer_id = s.volunteer_id
             ORDER BY s.volunteer_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("volunteer");
    let request = CertificateRequest {
        volunteer_id: volunteer,
        from: NaiveDate::from_ymd_opt(2017, 1, 1).expect("day"),
        to: NaiveDate::from_ymd_opt(2017, 12, 31).expect("day"),
        issuing_unit: "市直机关党员志愿服务总队".into(),
        issued_by: "陈立新".into(),
    };
    let certificate = issue_certificate(&mut store, &request, now()).expect("certificate");
    let path = dir.join("证明.xlsx");
    volunteer_desk::io::window::write_certificate(&store, &path, &certificate).expect("certificate");
    written.push((path, 3));

    let ids: Vec<i64> = store.volunteers().expect("volunteers").iter().take(50).map(|v| v.id).collect();
    let path = dir.join("名单.xlsx");
    volunteer_desk::io::window::export_volunteer_list(&store, &path, &ids).expect("list");
    written.push((path, 0));
    let activity = store.activities_in_month(2017, 7).expect("activities").remove(0);
    for (name, sign_in) in [("花名册.xlsx", false), ("签到表.xlsx", true)] {
        let path = dir.join(name);
        volunteer_desk::io::window::export_roster(&store, &path, &activity, sign_in).expect("roster");
        written.push((path, 0));
    }
    let template = dir.join("模板.xlsx");
    volunteer_desk::io::template::write_template(&template).expect("template");
    written.push((template, 0));

    let contest = crate::ballot_workbooks::fixture();
    let conn = contest.store.conn();
    let slips = issue_login_slips(conn, &admin, &[contest.judges[0].0]).expect("slips");
    let path = dir.join("登录单.xlsx");
    volunteer_desk::io::contest_export::write_login_slips(conn, &admin, &path, &slips).expect("slips");
    written.push((path, 0));
    let ballots = export_ballots(&contest.store, Category::Motto, &dir.join("选票")).expect("ballots");
    written.push((ballots[0].clone(), 2));
    for category in Category::ALL {
        volunteer_desk::store::contest::rounds::close_initial(conn, &admin, category).expect("close");
        let path = dir.join(format!("{}评选结果.xlsx", category.label()));
        volunteer_desk::io::contest_export::write_contest_workbook(conn, &admin, category, &path).expect("record");
        written.push((path, 0));
    }
    written
}

#[test]
fn every_formula_of_every_workbook_recalculates_to_the_value_stored_beside_it() {
    let dir = tempfile::tempdir().expect("dir");
    for (path, at_least) in every_workbook(dir.path()) {
        let (formulas, wrong) = recalculate(&path);
        assert!(formulas >= at_least, "{}: {formulas} formulas", path.display());
        assert!(wrong.is_empty(), "{}:\n{}", path.display(), wrong.join("\n"));
    }
}
