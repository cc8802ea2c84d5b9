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
pub const DAMAGED_BANNER: &str = "数据库文件已损坏：";
pub const DAMAGED_STOPPED: &str = "为保护数据，本窗口已停止写入。";
pub const RESTORE_NEWEST: &str = "从最近的完好备份恢复";
pub const RESTORE_NEEDS_ADMIN: &str = "请以管理员身份登录后恢复（另一个窗口也打开着这个文件时不能恢复）";
pub const NO_SOUND_BACKUP: &str = "备份文件夹中没有通过检查的备份：请先复制一份数据库文件留存，再联系技术人员。";
pub const AUTOMATIC_BACKUP: &str = "自动备份";
pub const DAILY_BACKUP_FAILED: &str = "今天的自动备份没有完成：";
pub const READ_ONLY_BANNER: &str = "只读：另一个窗口正在使用这个数据库，本窗口只能查看。";
pub const RETRY_WRITE: &str = "重新获取写权限";
pub const READ_ONLY_FILE_BANNER: &str = "只读：数据库文件（或其所在文件夹、共享）不允许写入，本窗口只能查看。";
pub const OPENING: &str = "正在打开数据库……";
pub const UPGRADING: &str = "正在升级数据库：这个文件由旧版本的程序创建，升级完成前请不要关闭窗口";
pub const CHECKING_FILE: &str = "正在检查数据库文件，检查完毕前暂不能修改数据。";
pub const DAMAGED_READ_ONLY: &str = "数据库文件已损坏，为保护数据，本窗口已停止写入。";
pub const NO_FILE_DIALOG: &str =
    "没有找到可用的系统文件对话框（Linux 上需要 xdg-desktop-portal 或 zenity）。请输入或粘贴完整路径：";
pub const FILE_PATH: &str = "文件路径";
pub const TYPE_A_PATH: &str = "没有可用的系统文件对话框：请在窗口中输入文件路径。";
pub const STILL_READ_ONLY: &str = "另一个窗口仍在使用这个数据库，本窗口仍只能查看。";

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
pub const ANCHOR: &str = "核对抄录的校验码";
pub const CHECK_ANCHOR: &str = "核对";
pub const BACKUP_NOW: &str = "立即备份";
pub const RESTORE_BACKUP: &str = "从备份恢复";
pub const CONFIRM_RESTORE: &str = "确认恢复";
/// The button that restores another database's backup (or one that cannot be told) after its warning.
pub const CONFIRM_RESTORE_OTHER: &str = "仍要恢复";
pub const RESTORE_OTHER_TITLE: &str = "这不是本数据库的备份";
/// Said at the login after a restore: the accounts are those of the file restored.
pub const RESTORED_NOTE: &str = "数据已从备份恢复，请用恢复后的数据中的账号重新登录。";
pub const LIFT_LOCK: &str = "解除锁定";

// 系统 → 数据密钥 (issue #20)
pub const DATA_KEY: &str = "数据密钥";
pub const MAKE_RECOVERY_CODE: &str = "生成恢复码";
pub const ENTER_RECOVERY_CODE: &str = "输入恢复码";
pub const RECOVERY_CODE: &str = "恢复码";
pub const UNLOCK: &str = "解锁";
pub const LATER: &str = "稍后";
pub const SAVE_RECOVERY_SHEET: &str = "另存为文本文件（打印用）…";
pub const RECOVERY_CODE_NOTED: &str = "我已抄录/打印";
pub const NEW_RECOVERY_CODE_TITLE: &str = "新的恢复码（只显示这一次）";
pub const RECOVERY_CODE_PURPOSE: &str = "在另一台电脑、另一个账户上打开这个数据库或它的备份时，须输入恢复码才能录入和显示身份证号、手机号。\
    恢复码只显示这一次：请抄录或打印后与公章同等保管，不要保存在这台电脑或备份盘上。\
    恢复码和本机密钥都丢失时，身份证号和手机号无法恢复，其余数据不受影响。";
pub const REPLACE_RECOVERY_CODE: &str = "生成新的恢复码？此前的恢复码将作废，旧的打印件请一并销毁。";
pub const NO_RECOVERY_CODE_PROMPT: &str = "尚未生成恢复码。数据密钥只保存在这台电脑上：电脑损坏、重装或换账户后，\
    没有恢复码就无法再读取身份证号和手机号。请现在生成恢复码并打印保管。";
