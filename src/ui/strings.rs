//! Every Chinese label of the window, in one place so tests click the same text users see.

pub const APP_TITLE: &str = "机关党员志愿服务管理";

pub const TAB_REGISTRY: &str = "队伍";
pub const TAB_CALENDAR: &str = "日历";
pub const TAB_ATTENDANCE: &str = "签到";
pub const TAB_CONTEST: &str = "家风家训";
pub const TAB_REPORTS: &str = "报表";
pub const TAB_SYSTEM: &str = "系统";

// Accounts and the login gate
pub const FIRST_RUN_TITLE: &str = "首次使用：创建管理员账号";
pub const FIRST_RUN_HINT: &str = "管理员可以管理账号、授予荣誉时数、组织评选和恢复备份。请牢记密码。";
pub const LOGIN_NAME: &str = "登录名";
pub const DISPLAY_NAME: &str = "姓名";
pub const PASSWORD: &str = "密码";
pub const REPEAT_PASSWORD: &str = "再次输入密码";
pub const CURRENT_PASSWORD: &str = "原密码";
pub const NEW_PASSWORD: &str = "新密码";
pub const PASSWORDS_DIFFER: &str = "两次输入的密码不一致";
pub const CREATE_ADMINISTRATOR: &str = "创建管理员";
pub const LOGIN_TITLE: &str = "登录";
pub const LOGIN: &str = "登录";
pub const DEMO_ACCOUNTS_HINT: &str = "示例账号：管理员 admin / admin123，录入员 luru / luru123，监督 jiandu / jiandu123，评委 pw001–pw040、专家 zj041–zj047 / demo2017";
pub const CHANGE_PASSWORD: &str = "修改密码";
pub const MUST_CHANGE_PASSWORD_HINT: &str = "这是管理员发放的一次性初始密码，请先设置自己的新密码。";
pub const SWITCH_USER: &str = "切换用户";
pub const LOCK: &str = "锁定";
pub const LOCKED_NOTE: &str = "窗口已锁定，请重新输入密码。";
pub const SWITCH_USER_NOTE: &str = "请下一位用户登录；用完后点“切换用户”交还。";
pub const READ_ONLY_BANNER: &str = "只读：另一个窗口正在使用这个数据库，本窗口只能查看。";
pub const RETRY_WRITE: &str = "重新获取写权限";

// 系统 tab
pub const ACCOUNTS: &str = "账号";
pub const AUDIT_LOG: &str = "操作日志";
pub const BACKUPS: &str = "备份与恢复";
pub const ADD_ACCOUNT: &str = "新增账号";
pub const ROLE: &str = "角色";
pub const RESET_PASSWORD: &str = "重置密码";
pub const DISABLE: &str = "停用";
pub const ENABLE: &str = "启用";
pub const VERIFY_AUDIT: &str = "校验哈希链";
pub const BACKUP_NOW: &str = "立即备份";
pub const RESTORE_BACKUP: &str = "从备份恢复";
pub const CONFIRM_RESTORE: &str = "确认恢复";

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

// 日历 tab
pub const PREVIOUS_MONTH: &str = "上个月";
pub const NEXT_MONTH: &str = "下个月";
pub const GO_TO_YEAR: &str = "年份";
pub const TODAY: &str = "今天";
pub const MONTH_VIEW: &str = "月视图";
pub const LIST_VIEW: &str = "列表";
pub const ALL_CATEGORIES: &str = "全部类别";
pub const NO_HOLIDAY_SCHEDULE: &str = "本年的法定节假日安排尚未收录，调休未标出。";
pub const NO_ACTIVITIES: &str = "本月没有活动";
pub const NEW_ACTIVITY: &str = "新建活动";
pub const NEW_ACTIVITY_ON_DAY: &str = "在这一天新建活动";
pub const EDIT_ACTIVITY: &str = "编辑活动";
pub const FIELD_ACTIVITY_NAME: &str = "活动名称";
pub const FIELD_ORGANISER: &str = "组织队伍";
pub const FIELD_CATEGORY: &str = "服务类别";
pub const FIELD_MODE: &str = "服务方式";
pub const FIELD_STARTS_AT: &str = "开始时间";
pub const FIELD_ENDS_AT: &str = "结束时间";
pub const FIELD_PLACE: &str = "地点";
pub const FIELD_LEADER: &str = "负责人";
pub const FIELD_CAPACITY: &str = "招募人数";
pub const FIELD_RECRUIT_FROM: &str = "招募开始";
pub const FIELD_RECRUIT_UNTIL: &str = "招募截止";
pub const FIELD_CONTENT: &str = "活动内容";
pub const PUBLISH: &str = "发布招募";
pub const PUBLISH_HINT: &str = "标记为招募中，并把招募通知复制到剪贴板，可直接粘贴到微信群";
pub const PUBLISHED: &str = "已发布，招募通知已复制到剪贴板";
pub const EXPORT_ROSTER: &str = "导出报名名单";
pub const SIGN_IN_SHEET: &str = "打印签到表";
pub const DELETE_ACTIVITY: &str = "删除活动";
pub const CANCEL_ACTIVITY: &str = "取消活动";
pub const CANCEL_REASON: &str = "取消原因";
pub const NO_SIGNUPS: &str = "还没有人报名";
pub const WITHDRAW: &str = "退出";
pub const SIGN_UP_VOLUNTEER: &str = "为志愿者报名";
pub const ACTIVITY_RECORD: &str = "活动记录";
pub const RECORD_SUMMARY: &str = "开展情况";
pub const PEOPLE_SERVED: &str = "服务人数";
pub const SAVE_RECORD: &str = "保存记录";
pub const ADD_PHOTO: &str = "添加照片";
pub const FILTER_CATEGORY: &str = "类别";

