//! The sheets of the import workbook (formats.md) and their columns: names, the aliases staff
//! use for them, whether they are required, what kind of value they hold and the short note
//! the template shows under the header. The importer and the template both read this table,
//! so a sheet added here appears in the template and can be given a row parser in
//! `import::sheets` without touching the reader.

/// What a column holds; the template formats it accordingly and the importer reads it so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// A paragraph (活动内容, 作品内容): a wide, wrapping column.
    LongText,
    /// An identifier (编号): kept as text so `001` stays `001`.
    Code,
    /// An 18-character 身份证号: text, never a number (Excel keeps 15 digits of a number).
    IdNumber,
    /// A telephone number: text.
    Phone,
    Date,
    DateTime,
    Integer,
    Decimal,
    /// One of fixed values; the template offers them in a drop-down list and refuses others.
    Choice(&'static [&'static str]),
    /// Usually one of these values (drop-down), others allowed with a warning.
    Suggested(&'static [&'static str]),
}

impl ColumnKind {
    /// Columns Excel must keep as text, or it turns IDs and phones into numbers.
    pub fn is_text_only(self) -> bool {
        matches!(self, ColumnKind::Code | ColumnKind::IdNumber | ColumnKind::Phone)
    }
}

#[derive(Debug)]
pub struct ColumnSpec {
    /// The header the template writes and error messages fall back to.
    pub name: &'static str,
    /// Other headers staff use for the same column.
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub kind: ColumnKind,
    /// The note under the header, after 必填/选填 (which the template adds).
    pub note: &'static str,
    /// The most characters a cell may hold (`domain::limits`); 0 for columns whose values are
    /// checked otherwise (codes, numbers, dates, contest works by their category's rules).
    pub max_chars: usize,
}

impl ColumnSpec {
    /// Whether a header (already reduced by `text::header_key`) names this column.
    pub fn matches(&self, key: &str) -> bool {
        self.name == key || self.aliases.contains(&key)
    }

    /// The note row's text: `必填；…` or `选填；…`. The importer recognises the note row by
    /// these prefixes ([`is_note`]).
    pub fn note_text(&self) -> String {
        let head = if self.required { NOTE_REQUIRED } else { NOTE_OPTIONAL };
        if self.note.is_empty() { head.to_string() } else { format!("{head}；{}", self.note) }
    }
}

const NOTE_REQUIRED: &str = "必填";
const NOTE_OPTIONAL: &str = "选填";

/// Whether a cell of the row under the header is one of the template's notes.
pub fn is_note(text: &str) -> bool {
    text.starts_with(NOTE_REQUIRED) || text.starts_with(NOTE_OPTIONAL)
}

#[derive(Debug)]
pub struct SheetSpec {
    pub name: &'static str,
    /// Other sheet names staff use (`志愿者名单`).
    pub aliases: &'static [&'static str],
    pub columns: &'static [ColumnSpec],
}

impl SheetSpec {
    pub fn matches(&self, key: &str) -> bool {
        self.name == key || self.aliases.contains(&key)
    }

