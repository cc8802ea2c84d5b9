//! The write-ahead log (`-wal`) beside a database, read before SQLite opens it.
//!
//! SQLite reads a log's frames up to the first one whose salt or cumulative checksum does not
//! follow, and takes the pages of the frames up to the last commit before it; whatever comes
//! after is dropped without a word — a committed import with it, when a frame in the middle
//! was damaged. Once SQLite has opened the file, its next write or checkpoint overwrites the
//! evidence, so the log is read here first (sqlite.org/fileformat2.html#walformat).

use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const HEADER: usize = 32;
const FRAME_HEADER: usize = 24;
/// The magic number, whose lowest bit says the checksums' byte order (1: big-endian).
const MAGIC: u32 = 0x377f_0682;
const FORMAT_VERSION: u32 = 3_007_000;

/// Frames of the current log that SQLite would drop: from the first whose checksum fails (or,
/// when the log's own header fails, all of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dropped {
    pub wal: PathBuf,
    /// The first frame not read (1-based); 0 when the log's header itself fails.
    pub first: u64,
    /// Frames of this log from there on (their salts say they belong to it).
    pub frames: u64,
    /// Of those, the frames that end a committed transaction.
    pub commits: u64,
}

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let wal = self.wal.display();
        if self.first == 0 {
            write!(f, "预写日志“{wal}”的文件头校验和不符，SQLite 会整个忽略它")?;
        } else {
            write!(f, "预写日志“{wal}”第 {} 帧校验和不符，SQLite 会从这一帧起不加提示地丢弃", self.first)?;
        }
        write!(f, "：共 {} 帧", self.frames)?;
        if self.commits > 0 {
            write!(f, "，含 {} 次已提交的写入，这些数据会丢失", self.commits)?;
        } else {
            write!(f, "（其中没有提交标记，可能是最后一次写入中断，也可能已损坏）")?;
        }
        write!(f, "。请先把数据库文件连同同名的 -wal、-shm 文件一起复制留底，交技术人员处理")
    }
}

/// What SQLite would drop from the log beside `database`, if anything. A log being written by
/// another program at this moment can look torn for an instant, so a finding is read twice.
pub(crate) fn dropped_frames(database: &Path) -> Result<Option<Dropped>> {
    let mut wal = database.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    let Some(first) = read_log(&wal)? else { return Ok(None) };
    std::thread::sleep(std::time::Duration::from_millis(50));
    Ok(read_log(&wal)?.filter(|again| *again == first))
}

fn read_log(wal: &Path) -> Result<Option<Dropped>> {
    let file = match std::fs::File::open(wal) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::file(wal, e)),
    };
    let found = scan(BufReader::with_capacity(1 << 20, file)).map_err(|e| Error::file(wal, e))?;
    Ok(found.map(|(first, frames, commits)| Dropped { wal: wal.to_path_buf(), first, frames, commits }))
}

/// Reads a log: `(first frame dropped, frames of this log from there, commits among them)`, or
/// `None` when SQLite reads every frame that belongs to the log.
fn scan(mut log: impl std::io::Read) -> std::io::Result<Option<(u64, u64, u64)>> {
    let mut header = [0u8; HEADER];
    if !read_whole(&mut log, &mut header)? {
        return Ok(None);
    }
    let word = |bytes: &[u8], at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let magic = word(&header, 0);
    let page_size = word(&header, 8) as usize;
    // Not a log SQLite would read at all (an empty one, or another format): nothing is in it.
    if magic & !1 != MAGIC || !page_size.is_power_of_two() || !(512..=65_536).contains(&page_size) {
        return Ok(None);
    }
    let big_endian = magic & 1 == 1;
    let salts = (word(&header, 16), word(&header, 20));
    let header_sound = word(&header, 4) == FORMAT_VERSION
        && checksum(big_endian, (0, 0), &header[..24]) == (word(&header, 24), word(&header, 28));
    let mut sum = (word(&header, 24), word(&header, 28));
    let mut frame = vec![0u8; FRAME_HEADER + page_size];
    let mut number = 0u64;
    let mut dropped: Option<(u64, u64, u64)> = (!header_sound).then_some((0, 0, 0));
    while read_whole(&mut log, &mut frame)? {
        number += 1;
        let ours = (word(&frame, 8), word(&frame, 12)) == salts;
        let commit = word(&frame, 4) != 0;
        if let Some((_, frames, commits)) = &mut dropped {
            // Past the break nothing can be checked; the salts still tell this log's frames.
            if ours {
                *frames += 1;
                *commits += u64::from(commit);
            }
            continue;
        }
        if !ours {
            // A frame left from before the log was last restarted: SQLite stops here, rightly.
            break;
        }
        sum = checksum(big_endian, checksum(big_endian, sum, &frame[..8]), &frame[FRAME_HEADER..]);
        if sum != (word(&frame, 16), word(&frame, 20)) || word(&frame, 0) == 0 {
            dropped = Some((number, 1, u64::from(commit)));
        }
    }
    Ok(dropped.filter(|(first, frames, _)| *first > 0 || *frames > 0))
}