pub const NO_RECOVERY_CODE_BANNER: &str = "尚未生成恢复码：本机密钥一旦丢失，身份证号和手机号将无法恢复。";
pub const NO_KEY_BANNER: &str = "本机没有这个数据库的数据密钥：身份证号、手机号不能录入或显示，其余功能不受影响。";
pub const NO_KEY_ASK_ADMIN: &str = "请管理员输入恢复码。";
pub const ENTER_RECOVERY_CODE_HINT: &str =
    "输入打印件上的 24 个字符（大小写、空格和横线均可）。正确后密钥保存在本机，以后不再询问。";
pub const RESEAL_BACKUPS: &str = "加密旧备份";
pub const CONFIRM_RESEAL: &str = "确认加密";
pub const CONFIRM_NEW_CODE: &str = "确认生成";
// 更换数据密钥 (issue #26)
pub const CHANGE_DATA_KEY: &str = "更换数据密钥";
pub const CHANGE_DATA_KEY_QUESTION: &str = "更换数据密钥？程序将生成新的随机密钥，用它重新加密全部身份证号和手机号、\
    重新计算证件号索引、重新签名操作日志，并生成新的恢复码（只显示一次）。完成后旧密钥和旧恢复码都打不开这个数据库；\
    此前抄录的校验码不再适用；此前的备份仍由各自当时的恢复码打开。数据量大时需要一些时间，期间请勿关闭程序。";
pub const CONFIRM_CHANGE_DATA_KEY: &str = "确认更换";
pub const CHANGING_DATA_KEY: &str =
    "正在更换数据密钥：重新加密身份证号和手机号、重新签名操作日志……请稍候，不要关闭程序。";
pub const RESTORING: &str = "正在恢复……请稍候，不要关闭程序。恢复完毕后须重新登录。";
pub const MAKING_RECOVERY_CODE: &str = "正在生成恢复码……";
pub const CHECKING_RECOVERY_CODE: &str = "正在核对恢复码……";
pub const RECOVERY_CODE_MADE: &str = "已生成恢复码，请抄录或打印后妥善保管";
pub const RECOVERY_CODE_UNLOCKED: &str = "恢复码正确：数据密钥已保存在本机，身份证号和手机号可以录入和显示";
pub const CHANGE_DATA_KEY_PURPOSE: &str = "只生成新的恢复码，密钥不变：旧恢复码配上旧备份仍能得到今天的密钥。\
    怀疑旧恢复码或密钥外泄时，请更换数据密钥。";

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
/// The store's own refusal (demo::load_demo), said before anyone tries.
pub const DEMO_NEEDS_EMPTY: &str = "数据库中已有数据，示例数据只能载入空数据库";

// The empty state and the 开始使用 checklist (first_day.rs)
pub const GETTING_STARTED: &str = "开始使用";
pub const GETTING_STARTED_DONE: &str = "开始使用（已全部完成）";
pub const IMPORT_WORKBOOK: &str = "导入工作簿";
pub const NO_UNITS: &str = "还没有单位";
pub const NO_UNITS_HINT: &str =
    "队伍、志愿者和活动都属于单位。可以逐个新建单位，也可以把已有的名单填进导入模板后导入工作簿。";
