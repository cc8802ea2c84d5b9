//! Every Chinese label of the window, in one place so tests click the same text users see.

pub const APP_TITLE: &str = "机关党员志愿服务管理";

pub const TAB_REGISTRY: &str = "队伍";
pub const TAB_CALENDAR: &str = "日历";
pub const TAB_ATTENDANCE: &str = "签到";
pub const TAB_CONTEST: &str = "家风家训";
pub const TAB_REPORTS: &str = "报表";

pub const TEXT_SIZE: &str = "字号";
pub const TEXT_SIZE_STANDARD: &str = "标准";
pub const TEXT_SIZE_LARGE: &str = "大";
pub const TEXT_SIZE_EXTRA_LARGE: &str = "特大";

pub const EMPTY_DATABASE: &str = "数据库中还没有数据";
pub const EMPTY_DATABASE_HINT: &str =
    "可以先载入示例数据熟悉程序：某市直机关 2017 年的 52 个单位、78 支队伍、2319 名志愿者、30 次活动和全年时数。";
pub const LOAD_DEMO: &str = "载入示例数据";
pub const LOADING_DEMO: &str = "正在载入示例数据……";
pub const DEMO_LOADED: &str = "示例数据已载入";

pub const STATUS_DATABASE: &str = "数据库";
pub const OPEN_FAILED: &str = "无法打开数据库";
