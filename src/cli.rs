//! The command line (formats.md): the window with no subcommand, headless work otherwise.
//! Exit status 0 on success, 1 on rejected input (reasons on stderr), 2 on usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use crate::error::{Error, Result};
use crate::io::ballot_workbook;
use crate::io::import::{self, Progress};
use crate::io::template::write_template;
use crate::store::audit::{self, Verdict};
use crate::store::stats::year_stats;
use crate::store::{backups, contest, health};
use crate::{demo, paths, store};

#[derive(Debug, Parser)]
#[command(name = "volunteer-desk", version, about = "机关党员志愿服务管理：队伍、活动、时数、家风家训评选与年度考核")]
#[command(disable_help_subcommand = true, disable_version_flag = true)]
pub struct Cli {
    /// 数据库文件（默认：用户数据目录下的 volunteer-desk.sqlite3）
    #[arg(long, global = true, value_name = "路径")]
    pub db: Option<PathBuf>,

    /// 恢复码文件：本机没有该数据库的数据密钥时，用其中的恢复码解锁（并保存到本机），供脚本使用
    #[arg(long, global = true, value_name = "文件")]
    pub recovery_code_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 向空数据库载入示例数据（2017 年，可重现）
    Demo,
    /// 输出某年的全市汇总数字
    Stats {
        /// 年份，例如 2017
        #[arg(long, value_name = "年份")]
        year: i32,
        /// 以 JSON 输出（键：teams, volunteers, activities, credit_hours, honor_hours）
        #[arg(long)]
        json: bool,
    },
    /// 生成年度考核统计表（汇总、队伍、活动、志愿者时数、活动月、图表；覆盖已有的工作簿，但不会写到数据库或其备份上）
    Report {
        /// 年份，例如 2017
        #[arg(long, value_name = "年份")]
        year: i32,
        /// 工作簿文件路径，例如 2017年度考核统计表.xlsx
        #[arg(long, value_name = "文件.xlsx")]
        out: PathBuf,
    },
    /// 在线备份数据库到指定文件（程序运行时也可备份）
    Backup {
        /// 备份文件路径（不能已存在）
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 用备份替换数据库：先完整检查备份，当前数据另存为“备份”文件夹中的“恢复前-…”；另一个数据库（标识不同）的备份须加 --other-database
    Restore {
        /// 要恢复的备份文件
        #[arg(long, value_name = "备份文件")]
        from: PathBuf,
        /// 确认用另一个数据库的备份替换当前全部数据
        #[arg(long)]
        other_database: bool,
    },
    /// 导入工作簿（单位、服务队、志愿者、活动、签到记录、荣誉时数、作品、评委、选票）：全部检查通过才写入，否则列出每处错误、不写入；
    /// 交回的电子选票（一个文件或一个文件夹）逐份核对封签后收回，给出已收/应收、作废、拒收和尚未交回，有拒收时以状态 1 退出
    Import {
        /// 工作簿文件（.xlsx；.xls、.ods 请先另存为 .xlsx），或放着交回的电子选票的文件夹
        #[arg(value_name = "文件或文件夹")]
        file: PathBuf,
        /// 交回的电子选票中未选任何作品的，确认是评委弃权、作为弃权收回（原样未填的导出文件仍不收回）
        #[arg(long)]
        accept_empty: bool,
    },
    /// 操作日志：audit verify 校验哈希链，发现被改动或删除的记录时以状态 1 退出并指出第一条
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// 家风家训评选：contest open / close / tally --category 家风家训（或 家风家训故事）
    Contest {
        #[command(subcommand)]
        action: ContestAction,
    },
    /// 检查数据库文件：SQLite 完整性、外键、数据版本和操作日志哈希链；完好时以状态 0 退出，否则逐条列出问题并以 1 退出（只读，不改动文件）
    Check,
    /// 生成空白导入模板（含全部工作表、表头和填写说明；不覆盖已有文件）
    Template {
        /// 模板文件路径，例如 导入模板.xlsx（与 --out 二选一）
        #[arg(value_name = "文件", required_unless_present = "out", conflicts_with = "out")]
        file: Option<PathBuf>,
        /// 模板文件路径，与其他命令一样用 --out 指定
        #[arg(long, value_name = "文件")]
        out: Option<PathBuf>,
    },
    /// 数据密钥（加密身份证号和手机号）：key status 查看本机是否有密钥、恢复码是否已生成；key recovery-code --out 文件 生成新的恢复码；key rotate --out 文件 更换数据密钥
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// 本机是否有该数据库的数据密钥、保存在哪里、恢复码何时生成
    Status,
    /// 生成新的恢复码（此前的作废），写入一个新文件（仅本账户可读）；请打印后妥善保管并删除该文件
    RecoveryCode {
        /// 写入恢复码的文件（不能已存在）
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 更换数据密钥：用新的随机密钥重新加密全部身份证号和手机号、重新签名操作日志，并生成新的恢复码写入一个新文件
    /// （仅本账户可读）；旧密钥和旧恢复码从此打不开这个数据库，此前的备份仍由各自当时的恢复码打开
    Rotate {
        /// 写入新恢复码的文件（不能已存在）
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// 逐条重算操作日志的哈希链，并给出最新一条的校验码（抄录留存）
    Verify {
        /// 核对以前抄录的校验码：这一条及其之前的记录都应还在，例如 1024:1a2b-3c4d-5e6f-7a8b
        #[arg(long, value_name = "条号:校验码")]
        anchor: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContestAction {
    /// 开启初评：途中自动查重，有未处理的疑似重复作品时拒绝并逐对列出；选票导入须在初评开启时
    Open {
        /// 类别：家风家训 或 家风家训故事
        #[arg(long, value_name = "类别", value_parser = CATEGORY_LABELS)]
        category: String,
    },
    /// 结束初评，并记录全部选票的哈希
    Close {
        /// 类别：家风家训 或 家风家训故事
        #[arg(long, value_name = "类别", value_parser = CATEGORY_LABELS)]
        category: String,
    },
    /// 初评计票（初评结束后才能查看）：每件作品的票数和可投票评委数、入围名单、并列作品和剩余名额
    Tally {
        /// 类别：家风家训 或 家风家训故事
        #[arg(long, value_name = "类别", value_parser = CATEGORY_LABELS)]
        category: String,
        /// 以 JSON 输出（键：category, quota, shortlist, tie_band, places_left, tally）
        #[arg(long)]
        json: bool,
    },
    /// 电子选票：contest ballots export --category 家风家训 --out 文件夹
    Ballots {
        #[command(subcommand)]
        action: BallotsAction,
    },
    /// 导出评选结果，与窗口中“导出评选结果”相同：评选记录，以及评选进行到的入围名单、获奖名单、公示
    Export {
        /// 类别：家风家训 或 家风家训故事
        #[arg(long, value_name = "类别", value_parser = CATEGORY_LABELS)]
        category: String,
        /// 存放文件的文件夹（不存在时新建）
        #[arg(long, value_name = "文件夹")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BallotsAction {
    /// 为本轮尚未投票的每位评委生成一份加封签的电子选票（每人一个文件，以评委姓名命名）；交回后用 import 收回
    Export {
        /// 类别：家风家训 或 家风家训故事
        #[arg(long, value_name = "类别", value_parser = CATEGORY_LABELS)]
        category: String,
        /// 存放选票的文件夹（不存在时新建）
        #[arg(long, value_name = "文件夹")]
        out: PathBuf,
    },
}

const CATEGORY_LABELS: [&str; 2] = ["家风家训", "家风家训故事"];

/// clap's help as a clerk reads it: every heading and the help and version flags in Chinese.
const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// What the command line asked for instead of a command: help or the version to print (exit
/// 0), or a usage error (exit 2). `text` is ready to print, in Chinese.
#[derive(Debug)]
pub struct Usage {
    pub text: String,
    pub is_error: bool,
}

impl Usage {
    pub fn exit_code(&self) -> ExitCode {
        if self.is_error { ExitCode::from(2) } else { ExitCode::SUCCESS }
    }
}

/// Parses the command line, with help and usage errors in Chinese.
pub fn parse<I, T>(args: I) -> std::result::Result<Cli, Usage>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut command = in_chinese(Cli::command(), true);
    let parsed = command.try_get_matches_from_mut(args).and_then(|matches| Cli::from_arg_matches(&matches));
    parsed.map_err(|err| match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            Usage { text: help_text(&err.render().to_string()), is_error: false }
        }
        // `volunteer-desk contest` alone: its help, but as the usage error it is.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Usage { text: help_text(&err.render().to_string()), is_error: true }
        }
        _ => Usage { text: usage_error(&err), is_error: true },
    })
}

/// The command and each subcommand with Chinese headings, a Chinese `-h/--help` and, on
/// the top level, `-V/--version`. clap writes `Options:` unless every argument has a heading.
fn in_chinese(command: clap::Command, top: bool) -> clap::Command {
    let mut command = command
        .help_template(HELP_TEMPLATE)
        // clap pads the column by characters, not by display width: Chinese value names would
        // push the help out of line. Each help on a line of its own under its option instead.
        .next_line_help(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .mut_args(|arg| {
            let heading = if arg.is_positional() { "参数" } else { "选项" };
            arg.help_heading(heading)
        })
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("显示帮助").help_heading("选项"));
    if top {
        command = command.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        );
    }
    command.mut_subcommands(|sub| in_chinese(sub, false))
}

/// Help as printed: clap's usage placeholder that no setting renames, and a last newline.
fn help_text(text: &str) -> String {
    let mut text = text.replace("[OPTIONS]", "[选项]");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A usage error in Chinese: what was wrong, the usage line, and where the help is.
fn usage_error(err: &clap::Error) -> String {
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(value)) => value.clone(),
        Some(ContextValue::Strings(values)) => values.join("、"),
        Some(ContextValue::StyledStr(value)) => value.to_string(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let mut message = match err.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!("没有“{}”这个命令", text(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 缺少取值"),
        ErrorKind::InvalidValue => {
            format!("参数 {arg} 的取值“{value}”无效，可选：{}", text(ContextKind::ValidValue))
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的取值“{value}”无效"),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与 {} 同用", text(ContextKind::PriorArg)),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 须写成 {arg}=值"),
        _ => "命令行有误".to_string(),
    };
    for suggested in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        let suggested = text(suggested);
        if !suggested.is_empty() {
            message.push_str(&format!("；是不是想用“{suggested}”？"));
        }
    }
    let usage = text(ContextKind::Usage).replace("[OPTIONS]", "[选项]");
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
    // clap gives no usage with a value's error.
    let usage = if usage.is_empty() { String::new() } else { format!("\n\n用法：{usage}") };
    format!("错误：{message}{usage}\n\n运行 volunteer-desk --help 查看帮助。\n")
}

impl Cli {
    /// The database this invocation works on.
    pub fn database(&self) -> Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => paths::default_database(),
        }
    }
}