pub const NO_TEAMS: &str = "还没有队伍";
pub const NO_TEAMS_HINT: &str = "活动由队伍组织。先新建总队，再在队伍树中为各单位新建支队和专业服务队。";
pub const NO_VOLUNTEERS_YET: &str = "还没有志愿者";
pub const NO_VOLUNTEERS_HINT: &str = "签到和时数记在志愿者名下。在队伍页新增志愿者，或导入志愿者花名册。";
pub const NO_RECORDS: &str = "还没有可统计的数据";
pub const NO_RECORDS_HINT: &str = "报表统计志愿者和活动。先建好单位、队伍和志愿者，再新建活动并签到。";
pub const READ_ONLY_EMPTY_HINT: &str = "请管理员或录入员先录入或导入数据。";
pub const STEP_UNITS: &str = "单位";
pub const STEP_TEAMS: &str = "队伍";
pub const STEP_VOLUNTEERS: &str = "志愿者";
pub const STEP_ACTIVITIES: &str = "活动";
pub const STEP_SIGN_IN: &str = "签到";

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
pub const IMPORT_ERRORS_COLUMN: &str = "错误（处）";
pub const IMPORT_READ_AS: &str = "以下单元格将按规范写入";
pub const IMPORT_NOTHING_NEW: &str = "文件中的记录都已在数据库中，没有需要新增的内容。";
pub const TEMPLATE_SAVED: &str = "导入模板已保存到";
pub const EDIT_TEAM: &str = "编辑队伍";
pub const ADD_CHILD_TEAM: &str = "新建下级队伍";
pub const NEW_UNIT: &str = "新建单位";
pub const EDIT_UNIT: &str = "修改单位";
pub const NEW_CORPS: &str = "新建总队";
pub const NEW_DETACHMENT: &str = "新建支队";
pub const NEW_SPECIALISED: &str = "新建专业服务队";
pub const NO_CORPS_YET: &str = "还没有总队：队伍树从总队开始，支队建在总队下，专业服务队建在支队下。";
pub const TABLE_SCROLLS_SIDEWAYS: &str = "表格较宽：拖动表格下方的滚动条（或按住 Shift 转动滚轮）查看右侧各列 →";
pub const CORPS_EXISTS: &str = "总队只有一个，已建好；支队建在总队下，专业服务队请先选中所属支队再新建。";
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
pub const FIELD_CONTACT_PHONE: &str = "联系电话";
pub const CONTACT_PHONE_HINT: &str = "印在通知上，如 0571-87654321";
pub const SIGN_UP_PREFIX: &str = "报名：";
/// At capacity a sign-up joins the waiting list, and its button says so before the click.
pub const WAITLIST_SIGN_UP_PREFIX: &str = "候补报名：";
pub const WAITING_NUMBER: &str = "候补";
pub const CONFIRM_CANCEL_ACTIVITY: &str = "确认取消活动";
pub const CANCEL_REASON_MISSING: &str = "请填写取消原因：它会写进取消通知";
pub const CHANGE_TIME_OR_PLACE: &str = "修改已有人报名的活动的时间或地点？";
pub const CONFIRM_CHANGE: &str = "确认修改";
pub const COPY_NOTICE: &str = "复制";
pub const NOTICE_COPIED: &str = "通知已复制到剪贴板，可直接粘贴到微信群";
pub const PEOPLE_TO_TELL: &str = "需要通知的人";
pub const TIME_CHANGE_NOTICE: &str = "活动变更通知";
pub const CANCELLATION_NOTICE: &str = "取消通知";
pub const PROMOTION_NOTICE: &str = "递补通知";
pub const RECORD_AFTER_START: &str = "活动开始后才能填写活动记录、添加照片";

