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

// 队伍 tab
pub const TEAM_TREE: &str = "队伍树";
pub const ALL_TEAMS: &str = "全部队伍";
pub const DISSOLVED_MARK: &str = "（已撤销）";
pub const DISSOLVE_TEAM: &str = "撤销队伍";
pub const CONFIRM_DISSOLVE: &str = "确认撤销";
pub const UNITS: &str = "单位与党员总数";
pub const PARTY_MEMBERS: &str = "党员总数";
pub const EDIT_PARTY_MEMBERS: &str = "点击修改党员总数";
pub const SEARCH: &str = "搜索";
pub const SEARCH_HINT: &str = "姓名、拼音首字母、编号或手机尾号";
pub const FILTER_UNIT: &str = "单位";
pub const ALL_UNITS: &str = "全部单位";
pub const FILTER_POLITICAL: &str = "政治面貌";
pub const ALL_POLITICAL: &str = "全部";
pub const RECYCLE_BIN: &str = "回收站";
pub const ADD_VOLUNTEER: &str = "新增志愿者";
pub const EDIT_VOLUNTEER: &str = "编辑志愿者";
pub const IMPORT: &str = "导入";
pub const DOWNLOAD_TEMPLATE: &str = "下载导入模板";
pub const EXPORT_LIST: &str = "导出名单";
pub const NO_VOLUNTEERS: &str = "没有符合条件的志愿者";
pub const EDIT: &str = "编辑";
pub const DELETE: &str = "删除";
pub const DELETE_HINT: &str = "移入回收站，可随时恢复";
pub const RESTORE: &str = "恢复";
pub const REVEAL_ID: &str = "显示证件号";
pub const SAVE: &str = "保存";
pub const CANCEL: &str = "取消";
pub const FIELD_NAME: &str = "姓名";
pub const FIELD_ID_NUMBER: &str = "身份证号";
pub const FIELD_PHONE: &str = "手机号";
pub const FIELD_UNIT: &str = "所属单位";
pub const FIELD_TEAM: &str = "服务队";
pub const FIELD_POLITICAL: &str = "政治面貌";
pub const FIELD_SKILLS: &str = "专业特长";
pub const FIELD_REGISTERED_ON: &str = "注册日期";
pub const MOVED_TO_BIN: &str = "已移入回收站，可勾选“回收站”查看并恢复";
pub const RESTORED: &str = "已从回收站恢复";
pub const CANCELLED: &str = "已取消";
pub const IMPORT_TITLE: &str = "导入 Excel";
pub const CONFIRM_IMPORT: &str = "确认导入";
pub const IMPORT_NOTHING_NEW: &str = "文件中的记录都已在数据库中，没有需要新增的内容。";
pub const TEMPLATE_SAVED: &str = "导入模板已保存到";
pub const EDIT_TEAM: &str = "编辑队伍";
pub const ADD_CHILD_TEAM: &str = "新建下级队伍";
pub const ADD_UNIT: &str = "新增单位";
pub const NEW_UNIT_NAME: &str = "单位名称";
pub const FIELD_TEAM_CODE: &str = "队伍编号";
pub const FIELD_TEAM_NAME: &str = "队伍名称";
pub const FIELD_PARENT: &str = "上级队伍";
pub const FIELD_MANAGER: &str = "负责人";
pub const FIELD_MANAGER_PHONE: &str = "负责人电话";
pub const FIELD_FOUNDED_ON: &str = "成立日期";
pub const FIELD_SERVICE_FIELDS: &str = "服务领域";
