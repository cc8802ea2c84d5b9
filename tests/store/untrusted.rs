//! Files from outside (issue #25, formats.md "Files from outside"): every workbook read is
//! imported or refused within bounds, a refusal naming the file and the limit passed; at most
//! 1,000 errors listed; only regular files; returned ballots and photos read the same way.
//! The property test mutates valid workbooks and checks that reading never panics and either
//! reads or refuses naming the file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use volunteer_desk::io::ballot_workbook::read_returned;
use volunteer_desk::io::import::{ImportPlan, LISTED_ERRORS, Progress, preview_as_of};
use volunteer_desk::io::untrusted::{LIMITS, Limits, open_workbook_within, read_photo};
use volunteer_desk::store::{self, Store};

use crate::common::hostile;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
}

fn fixture() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let store = store::open(&dir.path().join("desk.sqlite3")).expect("open");
    (dir, store)
}

fn preview(store: &Store, path: &Path) -> volunteer_desk::Result<ImportPlan> {
    preview_as_of(store, path, today(), &Progress::new())
}

fn refusal(store: &Store, path: &Path) -> String {
    let message = preview(store, path).expect_err("refused").to_string();
    assert!(message.contains(&path.display().to_string()), "names the file: {message}");
    assert!(message.contains("未读取其中任何数据"), "{message}");
    message
}

#[test]
fn a_cell_at_xfd1048576_leaves_the_rows_read_as_they_are() {
    let (dir, store) = fixture();
    let path = dir.path().join("远处.xlsx");
    hostile::far_cell(&path, 1_048_575);
    let plan = preview(&store, &path).expect("read");
    assert!(plan.is_ok(), "{:?}", plan.errors());
    assert_eq!(plan.counts()[0].new, 1);
    // The same cell at XFD8000 (4.1 GB before).
    hostile::far_cell(&path, 7_999);
    assert_eq!(preview(&store, &path).expect("read").counts()[0].new, 1);
}