    /// The position of a column in `columns`, by its canonical name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

const fn col(
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    kind: ColumnKind,
    note: &'static str,
) -> ColumnSpec {
    ColumnSpec { name, aliases, required, kind, note, max_chars: 0 }
}

impl ColumnSpec {
    const fn at_most(self, max_chars: usize) -> ColumnSpec {
        ColumnSpec { max_chars, ..self }
    }
}

use crate::domain::limits::{FREE_TEXT, NAME, PERSON_NAME, PLACE};

use ColumnKind::*;

pub const TEAM_KINDS: &[&str] = &["总队", "支队", "专业服务队"];
pub const SERVICE_MODES: &[&str] = &["集中", "分散"];
pub const WORK_CATEGORIES: &[&str] = &["家风家训", "家风家训故事"];
pub const JUDGE_ROLES: &[&str] = &["初评评委", "终审专家"];
pub const GENDERS: &[&str] = &["男", "女"];
/// The drop-down of 政治面貌; the importer also takes the other values of GB/T 4762.
pub const POLITICAL_STATUSES: &[&str] = &["中共党员", "中共预备党员", "共青团员", "群众"];

const TEAM_CODE_ALIASES: &[&str] = &["队伍编号", "服务队编号", "所属队伍编号", "所属服务队编号", "队伍代码"];
const UNIT_ALIASES: &[&str] = &["所属单位", "单位", "单位名称", "工作单位"];
const VOLUNTEER_CODE_ALIASES: &[&str] = &["志愿者编号", "编号", "志愿者号"];
const ID_ALIASES: &[&str] = &["身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"];
const MOBILE_ALIASES: &[&str] = &["手机号", "手机", "手机号码", "联系电话", "电话", "联系方式"];

pub static UNITS: SheetSpec = SheetSpec {
    name: "单位",
    aliases: &["单位名单", "单位信息"],
    columns: &[
        col("单位名称", &["单位", "名称"], true, Text, "单位全称，如 市财政局").at_most(NAME),
        col("党员总数", &["党员人数", "党员数"], true, Integer, "整数，不小于0"),
    ],
};

pub static TEAMS: SheetSpec = SheetSpec {
    name: "服务队",
    aliases: &["队伍", "服务队伍", "服务队名单"],
    columns: &[
        col("队伍编号", &["服务队编号", "队伍代码", "编号"], true, Code, "唯一，如 ZD、ZD-CZJ"),
        col("队伍名称", &["服务队名称", "名称", "队名"], true, Text, "").at_most(NAME),
        col("类型", &["队伍类型", "服务队类型"], true, Choice(TEAM_KINDS), "总队/支队/专业服务队"),
        col(
            "上级编号",
            &["上级队伍编号", "上级队伍", "上级代码"],
            false,
            Code,
            "总队不填；支队填总队编号，专业服务队填所属支队编号",
        ),
        col("所属单位", UNIT_ALIASES, true, Text, "须在“单位”表或系统中已有").at_most(NAME),
        col("负责人", &["负责人姓名", "队长"], true, Text, "专人管理").at_most(PERSON_NAME),
        col(
            "负责人电话",
            &["负责人手机", "负责人联系电话", "联系电话", "电话"],
            true,
            Phone,
            "手机或固话，如 0577-65812345",
        ),
        col("成立日期", &["成立时间", "组建日期", "组建时间"], false, Date, "如 2017-07-01"),
        col("服务领域", &["服务方向", "服务类别"], false, Text, "多个用 、 或 ; 分隔").at_most(FREE_TEXT),
    ],
};

pub static VOLUNTEERS: SheetSpec = SheetSpec {
    name: "志愿者",
    aliases: &["志愿者名单", "志愿者信息", "人员"],
    columns: &[
        col("志愿者编号", VOLUNTEER_CODE_ALIASES, false, Code, "不填则自动生成"),
        col("姓名", &["志愿者姓名", "名字"], true, Text, "").at_most(PERSON_NAME),
        col("性别", &[], false, Choice(GENDERS), "男/女，须与身份证号一致"),
        col("身份证号", ID_ALIASES, true, IdNumber, "18位，校验位按 GB 11643"),
        col("手机号", MOBILE_ALIASES, true, Phone, "11位手机号"),
        col("所属单位", UNIT_ALIASES, true, Text, "须在“单位”表或系统中已有").at_most(NAME),
        col("服务队编号", TEAM_CODE_ALIASES, false, Code, "须在“服务队”表或系统中已有"),
        col("政治面貌", &[], false, Suggested(POLITICAL_STATUSES), "不填为中共党员"),
        col("专业特长", &["特长", "专业技能", "技能"], false, Text, "").at_most(FREE_TEXT),
        col("注册日期", &["注册时间", "登记日期", "加入日期"], false, Date, "不填为导入当天，不能晚于今天"),
    ],
};

pub static ACTIVITIES: SheetSpec = SheetSpec {
    name: "活动",
    aliases: &["活动列表"],
    columns: &[
        col("活动编号", &["编号"], true, Code, "唯一"),
        col("活动名称", &["名称"], true, Text, "").at_most(NAME),
        col("组织队伍编号", &["队伍编号", "服务队编号", "组织队伍"], true, Code, "须在“服务队”表或系统中已有"),
        col("服务类别", &["类别"], true, Text, "如 文明创建、送医下乡").at_most(NAME),
        col("服务方式", &["方式"], true, Choice(SERVICE_MODES), "集中/分散"),
        col("开始时间", &[], true, DateTime, "如 2017-07-01 08:30"),
        col("结束时间", &[], true, DateTime, "须晚于开始时间"),
        col("地点", &["活动地点"], false, Text, "").at_most(PLACE),
        col("招募人数", &["人数"], false, Integer, "大于0"),
        col("招募开始", &["招募开始时间"], false, DateTime, ""),
        col("招募截止", &["招募截止时间"], false, DateTime, "不晚于开始时间"),
        col("负责人", &[], false, Text, "").at_most(PERSON_NAME),
        col("活动内容", &["内容"], false, LongText, "").at_most(FREE_TEXT),
    ],
};

pub static ATTENDANCE: SheetSpec = SheetSpec {
    name: "签到记录",
    aliases: &["签到"],
    columns: &[
        col("活动编号", &[], true, Code, ""),
        col("志愿者编号", VOLUNTEER_CODE_ALIASES, false, Code, "与身份证号至少填一项"),
        col("身份证号", ID_ALIASES, false, IdNumber, "与志愿者编号至少填一项"),
        col("签到时间", &[], true, DateTime, "如 2017-07-01 08:30"),
        col("签退时间", &[], false, DateTime, "不填表示尚未签退"),
    ],
};

pub static HONOR_HOURS: SheetSpec = SheetSpec {
    name: "荣誉时数",
    aliases: &[],
    columns: &[
        col("志愿者编号", VOLUNTEER_CODE_ALIASES, false, Code, "与身份证号至少填一项"),
        col("身份证号", ID_ALIASES, false, IdNumber, "与志愿者编号至少填一项"),
        col("时数", &["小时数", "荣誉时数"], true, Decimal, "小时，可带一位小数"),
        col("服务日期", &[], true, Date, ""),
        col("事由", &["原因"], true, Text, "如 补录、忘记签退").at_most(FREE_TEXT),
        col("活动编号", &[], false, Code, ""),
        col("批准人", &[], true, Text, "").at_most(PERSON_NAME),
    ],
};

pub static WORKS: SheetSpec = SheetSpec {
    name: "作品",
    aliases: &[],
    columns: &[
        col("作品编号", &["编号"], false, Code, "不填则自动生成"),
        col("类别", &["作品类别"], true, Choice(WORK_CATEGORIES), "家风家训/家风家训故事"),
        col("标题", &["题目"], false, Text, "").at_most(NAME),
        col("内容", &["作品内容"], true, LongText, "家风家训4至50字，故事300至1500字（以评选设置为准）"),
        col("作者", &["姓名"], true, Text, "").at_most(PERSON_NAME),
        col("单位", UNIT_ALIASES, true, Text, "").at_most(NAME),
        col("联系电话", MOBILE_ALIASES, false, Phone, ""),
        col("提交日期", &["投稿日期"], true, Date, ""),
    ],
};

pub static JUDGES: SheetSpec = SheetSpec {
    name: "评委",
    aliases: &[],
    columns: &[
        col("姓名", &["评委姓名"], true, Text, "").at_most(PERSON_NAME),
        col("单位", UNIT_ALIASES, true, Text, "").at_most(NAME),
        col("职务", &[], false, Text, "").at_most(NAME),
        col("角色", &[], true, Choice(JUDGE_ROLES), "初评评委/终审专家"),
    ],
};

pub static BALLOTS: SheetSpec = SheetSpec {
    name: "选票",
    aliases: &[],
    columns: &[
        col("评委姓名", &["评委"], true, Text, "每选一件作品一行；须在初评开启期间导入").at_most(PERSON_NAME),
        col("类别", &["作品类别"], true, Choice(WORK_CATEGORIES), "家风家训/家风家训故事"),
        col("作品编号", &[], true, Code, "超出限选数的选票整张作废"),
    ],
};

/// Every sheet of formats.md, in the order of the template (and of dependency: a sheet only
/// refers to sheets before it).
pub static ALL: [&SheetSpec; 9] =
    [&UNITS, &TEAMS, &VOLUNTEERS, &ACTIVITIES, &ATTENDANCE, &HONOR_HOURS, &WORKS, &JUDGES, &BALLOTS];

/// The sheet a workbook's sheet name stands for.
pub fn sheet_for_name(name: &str) -> Option<&'static SheetSpec> {
    let key = crate::io::text::header_key(name);
    ALL.iter().copied().find(|s| s.matches(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_aliases_are_unambiguous_within_a_sheet() {
        for sheet in ALL {
            let mut seen = std::collections::HashSet::new();
            for column in sheet.columns {
                let own: std::collections::BTreeSet<&str> =
                    std::iter::once(column.name).chain(column.aliases.iter().copied()).collect();
                for name in own {
                    assert!(seen.insert(name), "{}: “{name}” names two columns", sheet.name);
                }
            }
        }
    }

    #[test]
    fn sheet_names_are_unambiguous() {
        let mut seen = std::collections::HashSet::new();
        for sheet in ALL {
            for name in std::iter::once(&sheet.name).chain(sheet.aliases) {
                assert!(seen.insert(*name), "“{name}” names two sheets");
            }
        }
        assert_eq!(sheet_for_name(" 志愿者名单 ").map(|s| s.name), Some("志愿者"));
    }

    #[test]
    fn every_note_is_recognised_as_a_note() {
        for sheet in ALL {
            for column in sheet.columns {
                assert!(is_note(&column.note_text()), "{}", column.name);
            }
        }
    }
}
