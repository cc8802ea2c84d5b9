// On Windows the window opens without a black console beside it; the subcommands print
// through the console they were typed in instead (attach_parent_console).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use volunteer_desk::cli;

fn main() -> ExitCode {
    let args = match cli::parse(std::env::args_os()) {
        Ok(args) => args,
        Err(usage) => {
            // `--help`, `--version` and usage errors need the console too.
            attach_parent_console();
            if usage.is_error {
                eprint!("{}", usage.text);
            } else {
                print!("{}", usage.text);
            }
            return usage.exit_code();
        }
    };
    match &args.command {
        Some(command) => {
            attach_parent_console();
            cli::run(&args, command)
        }
        None => match args.database() {
            Ok(path) => volunteer_desk::ui::run_window(path),
            Err(err) => {
                eprintln!("错误：{err}");
                ExitCode::from(1)
            }
        },
    }
}

/// Gives the output of a command-line run to the console of the shell that started it:
/// a windows-subsystem program has none of its own. Output redirected to a file or a pipe
/// keeps going there (Windows replaces only missing standard handles). Only for commands,
/// never for the window: a window attached to a console would be closed with it.
#[cfg(windows)]
fn attach_parent_console() {
    // Started from Explorer or a shortcut there is no parent console, and nobody to print to.
    let _ = winsafe::AttachConsole(winsafe::PidParent::Parent);
}

/// Elsewhere a program always has its terminal's output.
#[cfg(not(windows))]
fn attach_parent_console() {}