#[test]
fn a_row_past_excel_last_row_is_refused_naming_the_sheet() {
    let (dir, store) = fixture();
    let path = dir.path().join("过长.xlsx");
    hostile::raw_xlsx(&path, "单位", "A1:B1048577", |out| {
        out.write_all(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c></row>"#.as_bytes())
            .expect("row");
        out.write_all(
            r#"<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>市远处局</t></is></c></row>"#.as_bytes(),
        )
        .expect("row");
    });
    let message = refusal(&store, &path);
    assert!(message.contains("工作表“单位”超过 1,048,576 行"), "{message}");
}

#[test]
fn a_zip_bomb_is_refused_past_the_unpacked_limit() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("炸弹.xlsx");
    // 400,000 rows: 21 MB of sheet XML in a file of a few hundred kilobytes.
    hostile::many_rows(&path, 400_000);
    assert!(std::fs::metadata(&path).expect("size").len() < 1_000_000);
    let small = Limits { unpacked_bytes: 16 << 20, ..LIMITS };
    let message = open_workbook_within(&path, &small).err().expect("refused").to_string();
    assert!(message.contains("解压后超过 16 MB"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    // Within the limit it is read, and every part was counted.
    let unpacked = match open_workbook_within(&path, &LIMITS) {
        Ok((_, unpacked)) => unpacked,
        Err(e) => panic!("read: {e}"),
    };
    assert!(unpacked.bytes > 20 << 20 && unpacked.bytes < LIMITS.unpacked_bytes, "{unpacked:?}");
}

#[test]
fn a_part_packed_more_than_a_hundredfold_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("高压缩比.xlsx");
    hostile::big_cell(&path, 8 << 20);
    let roomy = Limits { token_bytes: 64 << 20, cell_bytes: 64 << 20, ..LIMITS };
    let message = open_workbook_within(&path, &roomy).err().expect("refused").to_string();
    assert!(message.contains("压缩比超过 100 倍"), "{message}");
}

#[test]
fn a_huge_cell_is_refused_before_it_is_read() {
    let (dir, store) = fixture();
    let path = dir.path().join("大单元格.xlsx");
    hostile::big_cell(&path, 3 << 20);
    let message = refusal(&store, &path);
    assert!(message.contains("有一段超过 1 MB 的 XML 内容"), "{message}");
    // Longer than Excel allows, yet small enough to unpack: refused by Excel's own limit.
    hostile::big_cell(&path, 40_000);
    let message = refusal(&store, &path);
    assert!(message.contains("工作表“单位”第2行有单元格超过 32,767 个字符"), "{message}");
}

#[test]
fn errors_past_the_first_thousand_are_counted_not_listed() {
    let (dir, store) = fixture();
    let path = dir.path().join("错误很多.xlsx");
    hostile::many_rows(&path, 1_500);
    let plan = preview(&store, &path).expect("read");
    assert_eq!(plan.errors().len(), LISTED_ERRORS);
    // Each row lacks its 手机号; the header lacks 身份证号 and 所属单位 (once each).
    assert_eq!(plan.error_count(), 1_502);
    assert_eq!(plan.unlisted_errors(), 502);
    let message = plan.rejection().expect("refused").to_string();
    assert!(message.contains("共 1502 处错误"), "{}", &message[..200]);
    assert!(message.ends_with("另有 502 处错误"), "{}", &message[message.len() - 200..]);
    assert_eq!(message.lines().count(), 1 + LISTED_ERRORS + 1);
}

#[test]
fn only_regular_xlsx_files_are_read() {
    let (dir, store) = fixture();
    let fifo = hostile::fifo(dir.path(), "管道.xlsx");
    assert!(refusal(&store, &fifo).contains("不是普通文件"));
    let folder = dir.path().join("文件夹.xlsx");
    std::fs::create_dir(&folder).expect("dir");
    assert!(refusal(&store, &folder).contains("文件夹"));
    let xls = dir.path().join("旧.xls");
    std::fs::write(&xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).expect("write");
    assert!(refusal(&store, &xls).contains("另存为"));
    let ods = dir.path().join("表.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&ods).expect("create"));
    zip.start_file("mimetype", zip::write::SimpleFileOptions::default()).expect("part");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").expect("write");
    zip.finish().expect("finish");
    assert!(refusal(&store, &ods).contains(".ods"));
}

/// A ballot as a judge returns it, with a cell at XFD1048576 added.
fn far_ballot(path: &Path) {
    let mut workbook = Workbook::new();
    let ballot = workbook.add_worksheet().set_name("选票").expect("name");
    ballot.write_row(7, 0, ["编号", "标题", "内容", "选择"]).expect("header");
    ballot.write_row(8, 0, ["JF001", "家训", "勤俭", "✓"]).expect("row");
    ballot.write_row(9, 0, ["JF002", "家训", "诚信", ""]).expect("row");
    ballot.write_string(1_048_575, 16_383, "远").expect("far");
    let seal = workbook.add_worksheet().set_name("封签").expect("name");
    for (row, (label, value)) in [("轮次编号", "3"), ("评委编号", "7"), ("封签", "abc")].iter().enumerate() {
        seal.write_row(row as u32, 0, [*label, *value]).expect("seal");
    }
    workbook.save(path).expect("save");
}

#[test]
fn a_returned_ballot_is_read_within_bounds() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("选票_张三.xlsx");
    far_ballot(&path);
    let returned = read_returned(&path, false).expect("read");
    assert_eq!(returned.codes, ["JF001", "JF002"]);
    assert_eq!(returned.marked, ["JF001"]);
    assert_eq!((returned.round_id, returned.judge_id, returned.seal.as_str()), (3, 7, "abc"));
    let fifo = hostile::fifo(dir.path(), "选票_管道.xlsx");
    assert!(read_returned(&fifo, false).expect_err("refused").contains("不是普通文件"));
}

/// CRC-32 (IEEE) of a PNG chunk.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A real 2×2 PNG whose header then says `width` × `height` (decoding it would allocate that).
fn png_saying(width: u32, height: u32) -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::new(2, 2).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
    // The IHDR chunk: length (8..12), type and data (12..29), CRC (29..33).
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn a_photo_is_read_within_its_size_and_pixels() {
    let dir = tempfile::tempdir().expect("dir");
    let small = dir.path().join("小.png");
    std::fs::write(&small, png_saying(2, 2)).expect("write");
    assert!(read_photo(&small).is_ok());
    let huge = dir.path().join("巨大.png");
    std::fs::write(&huge, png_saying(100_000, 100_000)).expect("write");
    let message = read_photo(&huge).expect_err("refused").to_string();
    assert!(message.contains("100000×100000 像素，超过 4000 万像素的上限"), "{message}");
    let fifo = hostile::fifo(dir.path(), "照片管道.png");
    assert!(read_photo(&fifo).expect_err("refused").to_string().contains("不是普通文件"));
}

/// A valid workbook to mutate: a 单位 sheet and a 志愿者 sheet with merged cells.
fn seed_workbook() -> &'static [u8] {
    static SEED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let mut workbook = Workbook::new();
        let units = workbook.add_worksheet().set_name("单位").expect("name");
        units.write_row(0, 0, ["单位名称", "党员总数"]).expect("row");
        units.write_row(1, 0, ["市甲局"]).expect("row");
        units.write_number(1, 1, 12).expect("cell");
        let people = workbook.add_worksheet().set_name("志愿者").expect("name");
        people.write_row(0, 0, ["姓名", "身份证号", "手机号", "所属单位"]).expect("row");
        for row in 1..6 {
            people.write_row(row, 0, ["张三", "110101199001011237", "13800000000"]).expect("row");
        }
        people.merge_range(1, 3, 5, 3, "市甲局", &rust_xlsxwriter::Format::new()).expect("merge");
        workbook.save_to_buffer().expect("buffer")
    })
}