/// Runs a subcommand and turns its outcome into the exit status.
pub fn run(cli: &Cli, command: &Command) -> ExitCode {
    // A panic (a file from outside reaching a path no test took) is a refusal in Chinese.
    match crate::io::guard::guarded("执行命令", || execute(cli, command)) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            let err = err.to_string();
            // The store's refusal names the window's way to the key; here the option is the way.
            let without_key = [store::keys::NO_KEY, store::contest::workbooks::NO_KEY_FOR_BALLOTS];
            let hint = if without_key.iter().any(|why| err.contains(why)) { CLI_KEY_HINT } else { "" };
            eprintln!("错误：{err}{hint}");
            ExitCode::from(1)
        }
    }
}

/// How a command-line run without the key gets it.
pub const CLI_KEY_HINT: &str = "\n命令行运行时，加 --recovery-code-file 恢复码文件 即可用恢复码解锁。";

impl Command {
    /// Commands that only read: they never create a database, and work on a read-only file.
    fn only_reads(&self) -> bool {
        matches!(
            self,
            Command::Stats { .. }
                | Command::Report { .. }
                | Command::Backup { .. }
                | Command::Check
                | Command::Audit { action: AuditAction::Verify { .. } }
                | Command::Contest { action: ContestAction::Tally { .. } | ContestAction::Export { .. } }
                | Command::Key { action: KeyAction::Status }
        )
    }
}