// 签到 tab
pub const SECTION_DESK: &str = "签到台";
pub const SECTION_OPEN: &str = "未签退处理";
pub const SECTION_GRANT: &str = "荣誉时数";
pub const SECTION_LEDGER: &str = "时数台账";
pub const DESK_ACTIVITY: &str = "签到活动";
pub const CHOOSE_ACTIVITY: &str = "请选择正在进行的活动";
pub const CHOOSE_ANY_ACTIVITY: &str = "请选择活动";
pub const DESK_HINT: &str = "选择活动后，输入姓名、拼音首字母、编号或手机尾号：只有一人符合时按回车即签到（已签到的即签退），多人符合时先用 ↑↓ 选择。";
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
/// A tab whose first read runs on its worker.
pub const READING: &str = "正在读取…";
pub const EXPORT_REPORT: &str = "导出考核统计表";
pub const EXPORT_REPORT_HINT: &str = "汇总、队伍、活动、志愿者时数、活动月与图表，可直接打印（A4 横向）";
pub const CANCEL_EXPORT: &str = "取消导出";
pub const CERTIFICATE: &str = "志愿服务证明";
pub const CERTIFICATE_HINT: &str = "按《志愿服务记录与证明出具办法》出具，编号登记备查；补打沿用原编号。";
pub const CERTIFICATE_VOLUNTEER: &str = "志愿者";
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
// 家风家训 tab
pub const CONTEST_WORKS: &str = "作品";
pub const CONTEST_SCREENING: &str = "查重";
pub const CONTEST_JUDGES: &str = "评委";
pub const CONTEST_ROUNDS: &str = "评审进程";
pub const CONTEST_TALLY: &str = "计票与入围";
pub const CONTEST_FINAL: &str = "终审与奖项";
pub const CONTEST_PUBLICITY: &str = "公示";
pub const CONTEST_BALLOT: &str = "初评投票";
pub const CONTEST_SCORING: &str = "终审评分";
pub const ADD_WORK: &str = "新增作品";
pub const EDIT_WORK: &str = "编辑作品";
pub const IMPORT_WORKS: &str = "导入作品表";
pub const WORK_SEARCH_HINT: &str = "编号、内容、作者、拼音首字母或手机尾号";
pub const WORK_CATEGORY: &str = "类别";
pub const WORK_CODE: &str = "作品编号";
pub const WORK_CODE_HINT: &str = "留空自动生成";
pub const WORK_TITLE: &str = "标题";
pub const WORK_CONTENT: &str = "内容";
pub const WORK_AUTHOR: &str = "作者";
pub const WORK_UNIT: &str = "作者单位";
pub const WORK_PHONE: &str = "联系电话";
pub const WORK_DATE: &str = "提交日期";
pub const WORK_STATUS: &str = "状态";
pub const ALL_STATUSES: &str = "全部状态";
pub const DATE_FROM: &str = "提交日期从";
pub const DATE_TO: &str = "至";
pub const WITHDRAW_WORK: &str = "撤回";
pub const WITHDRAW_REASON: &str = "撤回原因";
pub const CONFIRM_WITHDRAW: &str = "确认撤回";
pub const NO_WORKS: &str = "没有符合条件的作品";
pub const SHOW_DECIDED: &str = "显示已处理的";
pub const DECIDE_KEEP: &str = "保留两件（不是重复）";
pub const DECIDE_MERGE_KEEP_LEFT: &str = "合并，保留左边";
pub const DECIDE_MERGE_KEEP_RIGHT: &str = "合并，保留右边";
pub const DECIDE_EXCLUDE_KEEP_LEFT: &str = "排除右边，保留左边";
pub const DECIDE_EXCLUDE_KEEP_RIGHT: &str = "排除左边，保留右边";
pub const DECISION_NOTE: &str = "处理说明";
pub const ADD_JUDGE: &str = "新增评委";
pub const JUDGE_NAME: &str = "姓名";
pub const JUDGE_UNIT: &str = "单位";
pub const JUDGE_TITLE: &str = "职务";
pub const JUDGE_ROLE: &str = "角色";
pub const ISSUE_SLIPS: &str = "为选中的评委生成登录单";
pub const LOGIN_SLIPS: &str = "评委登录单";
pub const EXPORT_SLIPS: &str = "导出登录单 Excel";
pub const COPY_SLIPS: &str = "复制全部";
pub const REOPEN: &str = "退回…";
pub const REOPEN_TITLE: &str = "退回到之前的阶段";
pub const REOPEN_TO: &str = "退回到";
pub const REOPEN_REASON: &str = "退回理由";
pub const CONFIRM_REOPEN: &str = "确认退回";
pub const START_SCREENING: &str = "开始查重";
pub const OPEN_INITIAL: &str = "开启初评投票";
pub const CLOSE_INITIAL: &str = "结束初评投票";
pub const OPEN_FINAL: &str = "开始终审评分";
pub const CLOSE_FINAL: &str = "结束终审评分";
pub const PUBLISH_RESULT: &str = "发布评选结果";
pub const CONFIRM: &str = "确认";
pub const PAPER_BALLOT: &str = "录入纸质选票";
pub const PAPER_JUDGE: &str = "评委";
pub const PAPER_CODES: &str = "所选作品编号";
pub const PAPER_CODES_HINT: &str = "作品编号，用空格、逗号或换行分隔";
pub const STATE_LOG: &str = "阶段记录";
pub const RULES: &str = "规则与奖项设置";
pub const MIN_CHARS: &str = "字数下限";
pub const MAX_CHARS: &str = "字数上限";
pub const SHORTLIST_SIZE: &str = "入围名额";
pub const BALLOT_QUOTA: &str = "每票限选";
pub const SAVE_RULES: &str = "保存规则";
pub const SAVE_TIERS: &str = "保存奖项设置";
pub const SUBMIT_BALLOT: &str = "提交选票";
pub const CONFIRM_SUBMIT: &str = "确认提交";
pub const ONLY_TICKED: &str = "只看已选";
pub const BALLOT_SEARCH: &str = "查找作品";
pub const BALLOT_HINT: &str = "勾选即自动保存为草稿，提交前可随时修改；提交后不能再修改。";
pub const START_RUNOFF: &str = "组织决选";
pub const CLOSE_RUNOFF: &str = "结束决选";
pub const ADMIT_ALL: &str = "全部入围…";
pub const ADMIT_REASON: &str = "全部入围的理由";
pub const CONFIRM_ADMIT: &str = "确认全部入围";
pub const CONFIRM_SHORTLIST: &str = "确定入围名单";
pub const EXPORT_RECORD: &str = "导出评选结果";
pub const EXPORT_RECORD_HINT: &str =
    "评选记录（内部）和可直接公布的入围名单、获奖名单、公示（各一个文件，A4 打印），评选进行到哪一步就导出到哪一步";
