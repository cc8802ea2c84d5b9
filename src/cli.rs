//! The command line (formats.md): the window with no subcommand, headless work otherwise.
//! Exit status 0 on success, 1 on rejected input (reasons on stderr), 2 on usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::io::import::{self, Progress};
use crate::io::template::write_template;
use crate::store::audit::{self, Verdict};
use crate::store::stats::year_stats;
use crate::{demo, paths, store};

#[derive(Debug, Parser)]
#[command(name = "volunteer-desk", version, about = "机关党员志愿服务管理：队伍、活动、时数、家风家训评选与年度考核")]
pub struct Cli {
    /// 数据库文件（默认：用户数据目录下的 volunteer-desk.sqlite3）
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

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
        #[arg(long)]
        year: i32,
        /// 以 JSON 输出（键：teams, volunteers, activities, credit_hours, honor_hours）
        #[arg(long)]
        json: bool,
    },
    /// 生成年度考核统计表（汇总、队伍、活动、志愿者时数、活动月、图表；覆盖已有文件）
    Report {
        /// 年份，例如 2017
        #[arg(long)]
        year: i32,
        /// 工作簿文件路径，例如 2017年度考核统计表.xlsx
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// 在线备份数据库到指定文件（程序运行时也可备份）
    Backup {
        /// 备份文件路径（不能已存在）
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 导入工作簿（单位、服务队、志愿者、活动、签到记录、荣誉时数）：全部检查通过才写入，否则列出每处错误、不写入
    Import {
        /// 工作簿文件（.xlsx、.xls 或 .ods）
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// 操作日志：audit verify 校验哈希链，发现被改动或删除的记录时以状态 1 退出并指出第一条
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// 生成空白导入模板（含全部工作表、表头和填写说明；不覆盖已有文件）
    Template {
        /// 模板文件路径，例如 导入模板.xlsx
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// 逐条重算操作日志的哈希链
    Verify,
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
    match execute(cli, command) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("错误：{err}");
            ExitCode::from(1)
        }
    }
}

fn execute(cli: &Cli, command: &Command) -> Result<String> {
    // The template needs no database: do not create one for it.
    if let Command::Template { file } = command {
        return template(file);
    }
    let mut store = store::open(&cli.database()?)?;
    match command {
        Command::Demo => {
            demo::load_demo(&mut store, chrono::Local::now().naive_local())?;
            let counts = store.counts()?;
            Ok(format!(
                "已载入示例数据：单位 {} 个，队伍 {} 支，志愿者 {} 人，活动 {} 次。",
                counts.units, counts.teams, counts.volunteers, counts.activities
            ))
        }
        Command::Backup { out } => {
            store.backup_to(out)?;
            Ok(format!("已备份到 {}", out.display()))
        }
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
        Command::Report { year, out } => {
            let today = chrono::Local::now().date_naive();
            let progress = crate::io::report::ExportProgress::new();
            let written = crate::io::report::write_report(store.conn(), *year, out, today, &progress)?;
            Ok(format!(
                "已生成 {year} 年度考核统计表：{}（单位 {} 个，活动 {} 次，志愿者 {} 人）",
                written.path.display(),
                written.units,
                written.activities,
                written.volunteers
            ))
        }
        Command::Import { file } => import_workbook(&mut store, file),
        Command::Audit { action: AuditAction::Verify } => match audit::verify(store.conn())? {
            Verdict::Intact { entries } => Ok(format!("操作日志完整：共 {entries} 条，哈希链校验通过。")),
            Verdict::Broken { entry, reason } => {
                Err(Error::rejected(format!("操作日志校验失败：第 {entry} 条起哈希链断开（{reason}）。")))
            }
        },
        Command::Template { file } => template(file),
    }
}

/// Previews, and writes only when every row of every sheet passed; the refusal lists every
/// `工作表 第N行 列名: 原因`, one a line.
fn import_workbook(store: &mut store::Store, file: &Path) -> Result<String> {
    let progress = Progress::new();
    let plan = import::preview(store.conn(), file, &progress)?;
    if let Some(refusal) = plan.rejection() {
        return Err(refusal);
    }
    let summary = import::apply(store, &plan, &progress)?;
    let mut output = summary.to_string();
    if !plan.ignored_sheets().is_empty() {
        output.push_str(&format!("\n未识别、已忽略的工作表：{}", plan.ignored_sheets().join("、")));
    }
    Ok(output)
}

fn template(file: &Path) -> Result<String> {
    if file.exists() {
        return Err(Error::rejected(format!("文件“{}”已存在，未覆盖；请换一个文件名", file.display())));
    }
    write_template(file)?;
    Ok(format!("已生成导入模板：{}", file.display()))
}