fn execute(cli: &Cli, command: &Command) -> Result<String> {
    // The template needs no database: do not create one for it.
    if let Command::Template { file, out } = command {
        return template(out.as_deref().or(file.as_deref()));
    }
    // A year out of range is refused before any file is looked at, by every command.
    if let Command::Stats { year, .. } | Command::Report { year, .. } = command {
        crate::domain::calendar::check_report_year(*year).map_err(Error::rejected)?;
    }
    let path = cli.database()?;
    let recovery_code = cli.recovery_code_file.as_deref().map(read_recovery_code).transpose()?;
    execute_on(&path, command, recovery_code.as_deref()).map_err(|e| e.in_database(&path))
}

/// The 恢复码 in a file, as a script hands it over: the code alone, or the sheet
/// `key recovery-code --out` wrote (the code on a line of its own among the explanations).
/// Without a line that reads as a code, the whole text goes on, to be refused saying why.
fn read_recovery_code(file: &Path) -> Result<String> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::file(file, e))?;
    let code_line = text.lines().map(str::trim).find(|line| store::sealing::normalize_recovery_code(line).is_ok());
    Ok(code_line.unwrap_or(text.trim()).to_string())
}

/// Runs `command` on the database at `path`. A damaged file is refused before any command
/// reads or writes it (`check` examines it instead): `integrity_check` before one that writes.
fn execute_on(path: &Path, command: &Command, recovery_code: Option<&str>) -> Result<String> {
    if let Command::Check = command {
        return check_file(path);
    }
    if let Command::Restore { .. } = command {
        // Restoring is how a damaged file is mended, and never makes a database.
        store::require_existing(path)?;
    }
    let upgraded = std::cell::Cell::new(None);
    // An upgrade of a large file takes a while: each step is said as it begins, on stderr
    // (stdout stays the command's own output, for scripts).
    let say = |step: &store::UpgradeStep| {
        upgraded.set(upgraded.get().or(Some(std::time::Instant::now())));
        eprintln!("{step}");
    };
    let mut store = if command.only_reads() {
        store::open_for_reading_with_progress(path, &say)?
    } else {
        store::open_with_progress(path, crate::keystore::Keystore::for_this_user(), &say)?
    };
    if let Some(started) = upgraded.get() {
        eprintln!("{}", upgrade_done(&store, started.elapsed()));
    }
    // `report` makes this check while it reads (see `report`); `restore` replaces the file,
    // damaged or not; a command that writes checks every index against its table first.
    match command {
        Command::Report { .. } | Command::Restore { .. } => {}
        _ if !command.only_reads() => health::refuse_damage_before_writing(store.conn(), path)?,
        _ => health::refuse_damage(store.conn(), path)?,
    }
    if let Some(code) = recovery_code
        && !store.has_key()
    {
        store.unlock_with_recovery_code(code)?;
    }
    let output = run_command(&mut store, path, command)?;
    // The upgrade said it already.
    if upgraded.get().is_none() {
        remind_of_recovery_code(&store, command);
    }
    Ok(output)
}