pub const SAVE_SCORES: &str = "保存评分";
pub const SUBMIT_SCORES: &str = "提交评分";
pub const PROPOSE_AWARDS: &str = "按排名建议授奖";
pub const TIE_REASON: &str = "理由（将记入操作日志）";
pub const CONFIRM_SAVE_AWARDS: &str = "写明理由并保存";
pub const SAVE_AWARDS: &str = "保存奖项";
pub const NO_AWARD: &str = "不获奖";
pub const START_PUBLICITY: &str = "开始公示";
pub const PUBLICITY_FROM: &str = "公示开始日期";
pub const PUBLICITY_DAYS: &str = "公示工作日数";
pub const REGISTER_OBJECTION: &str = "登记异议";
pub const OBJECTION_WORK: &str = "异议作品编号";
pub const OBJECTION_WORK_HINT: &str = "留空表示对整体结果";
pub const OBJECTOR: &str = "异议人";
pub const OBJECTOR_CONTACT: &str = "联系方式";
pub const OBJECTION_RECEIVED: &str = "收到日期";
pub const OBJECTION_CONTENT: &str = "异议内容";
pub const RULE_OBJECTION: &str = "处理";
pub const RULING: &str = "处理结果";
pub const RULING_TEXT: &str = "处理理由";
pub const RULED_ON: &str = "处理日期";

// 签到台 decides nothing on a guess; confirmations for 退出 and 删除 (issue #16).
pub const DESK_CHOOSE: &str = "请用 ↑↓ 选择后按回车，或直接点击其中一人";
pub const DESK_NARROW: &str = "请再输入编号或手机尾号缩小范围，或用 ↑↓ 在前几位中选择";
pub const WALK_IN_QUESTION: &str = "现场报名？";
pub const WALK_IN_CONFIRM: &str = "现场报名并签到";
// The desk's outcomes and choices where the clerk looks (issue #27).
pub const NO_SUCH_PERSON: &str = "查无此人：";
pub const EARLY_SIGN_OUT_QUESTION: &str = "刚签到，现在签退？";
pub const CONFIRM_SIGN_OUT: &str = "确认签退";
pub const KEEP_SIGNED_IN: &str = "不签退";
pub const NO_ACTIVITY_OPEN_NOW: &str = "现在没有正在签到的活动";
pub const ACTIVITIES_OPEN_NOW: &str = "正在签到";
pub const ACTIVITIES_LATER_TODAY: &str = "今天稍后";
pub const ACTIVITIES_OTHER: &str = "其他活动";
pub const SHOW_ALL_ACTIVITIES: &str = "显示全部活动";
pub const OPEN_RUNNING_HINT: &str = "进行中的签到也列在这里，可直接签退；活动当天结束后才能补录结案。";
pub const SESSION_RUNNING: &str = "进行中";
pub const CONFIRM_WITHDRAW_SIGNUP: &str = "确认退出";
pub const CONFIRM_DELETE_VOLUNTEER: &str = "移入回收站";
pub const SIGN_IN_OPENS_BEFORE: &str = "开始前可签到（小时）";
pub const SIGN_IN_WINDOW_HINT: &str = "活动开始前该时数起可签到，活动结束即停止签到；导入的历史记录不受此限。";

// Records read right (issue #16): certificates found as the registry finds people.
pub const CERTIFICATE_SEARCH_HINT: &str = "姓名、拼音首字母、手机尾号或编号";
pub const CERTIFICATE_NOBODY: &str = "没有找到这位志愿者";
pub const CERTIFICATE_FOR: &str = "出具给：";
pub const CERTIFICATE_WHO: &str = "请填写要出具证明的志愿者";
pub const CERTIFICATE_PICK_ONE: &str = "找到多位志愿者，请在列表中选择一位";