/// A sheet's XML with odd parts put in: far cells, a huge `<dimension>`, unclosed or stray tags.
fn odd_sheet(pieces: &[(u8, u32, u32)]) -> Vec<u8> {
    let mut xml = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c><c r="B1" t="inlineStr"><is><t>党员总数</t></is></c></row>"#.as_bytes().to_vec();
    for &(kind, row, column) in pieces {
        let cell = format!("{}{}", column_name(column), row + 1);
        let piece = match kind % 6 {
            0 => format!(r#"<row r="{}"><c r="{cell}" t="inlineStr"><is><t>市乙局</t></is></c></row>"#, row + 1),
            1 => format!(r#"<c r="{cell}"><v>{row}</v></c>"#),
            2 => format!(r#"<row><c r="{cell}" t="s"><v>{column}</v></c></row>"#),
            3 => format!(r#"<row r="{}"><c r="{cell}"><f>SUM(A1:{cell})</f></c></row>"#, row + 1),
            4 => "<row><c><is><t>未闭合".to_string(),
            _ => format!(r#"<row r="{row}" spans="1:{column}"></row>"#),
        };
        xml.extend(piece.into_bytes());
    }
    xml
}

fn column_name(mut column: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ascii")
}

/// Reading `path` panicked neither outright nor inside the guard, and either read the workbook
/// within the row and error limits or refused it naming the file; under a small limit on what
/// may be unpacked, no more was.
fn read_or_refused(store: &Store, path: &Path) -> Result<(), TestCaseError> {
    let small = Limits { unpacked_bytes: 1 << 20, ..LIMITS };
    match open_workbook_within(path, &small) {
        Ok((_, unpacked)) => prop_assert!(unpacked.bytes <= small.unpacked_bytes, "{:?}", unpacked),
        Err(refused) => prop_assert!(refused.to_string().contains(&path.display().to_string()), "{}", refused),
    }
    match preview(store, path) {
        Ok(plan) => {
            prop_assert!(plan.errors().len() <= LISTED_ERRORS);
            for counts in plan.counts() {
                prop_assert!(counts.new + counts.unchanged + counts.errors <= LIMITS.rows as usize);
            }
        }
        Err(refused) => {
            let message = refused.to_string();
            prop_assert!(!message.contains("程序内部出错"), "a panic: {}", message);
            prop_assert!(message.contains(&path.display().to_string()), "names the file: {}", message);
        }
    }
    Ok(())
}

fn case_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn flipped_bytes_are_read_or_refused(flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..6)) {
        let (dir, store) = fixture();
        let mut bytes = seed_workbook().to_vec();
        for (at, mask) in &flips {
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
        }
        let path = case_path(dir.path(), "改过.xlsx");
        std::fs::write(&path, &bytes).expect("write");
        read_or_refused(&store, &path)?;
    }

    #[test]
    fn odd_sheets_are_read_or_refused(
        pieces in prop::collection::vec((any::<u8>(), 0u32..2_000_000, 0u32..20_000), 0..8),
        rows in 0u32..3_000_000,
    ) {
        let (dir, store) = fixture();
        let path = case_path(dir.path(), "奇怪.xlsx");
        let xml = odd_sheet(&pieces);
        hostile::raw_xlsx(&path, "单位", &format!("A1:XFD{rows}"), |out| out.write_all(&xml).expect("write"));
        read_or_refused(&store, &path)?;
    }
}