/// What an upgrade from the command line ends with: the version reached, and plainly whether
/// a 恢复码 exists for the data key the upgrade made (a file from before the numbers were
/// sealed gets a key, and no code until an administrator makes one).
fn upgrade_done(store: &store::Store, took: std::time::Duration) -> String {
    let mut text = format!(
        "数据库已升级到数据版本 {}（用时 {:.1} 秒）。",
        store::migrations::latest_version(),
        took.as_secs_f64()
    );
    if let Ok(status) = store.key_status()
        && status.recovery_set_at.is_none()
    {
        text.push_str(&format!(
            "\n身份证号和手机号已用数据密钥加密，密钥保存在{}。这个数据库还没有恢复码：             本机密钥一旦丢失（重装系统、换电脑），身份证号和手机号将无法恢复。             请管理员运行 volunteer-desk key recovery-code --out 文件 生成恢复码，打印后妥善保管并删除该文件。",
            status.keystore
        ));
    }
    text
}

/// Says on stderr, after a command that wrote, that the database has no 恢复码 yet (stdout
/// stays the command's own output, for scripts).
fn remind_of_recovery_code(store: &store::Store, command: &Command) {
    let missing = store.key_status().is_ok_and(|status| status.recovery_set_at.is_none());
    if missing && !command.only_reads() && !matches!(command, Command::Key { .. }) {
        eprintln!(
            "提醒：该数据库尚未生成恢复码，本机密钥一旦丢失，身份证号和手机号将无法恢复。\
             请运行 volunteer-desk key recovery-code --out 文件，打印后妥善保管。"
        );
    }
}