/// Fills `buffer` from the log; false at its end (a frame cut short counts as none, as SQLite
/// reads it).
fn read_whole(log: &mut impl std::io::Read, buffer: &mut [u8]) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < buffer.len() {
        match log.read(&mut buffer[filled..])? {
            0 => return Ok(false),
            n => filled += n,
        }
    }
    Ok(true)
}

/// SQLite's log checksum over `data` (a multiple of 8 bytes), continuing from `sum`.
fn checksum(big_endian: bool, sum: (u32, u32), data: &[u8]) -> (u32, u32) {
    let (mut s0, mut s1) = sum;
    for pair in data.chunks_exact(8) {
        let read = |b: &[u8]| {
            let bytes = [b[0], b[1], b[2], b[3]];
            if big_endian { u32::from_be_bytes(bytes) } else { u32::from_le_bytes(bytes) }
        };
        s0 = s0.wrapping_add(read(&pair[..4])).wrapping_add(s1);
        s1 = s1.wrapping_add(read(&pair[4..])).wrapping_add(s0);
    }
    (s0, s1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// A database whose log holds `transactions` committed inserts (nothing checkpointed), and
    /// the log's bytes, copied while the connection is still open.
    fn logged(dir: &Path, transactions: usize) -> Vec<u8> {
        let db = dir.join("log.sqlite3");
        let conn = Connection::open(&db).expect("open");
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x TEXT);")
            .expect("setup");
        for i in 0..transactions {
            conn.execute("INSERT INTO t VALUES (?1)", [format!("{i}{}", "x".repeat(3000))]).expect("insert");
        }
        let mut wal = db.into_os_string();
        wal.push("-wal");
        std::fs::read(wal).expect("log")
    }

    fn frame_size(log: &[u8]) -> usize {
        FRAME_HEADER + u32::from_be_bytes([log[8], log[9], log[10], log[11]]) as usize
    }

    #[test]
    fn a_sound_log_drops_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let log = logged(dir.path(), 5);
        assert!(log.len() > HEADER + 5 * frame_size(&log));
        assert_eq!(scan(log.as_slice()).expect("scan"), None);
        // A frame cut short at the end is not there for SQLite either.
        assert_eq!(scan(&log[..log.len() - 100]).expect("scan"), None);
        assert_eq!(scan(&[][..]).expect("scan"), None);
    }

    #[test]
    fn a_damaged_frame_is_found_with_the_commits_after_it() {
        let dir = tempfile::tempdir().expect("dir");
        let mut log = logged(dir.path(), 5);
        let frames = ((log.len() - HEADER) / frame_size(&log)) as u64;
        // A byte of the second frame's page.
        let at = HEADER + frame_size(&log) + FRAME_HEADER + 100;
        log[at] ^= 0x40;
        let (first, dropped, commits) = scan(log.as_slice()).expect("scan").expect("found");
        assert_eq!((first, dropped), (2, frames - 1));
        assert!(commits >= 4, "the later inserts were committed: {commits}");
    }

    #[test]
    fn a_damaged_header_loses_the_whole_log() {
        let dir = tempfile::tempdir().expect("dir");
        let mut log = logged(dir.path(), 2);
        log[13] ^= 1;
        let (first, frames, commits) = scan(log.as_slice()).expect("scan").expect("found");
        assert_eq!(first, 0);
        assert!(frames >= 2 && commits >= 2, "{frames} {commits}");
    }

    #[test]
    fn frames_left_from_before_a_restart_are_not_damage() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("reused.sqlite3");
        let conn = Connection::open(&db).expect("open");
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x TEXT);")
            .expect("setup");
        for i in 0..20 {
            conn.execute("INSERT INTO t VALUES (?1)", [format!("{i}{}", "y".repeat(3000))]).expect("insert");
        }
        conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE);").expect("checkpoint");
        // The next write starts the log again from its first frame, with new salts.
        conn.execute("INSERT INTO t VALUES ('again')", []).expect("insert");
        let mut wal = db.into_os_string();
        wal.push("-wal");
        let log = std::fs::read(wal).expect("log");
        assert!(log.len() > HEADER + 20 * frame_size(&log), "the old frames are still in the file");
        assert_eq!(scan(log.as_slice()).expect("scan"), None);
    }

    #[test]
    fn the_finding_says_what_is_lost_in_chinese() {
        let dropped = Dropped { wal: PathBuf::from("台账.sqlite3-wal"), first: 3, frames: 7, commits: 2 };
        let text = dropped.to_string();
        assert!(text.contains("第 3 帧校验和不符") && text.contains("共 7 帧，含 2 次已提交的写入"), "{text}");
    }
}
