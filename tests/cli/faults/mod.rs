//! Faults injected into the built binary, run as a child process: kill -9 at seeded moments,
//! a full disk (RLIMIT_FSIZE), read-only files and folders, overwritten pages, a truncated
//! copy, two writers at once. After each: the database passes `integrity_check`, holds all or
//! none of the change, no file is left under a final name that does not open, and a refusal
//! is Chinese and names its cause.

mod damage;
mod findings;
mod key_files;
mod kills;
mod leftovers;
mod limits;
pub(crate) mod support;
