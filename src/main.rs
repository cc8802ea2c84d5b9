use std::process::ExitCode;

use clap::Parser as _;
use volunteer_desk::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match &args.command {
        Some(command) => cli::run(&args, command),
        None => match args.database() {
            Ok(path) => volunteer_desk::ui::run_window(path),
            Err(err) => {
                eprintln!("错误：{err}");
                ExitCode::from(1)
            }
        },
    }
}