// 签到 tab
pub const SECTION_DESK: &str = "签到台";
pub const SECTION_OPEN: &str = "未签退处理";
pub const SECTION_GRANT: &str = "荣誉时数";
pub const SECTION_LEDGER: &str = "时数台账";
pub const DESK_ACTIVITY: &str = "签到活动";
pub const CHOOSE_ACTIVITY: &str = "请选择正在进行的活动";
pub const DESK_HINT: &str =
    "选择活动后，输入姓名、拼音首字母、编号或手机尾号，按回车即可签到；已签到的再按一次即签退。";
pub const DESK_SEARCH: &str = "查找志愿者";
pub const SIGN_IN: &str = "签到";
pub const SIGN_OUT: &str = "签退";
pub const SIGNED_IN_NOW: &str = "正在服务";
pub const OPEN_HINT: &str =
    "活动当天结束仍未签退的记录不计时数。核实后可补录荣誉时数（不超过活动时长减去已获时数）并结案。";
pub const NO_OPEN_SESSIONS: &str = "没有需要处理的未签退记录。";
pub const RESOLVE: &str = "补录并结案";
pub const GRANT_HINT: &str = "荣誉时数由管理员登记：忘记签退、系统启用前的服务或补录。每条记录都注明事由和批准人。";
pub const GRANT_TO: &str = "登记给：";
pub const ADD_GRANTEE: &str = "添加志愿者";
pub const GRANT_HOURS: &str = "时数";
pub const SERVICE_DATE: &str = "服务日期";
pub const GRANT_REASON: &str = "事由";
pub const GRANT_ACTIVITY: &str = "关联活动";
pub const NO_ACTIVITY: &str = "（不关联活动）";
pub const GRANT: &str = "登记荣誉时数";
pub const LEDGER_OF: &str = "查看台账";
pub const CORRECT: &str = "更正";
pub const CORRECTION_HOURS: &str = "更正时数";
pub const CORRECTION_REASON: &str = "更正原因";
pub const SAVE_CORRECTION: &str = "登记更正";
/// Who the window records as acting, until accounts arrive.
pub const FILTER_TEAM: &str = "队伍";
pub const LEDGER_OF_ACTIVITY: &str = "或查看活动台账";
pub const NEW_CATEGORY: &str = "或新增类别";

// 报表 tab
pub const REPORT_YEAR: &str = "统计年度";
pub const READING_REPORT: &str = "正在汇总全年数据……";
pub const EXPORT_REPORT: &str = "导出考核统计表";
pub const EXPORT_REPORT_HINT: &str = "汇总、队伍、活动、志愿者时数、活动月与图表，可直接打印（A4 横向）";
pub const CANCEL_EXPORT: &str = "取消导出";
pub const CERTIFICATE: &str = "志愿服务证明";
pub const CERTIFICATE_HINT: &str = "按《志愿服务记录与证明出具办法》出具，编号登记备查；补打沿用原编号。";
pub const CERTIFICATE_VOLUNTEER: &str = "志愿者编号";
pub const CERTIFICATE_FROM: &str = "开始日期";
pub const CERTIFICATE_TO: &str = "结束日期";
pub const ISSUE_CERTIFICATE: &str = "出具并保存";
pub const CERTIFICATE_SERIAL: &str = "证明编号";
pub const REPRINT: &str = "补打";
pub const CLOSE: &str = "关闭";
pub const BELOW_THRESHOLD: &str = "未达标单位";
pub const THRESHOLD: &str = "年度达标时数";
pub const SAVE_THRESHOLD: &str = "保存达标时数";
pub const THRESHOLD_HINT: &str = "考核统计“达标人数、达标率”按此时数计算";
pub const CHART_BY_MONTH: &str = "各月服务时数（小时）";
pub const CHART_BY_UNIT: &str = "服务时数最多的单位";
pub const CHART_BY_CATEGORY: &str = "各服务类别时数";