fn run_command(store: &mut store::Store, path: &Path, command: &Command) -> Result<String> {
    match command {
        Command::Demo => {
            demo::load_demo(store, crate::clock::now())?;
            let counts = store.counts()?;
            Ok(format!(
                "已载入示例数据：单位 {} 个，队伍 {} 支，志愿者 {} 人，活动 {} 次。",
                counts.units, counts.teams, counts.volunteers, counts.activities
            ))
        }
        Command::Backup { out } => {
            store.backup_to(out)?;
            Ok(format!("已备份到 {}{}", out.display(), unlogged_note(store)))
        }
        Command::Restore { from, other_database } => restore(store, path, from, *other_database),
        Command::Stats { year, json } => {
            let stats = year_stats(store.conn(), *year)?;
            if *json {
                Ok(serde_json::to_string(&stats.to_json()).map_err(|e| crate::Error::rejected(e.to_string()))?)
            } else {
                Ok(format!(
                    "{year}年：注册的党员志愿服务队 {} 支，注册人数 {} 人，组织活动 {} 次，服务信用时数 {} 小时，荣誉时数 {} 小时",
                    stats.teams, stats.volunteers, stats.activities, stats.credit, stats.honor
                ))
            }
        }
        Command::Report { year, out } => report(store, path, *year, out),
        Command::Import { file, accept_empty } if file.is_dir() || ballot_workbook::is_ballot_workbook(file) => {
            take_back_ballots(store, file, *accept_empty)
        }
        Command::Import { file, .. } => import_workbook(store, file),
        Command::Audit { action: AuditAction::Verify { anchor } } => {
            let verdict = audit::check(store.conn(), anchor.as_deref())?;
            match verdict {
                Verdict::Intact { .. } => Ok(verdict.to_string()),
                Verdict::Broken { .. } | Verdict::Mismatch { .. } | Verdict::Unverified { .. } => {
                    Err(Error::rejected(verdict.to_string()))
                }
            }
        }
        Command::Contest { action } => contest_command(store, action),
        Command::Key { action } => key_command(store, action),
        Command::Template { file, out } => template(out.as_deref().or(file.as_deref())),
        Command::Check => check_file(path),
    }
}

/// `restore --from BACKUP [--other-database]`: as the window restores, and only while no
/// window holds the file (its connection would go on with the old content).
fn restore(store: &mut store::Store, path: &Path, from: &Path, other_database: bool) -> Result<String> {
    let Some(_lock) = paths::lock_instance(path) else {
        return Err(Error::rejected("另一个窗口正在使用这个数据库，请先关闭它再恢复；未做任何改动。"));
    };
    let other = if other_database { backups::OtherDatabase::Confirmed } else { backups::OtherDatabase::Refuse };
    let safety = backups::restore_from(store, from, &backups::folder_for(path), crate::clock::now(), other)?;
    Ok(format!("已用“{}”恢复数据库“{}”。恢复前的数据另存为“{}”。", from.display(), path.display(), safety.display()))
}

/// `key status|recovery-code|rotate`.
fn key_command(store: &mut store::Store, action: &KeyAction) -> Result<String> {
    match action {
        KeyAction::Status => Ok(store.key_status()?.to_string()),
        KeyAction::RecoveryCode { out } => {
            if out.exists() {
                return Err(Error::rejected(format!("文件“{}”已存在，未覆盖；请换一个文件名", out.display())));
            }
            store.write_recovery_code(out, crate::clock::now())?;
            Ok(format!(
                "已生成新的恢复码，写入 {}（仅本账户可读）。请打印后妥善保管，并删除该文件；此前的恢复码已作废。",
                out.display()
            ))
        }
        KeyAction::Rotate { out } => {
            store.change_data_key(Some(out), crate::clock::now())?;
            Ok(format!(
                "{}\n新的恢复码已写入 {}（仅本账户可读）。请打印后妥善保管，并删除该文件。",
                store::resealing::KEY_CHANGED,
                out.display()
            ))
        }
    }
}

