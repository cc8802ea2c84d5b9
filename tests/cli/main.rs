//! The built binary run as a child process, as scripts and staff run it.

mod commands;
