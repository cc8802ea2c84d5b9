//! Files from outside that crashed, stalled or swelled the importer (issue #25), built small
//! in the test that needs them.

use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;
use zip::write::SimpleFileOptions;

/// A valid 单位 sheet (one unit) with one more cell, at Excel's last one: XFD1048576. The file
/// is ~6 KB; calamine's `worksheet_range` allocated 1,048,576 × 16,384 cells for it.
pub fn far_cell(path: &Path, row: u32) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("单位").expect("name");
    sheet.write_row(0, 0, ["单位名称", "党员总数"]).expect("header");
    sheet.write_string(1, 0, "市远处局").expect("cell");
    sheet.write_number(1, 1, 12).expect("cell");
    sheet.write_string(row, 16_383, "远").expect("far cell");
    workbook.save(path).expect("save");
}

/// An `.xlsx` by hand: one sheet named `sheet`, its `<sheetData>` written by `rows`, deflated.
/// What no writer library would produce (a cell of megabytes, millions of rows) in a small file.
pub fn raw_xlsx(path: &Path, sheet: &str, dimension: &str, rows: impl FnOnce(&mut dyn Write)) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let fast = deflated.compression_level(Some(1)).large_file(true);
    let parts: [(&str, String); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, deflated).expect("part");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.start_file("xl/worksheets/sheet1.xml", fast).expect("sheet");
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#
    )
    .expect("write");
    rows(&mut zip);
    zip.write_all(b"</sheetData></worksheet>").expect("write");
    zip.finish().expect("finish");
}

/// A 志愿者 sheet: its header, then `rows` rows each missing every required cell but 姓名 —
/// the shape of the issue's bomb (16 M rows, an error each).
pub fn many_rows(path: &Path, rows: u64) {
    raw_xlsx(path, "志愿者", "A1:B1", |out| {
        out.write_all(
            r#"<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>手机号</t></is></c></row>"#
                .as_bytes(),
        )
        .expect("header");
        let row = r#"<row><c t="inlineStr"><is><t>张三</t></is></c></row>"#.as_bytes();
        let block: Vec<u8> = row.iter().copied().cycle().take(row.len() * 1024).collect();
        for _ in 0..rows / 1024 {
            out.write_all(&block).expect("rows");
        }
        for _ in 0..rows % 1024 {
            out.write_all(row).expect("row");
        }
    });
}

/// A 单位 sheet whose second row's 单位名称 holds `chars` characters.
pub fn big_cell(path: &Path, chars: usize) {
    raw_xlsx(path, "单位", "A1:B2", |out| {
        out.write_all(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c><c r="B1" t="inlineStr"><is><t>党员总数</t></is></c></row>"#.as_bytes())
            .expect("header");
        out.write_all(br#"<row r="2"><c r="A2" t="inlineStr"><is><t>"#).expect("cell");
        let block = vec![b'a'; 1 << 16];
        for _ in 0..chars / block.len() {
            out.write_all(&block).expect("text");
        }
        out.write_all(&block[..chars % block.len()]).expect("text");
        out.write_all(br#"</t></is></c><c r="B2"><v>3</v></c></row>"#).expect("cell");
    });
}

/// A named pipe: opening it for reading waits for a writer that never comes.
pub fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let made = std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success(), "mkfifo");
    path
}