/// `report`. The damage check every command makes first (`quick_check`, ≈ 0.8 s of a 2 s
/// report at 100× the seed) runs on a connection of its own while the year is read and the
/// workbook built, on the other core. The workbook is saved (and logged) only once the check
/// finds the file sound, and a damaged file is refused as every command refuses it, whatever
/// error the reading met first.
fn report(store: &store::Store, path: &Path, year: i32, out: &Path) -> Result<String> {
    let today = crate::clock::today();
    let progress = crate::io::report::ExportProgress::new();
    std::thread::scope(|scope| {
        let check = scope.spawn(|| refuse_damage_at(path));
        let mut check = Some(check);
        // Waits for the check the first time; the verdict is only needed once.
        let mut verdict = || check.take().map_or(Ok(()), |c| c.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        let written = crate::io::report::write_report_when(
            store.conn(),
            store.actor(),
            year,
            out,
            today,
            &progress,
            &mut verdict,
        );
        let written = match written {
            Ok(written) => written,
            Err(err) => {
                verdict()?;
                return Err(err);
            }
        };
        Ok(format!(
            "已生成 {year} 年度考核统计表：{}（单位 {} 个，活动 {} 次，志愿者 {} 人）{}",
            written.path.display(),
            written.units,
            written.activities,
            written.volunteers,
            unlogged_note(store)
        ))
    })
}

/// [`health::refuse_damage`] on a read-only connection of its own.
fn refuse_damage_at(path: &Path) -> Result<()> {
    let health = health::quick_check(path)?;
    if health.is_sound() { Ok(()) } else { Err(Error::damaged(path, health.summary())) }
}

/// `check`: exit 0 saying what was checked, or 1 listing every problem.
fn check_file(path: &Path) -> Result<String> {
    let report = health::check(path)?;
    if report.is_sound() { Ok(report.to_string()) } else { Err(Error::rejected(report.to_string())) }
}

/// Says that an export from a read-only file could not be written to its log.
fn unlogged_note(store: &store::Store) -> &'static str {
    if store.is_read_only_file() { "\n（数据库文件只读，本次导出未能记入操作日志）" } else { "" }
}

/// `contest open|close|tally`, acting as the file's administrator.
fn contest_command(store: &store::Store, action: &ContestAction) -> Result<String> {
    let (conn, actor) = (store.conn(), store.actor());
    match action {
        ContestAction::Open { category } => {
            let category = contest::category_from_label(category)?;
            let round = contest::rounds::open_initial(conn, actor, category)?;
            Ok(format!(
                "{}初评已开启：每张选票最多选 {} 件，入围名额 {} 件。",
                category.label(),
                round.quota.unwrap_or(0),
                round.places.unwrap_or(0)
            ))
        }
        ContestAction::Close { category } => {
            let category = contest::category_from_label(category)?;
            let round = contest::rounds::close_initial(conn, actor, category)?;
            Ok(format!("{}初评已结束。全部选票哈希：{}", category.label(), round.ballots_hash.unwrap_or_default()))
        }
        ContestAction::Ballots { action: BallotsAction::Export { category, out } } => {
            let category = contest::category_from_label(category)?;
            let files = ballot_workbook::export_ballots(store, category, out)?;
            Ok(format!("已生成 {} 份电子选票，存放在 {}", files.len(), out.display()))
        }
        ContestAction::Export { category, out } => {
            let category = contest::category_from_label(category)?;
            std::fs::create_dir_all(out).map_err(|e| Error::file(out, e))?;
            let record = out.join(format!("{}评选记录.xlsx", category.label()));
            let sheets = crate::io::contest_export::write_contest_workbook(conn, actor, category, &record)?;
            let lists = crate::io::contest_lists::write_lists(conn, actor, category, out, crate::clock::today())?;
            let mut text = format!("已导出评选记录 {}（{}）", record.display(), sheets.join("、"));
            for list in &lists {
                text.push_str(&format!("\n已导出 {}", list.display()));
            }
            Ok(text + unlogged_note(store))
        }
        ContestAction::Tally { category, json } => {
            let tally = contest::tally::initial_tally(conn, actor, contest::category_from_label(category)?)?;
            if *json {
                serde_json::to_string(&tally.to_json()).map_err(|e| Error::rejected(e.to_string()))
            } else {
                Ok(tally_text(&tally))
            }
        }
    }
}

fn tally_text(tally: &contest::tally::RoundTally) -> String {
    let cut = &tally.cut;
    let mut text = format!(
        "{}初评计票：评委 {} 人，交回选票 {} 张（废票 {} 张），入围名额 {}。\n入围 {} 件",
        tally.round.category.label(),
        tally.judges,
        tally.handed_in,
        tally.void,
        cut.quota,
        cut.shortlist.len()
    );
    if cut.tie_band.is_empty() {
        text.push('。');
    } else {
        let band: Vec<&str> = cut.tie_band.iter().map(|id| tally.code_of(*id)).collect();
        text.push_str(&format!(
            "；第{}名处 {} 件作品并列（各 {} 票），争 {} 个名额，须由管理员组织决选或决定全部入围：{}",
            cut.quota,
            band.len(),
            cut.level.unwrap_or(0),
            cut.places_left,
            band.join("、")
        ));
    }
    text.push_str("\n作品编号\t票数\t可投票评委数");
    for row in &tally.rows {
        text.push_str(&format!("\n{}\t{}\t{}", row.code, row.votes, row.eligible));
    }
    text
}

/// Previews, and writes only when every row of every sheet passed; the refusal lists every
/// `工作表 第N行 列名: 原因`, one a line.
fn import_workbook(store: &mut store::Store, file: &Path) -> Result<String> {
    let progress = Progress::new();
    let plan = import::preview(store, file, &progress)?;
    if let Some(refusal) = plan.rejection() {
        return Err(refusal);
    }
    let summary = import::apply(store, &plan, &progress)?;
    let mut output = summary.to_string();
    for note in plan.notes() {
        output.push_str(&format!("\n{note}"));
    }
    if !plan.ignored_sheets().is_empty() {
        output.push_str(&format!("\n未识别、已忽略的工作表：{}", plan.ignored_sheets().join("、")));
    }
    Ok(output)
}

/// Returned ballot workbooks, one file or a folder: exit 1 when any file was refused. Ballots
/// with no mark are abstentions only with `--accept-empty`.
fn take_back_ballots(store: &store::Store, path: &Path, accept_empty: bool) -> Result<String> {
    let files = ballot_workbook::ballot_files(path)?;
    if files.is_empty() {
        let shown = store::contest::workbooks::quoted(&path.display().to_string());
        return Err(Error::rejected(format!("文件夹{shown}里没有工作簿")));
    }
    let summary = ballot_workbook::take_back(store, &files, accept_empty)?;
    let mut text = summary.to_string();
    if !summary.unmarked.is_empty() {
        text.push_str(&format!(
            "\n未选任何作品的 {} 份：评委确为弃权的，核实后加 --accept-empty 再收回一次",
            summary.unmarked.len()
        ));
    }
    // Each ballot taken gets its receipt, after the summary, wherever the summary goes.
    if !summary.taken.is_empty() {
        text.push_str(&format!("\n\n{}", summary.receipts()));
    }
    if summary.refused.is_empty() { Ok(text) } else { Err(Error::rejected(text)) }
}

/// `template FILE` or `template --out FILE`: clap requires one of them.
fn template(file: Option<&Path>) -> Result<String> {
    let file = file.ok_or_else(|| Error::rejected("请用 --out 指定模板文件，例如 template --out 导入模板.xlsx"))?;
    if file.exists() {
        return Err(Error::rejected(format!("文件“{}”已存在，未覆盖；请换一个文件名", file.display())));
    }
    write_template(file)?;
    Ok(format!("已生成导入模板：{}", file.display()))
}
