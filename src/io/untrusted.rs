//! Files from outside (shared/formats.md, "Files from outside"): every workbook and photo the
//! program reads is opened here, and read within bounds whatever the file declares.
//!
//! - Only regular files: a FIFO, a device or a folder is refused before it is opened (opening a
//!   FIFO would wait for a writer for ever).
//! - Only `.xlsx` workbooks (a zip of XML parts). Before calamine sees the file, each XML part is
//!   unpacked once through a counter: the parts' declared and actual sizes, their compression
//!   ratio, the longest XML token and the longest cell, and the counts calamine reserves memory
//!   by (shared strings, merged cells) must stay under [`LIMITS`]. Pictures and other binary
//!   parts are left packed: calamine does not read them. `.xls` and `.ods` cannot be
//!   read so: calamine builds their sheets whole, by the bounding box of their cells, when the
//!   file is opened, so they are refused with a hint to save them as `.xlsx`.
//! - A sheet is then read cell by cell ([`Workbook::cells`]), never as a range sized by its
//!   declared dimensions or its farthest cell.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Dimensions, Range, Reader as _, Xlsx, XlsxCellReader, XlsxError};

use crate::error::{Error, Result};

/// The bounds a file from outside is read within.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The file itself.
    pub file_bytes: u64,
    /// All parts of the workbook, unpacked.
    pub unpacked_bytes: u64,
    /// A part other than a worksheet or the shared strings (calamine reads those whole).
    pub part_bytes: u64,
    /// Unpacked ÷ packed size of a part, checked once the part passes 1 MiB (as Apache POI does).
    pub ratio: u64,
    /// Parts in the zip.
    pub parts: usize,
    /// One XML token (a tag, a run of text): the XML reader holds one at a time.
    pub token_bytes: u64,
    /// One cell (`<c>…</c>`) or shared string (`<si>…</si>`), formatting runs included.
    pub cell_bytes: u64,
    /// Shared strings and merged regions, each held in memory by calamine.
    pub shared_strings: u64,
    pub merged_regions: u64,
    /// Rows of a sheet: Excel's own limit.
    pub rows: u32,
    /// Characters of a cell's text: Excel's own limit.
    pub cell_chars: usize,
    /// A photo file.
    pub photo_bytes: u64,
    /// A photo's pixels (width × height), what decoding it allocates.
    pub photo_pixels: u64,
}

const MIB: u64 = 1024 * 1024;

pub const LIMITS: Limits = Limits {
    file_bytes: 100 * MIB,
    unpacked_bytes: 512 * MIB,
    part_bytes: 32 * MIB,
    ratio: 100,
    parts: 10_000,
    token_bytes: MIB,
    cell_bytes: 2 * MIB,
    shared_strings: 4_000_000,
    merged_regions: 100_000,
    rows: 1_048_576,
    cell_chars: 32_767,
    photo_bytes: 20 * MIB,
    photo_pixels: 40_000_000,
};

/// `1,048,576`: figures in refusals as staff read them.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mb(bytes: u64) -> String {
    format!("{} MB", bytes / MIB)
}

/// A workbook refused: the file and why.
fn refusal(path: &Path, why: impl std::fmt::Display) -> Error {
    refused(WORKBOOK, path, why)
}

const WORKBOOK: &str = "工作簿";

fn refused(kind: &str, path: &Path, why: impl std::fmt::Display) -> Error {
    Error::rejected(format!("无法读取{kind}“{}”：{why}，未读取其中任何数据", path.display()))
}

/// Opens `path` (a 工作簿, a 照片 …: `kind` names it in refusals) for reading if it is a regular
/// file of at most `limit` bytes; its size.
pub fn open_regular(kind: &str, path: &Path, limit: u64) -> Result<(File, u64)> {
    let unreadable = |e: std::io::Error| refused(kind, path, format_args!("文件不存在或无法打开（技术信息：{e}）"));
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "这是一个文件夹"
        } else {
            "这不是普通文件（可能是管道、设备或套接字）"
        };
        return Err(refused(kind, path, what));
    }
    let too_big = |size: u64| {
        refused(kind, path, format_args!("文件有 {:.1} MB，超过 {} 的上限", size as f64 / MIB as f64, mb(limit)))
    };
    if metadata.len() > limit {
        return Err(too_big(metadata.len()));
    }
    let file = File::open(path).map_err(unreadable)?;
    // The name may have been given to something else between the look and the open.
    let opened = file.metadata().map_err(unreadable)?;
    if !opened.is_file() {
        return Err(refused(kind, path, "文件在读取时被替换"));
    }
    if opened.len() > limit {
        return Err(too_big(opened.len()));
    }
    Ok((file, opened.len()))
}

/// A regular file's bytes, at most `limit` of them.
pub fn read_regular(kind: &str, path: &Path, limit: u64) -> Result<Vec<u8>> {
    let (file, size) = open_regular(kind, path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| Error::file(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(refused(kind, path, format_args!("文件超过 {} 的上限", mb(limit))));
    }
    Ok(bytes)
}

const PHOTO: &str = "照片";

/// A photo the user chose: a regular file under the size limit whose header says JPEG or PNG
/// of at most [`Limits::photo_pixels`] pixels (decoding allocates by the declared size).
pub fn read_photo(path: &Path) -> Result<Vec<u8>> {
    let bytes = read_regular(PHOTO, path, LIMITS.photo_bytes)?;
    let reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| Error::file(path, e))?;
    if reader.format().is_none() {
        return Err(Error::rejected("这个文件不是可识别的照片（支持 JPEG、PNG）"));
    }
    let (width, height) = reader
        .into_dimensions()
        .map_err(|_| Error::rejected("这个文件不是可识别的照片（支持 JPEG、PNG），或已损坏"))?;
    if u64::from(width) * u64::from(height) > LIMITS.photo_pixels {
        return Err(refused(
            PHOTO,
            path,
            format_args!("照片有 {width}×{height} 像素，超过 {} 万像素的上限", LIMITS.photo_pixels / 10_000),
        ));
    }
    Ok(bytes)
}

/// The SHA-256 of a regular file under the file limit, read in pieces (a returned ballot's
/// fingerprint in the log).
pub fn sha256_hex(path: &Path) -> Result<String> {
    use sha2::Digest as _;
    let (file, _) = open_regular(WORKBOOK, path, LIMITS.file_bytes)?;
    let mut reader = file.take(LIMITS.file_bytes);
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buffer).map_err(|e| Error::file(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(crate::store::sealing::hex(&hasher.finalize()))
}

/// The names of the sheets of the `.xlsx` workbook at `path`, read from its `xl/workbook.xml`
/// alone (bounded by the part limit), for routing a file before it is read whole.
pub fn sheet_names(path: &Path) -> Result<Vec<String>> {
    let (file, _) = open_regular(WORKBOOK, path, LIMITS.file_bytes)?;
    let corrupt =
        |e: zip::result::ZipError| refusal(path, format_args!("文件已损坏或不是 .xlsx 工作簿（技术信息：{e}）"));
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(corrupt)?;
    let mut xml = Vec::new();
    zip.by_name("xl/workbook.xml")
        .map_err(corrupt)?
        .take(LIMITS.part_bytes)
        .read_to_end(&mut xml)
        .map_err(|e| refusal(path, format_args!("部件“xl/workbook.xml”无法解压（技术信息：{e}）")))?;
    let xml = String::from_utf8_lossy(&xml);
    let names = xml
        .split("<sheet ")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let value = tag.split_once("name=")?.1;
            let quote = value.chars().next()?;
            let name = value.get(1..)?.split(quote).next()?;
            Some(unescape(name))
        })
        .collect();
    Ok(names)
}

/// XML's five named entities, as sheet names may hold them.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// An `.xlsx` workbook whose parts passed the checks; read its sheets through [`Workbook::cells`].
pub struct Workbook {
    path: PathBuf,
    xlsx: Xlsx<BufReader<File>>,
}

/// What the check of a workbook's parts found (for tests and benches).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unpacked {
    pub parts: usize,
    pub bytes: u64,
}

/// Opens the workbook at `path` after checking every part of it within [`LIMITS`].
pub fn open_workbook(path: &Path) -> Result<Workbook> {
    open_workbook_within(path, &LIMITS).map(|(workbook, _)| workbook)
}

/// [`open_workbook`] under other limits, with what was unpacked.
pub fn open_workbook_within(path: &Path, limits: &Limits) -> Result<(Workbook, Unpacked)> {
    let (mut file, _) = open_regular(WORKBOOK, path, limits.file_bytes)?;
    let mut magic = [0u8; 4];
    let head = file.read(&mut magic).map_err(|e| Error::file(path, e))?;
    match &magic[..head] {
        b"PK\x03\x04" => {}
        [0xD0, 0xCF, 0x11, 0xE0] => {
            return Err(refusal(
                path,
                "这是 .xls 格式或设有打开密码的工作簿，无法在有限的内存内读取；\
                 请在 Excel 或 WPS 中取消密码并“另存为” .xlsx 后再导入",
            ));
        }
        _ => return Err(refusal(path, "不是 .xlsx 工作簿（Excel、WPS 或 LibreOffice 可“另存为” .xlsx）")),
    }
    let mut reader = BufReader::new(file);
    let unpacked = check_parts(path, &mut reader, limits)?;
    let xlsx = Xlsx::new(reader).map_err(|e| match e {
        XlsxError::Io(e) => Error::file(path, e),
        other => refusal(path, format_args!("文件已损坏或不是 Excel 工作簿（技术信息：{other}）")),
    })?;
    Ok((Workbook { path: path.to_path_buf(), xlsx }, unpacked))
}

/// Unpacks every part once through [`XmlBounds`], refusing at the first limit passed.
fn check_parts<R: Read + std::io::Seek>(path: &Path, reader: &mut R, limits: &Limits) -> Result<Unpacked> {
    let corrupt =
        |e: zip::result::ZipError| refusal(path, format_args!("文件已损坏或不是 .xlsx 工作簿（技术信息：{e}）"));
    let mut zip = zip::ZipArchive::new(reader).map_err(corrupt)?;
    if zip.len() > limits.parts {
        return Err(refusal(
            path,
            format_args!("工作簿有 {} 个部件，超过 {} 个的上限", zip.len(), grouped(limits.parts as u64)),
        ));
    }
    if odf(&mut zip) {
        return Err(refusal(
            path,
            "这是 .ods 工作簿，无法在有限的内存内读取；请在 LibreOffice 或 WPS 中“另存为” .xlsx 后再导入",
        ));
    }
    let too_big = || refusal(path, format_args!("解压后超过 {}", mb(limits.unpacked_bytes)));
    let mut unpacked = Unpacked { parts: zip.len(), bytes: 0 };
    // Pictures and other binary parts are never unpacked (calamine reads only XML here).
    let declared: u64 = (0..zip.len())
        .map(|i| {
            zip.by_index_raw(i).map(|entry| {
                let xml = entry.name().is_ok_and(|name| PartKind::of(&name) != PartKind::Binary);
                if xml { entry.size() } else { 0 }
            })
        })
        .try_fold(0u64, |sum, size| size.map(|s| sum.saturating_add(s)))
        .map_err(corrupt)?;
    if declared > limits.unpacked_bytes {
        return Err(too_big());
    }
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(corrupt)?;
        let name = entry.name().map_err(corrupt)?.into_owned();
        let kind = PartKind::of(&name);
        let part_limit = match kind {
            PartKind::Binary => continue,
            PartKind::Sheet | PartKind::SharedStrings => limits.unpacked_bytes,
            PartKind::Other => limits.part_bytes,
        };
        if entry.size() > part_limit {
            return Err(refusal(path, format_args!("部件“{name}”解压后超过 {}", mb(part_limit))));
        }
        let mut bounds = XmlBounds::new(limits, entry.compressed_size());
        let room = (limits.unpacked_bytes - unpacked.bytes).min(part_limit);
        let copied = std::io::copy(&mut (&mut entry).take(room + 1), &mut bounds);
        if let Some(passed) = bounds.passed {
            return Err(match passed {
                Passed::Ratio => {
                    refusal(path, format_args!("部件“{name}”的压缩比超过 {} 倍（疑为压缩炸弹）", limits.ratio))
                }
                Passed::Token => {
                    refusal(path, format_args!("部件“{name}”有一段超过 {} 的 XML 内容", mb(limits.token_bytes)))
                }
                Passed::Cell => refusal(path, format_args!("部件“{name}”有单元格内容超过 {}", mb(limits.cell_bytes))),
                Passed::Tag => refusal(path, format_args!("部件“{name}”的 XML 结构异常")),
            });
        }
        let read = copied.map_err(|e| refusal(path, format_args!("部件“{name}”无法解压（技术信息：{e}）")))?;
        if read > room {
            let whole_workbook = room < part_limit || part_limit == limits.unpacked_bytes;
            return Err(if whole_workbook {
                too_big()
            } else {
                refusal(path, format_args!("部件“{name}”解压后超过 {}", mb(part_limit)))
            });
        }
        unpacked.bytes += read;
        if kind == PartKind::SharedStrings {
            if bounds.shared_strings > limits.shared_strings {
                return Err(refusal(path, format_args!("共享字符串超过 {} 个", grouped(limits.shared_strings))));
            }
            // calamine reserves room for `uniqueCount` strings before reading any.
            if bounds.unique_count.is_some_and(|declared| declared > bounds.shared_strings) {
                return Err(refusal(path, "共享字符串表声明的数量与其内容不符"));
            }
        }
        if bounds.merged_regions > limits.merged_regions {
            return Err(refusal(
                path,
                format_args!("部件“{name}”有超过 {} 个合并单元格", grouped(limits.merged_regions)),
            ));
        }
    }
    Ok(unpacked)
}

/// Whether the zip is an OpenDocument file (its first part names the type).
fn odf<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> bool {
    zip.by_name("mimetype").is_ok() || zip.by_name("content.xml").is_ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PartKind {
    /// A worksheet: calamine streams it.
    Sheet,
    /// `sharedStrings.xml`: held whole, one `String` a string.
    SharedStrings,
    /// Any other XML part (workbook, styles, relationships …): held whole when read.
    Other,
    /// Pictures and other binary parts: never read.
    Binary,
}

impl PartKind {
    fn of(name: &str) -> PartKind {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            PartKind::SharedStrings
        } else if lower.contains("worksheets/") && lower.ends_with(".xml") {
            PartKind::Sheet
        } else if lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".vml") {
            PartKind::Other
        } else {
            PartKind::Binary
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Passed {
    Ratio,
    Token,
    Cell,
    Tag,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scan {
    Text,
    /// Just after `<`: reading the name.
    Name,
    /// Inside a tag, outside or inside (the quote byte) an attribute value.
    Tag {
        quote: u8,
    },
    Comment,
    CData,
}

/// Counts an XML part's bytes as they are unpacked and follows its tokens the way the XML
/// reader will cut them: the longest token, the longest `<c>`/`<si>` element, and the elements
/// calamine keeps a list of. A limit passed stops the copy (an error from `write`).
struct XmlBounds<'l> {
    limits: &'l Limits,
    packed: u64,
    position: u64,
    scan: Scan,
    token: u64,
    /// The current tag's name (its local part: `x:c` reads `c`), up to 16 bytes.
    name: [u8; 16],
    name_len: usize,
    closing: bool,
    previous: u8,
    /// The last three bytes, to find `-->` and `]]>`.
    tail: [u8; 3],
    cell_start: Option<u64>,
    /// The `<sst …>` tag's bytes, for its `uniqueCount`.
    sst_tag: Option<Vec<u8>>,
    unique_count: Option<u64>,
    shared_strings: u64,
    merged_regions: u64,
    passed: Option<Passed>,
}

impl<'l> XmlBounds<'l> {
    fn new(limits: &'l Limits, packed: u64) -> Self {
        XmlBounds {
            limits,
            packed,
            position: 0,
            scan: Scan::Text,
            token: 0,
            name: [0; 16],
            name_len: 0,
            closing: false,
            previous: 0,
            tail: [0; 3],
            cell_start: None,
            sst_tag: None,
            unique_count: None,
            shared_strings: 0,
            merged_regions: 0,
            passed: None,
        }
    }

    fn local_name(&self) -> &[u8] {
        let name = &self.name[..self.name_len];
        match name.iter().rposition(|b| *b == b':') {
            Some(colon) => &name[colon + 1..],
            None => name,
        }
    }

    /// The name is complete: note what starts or ends here.
    fn named(&mut self) {
        let name = self.local_name();
        let (cell, string, merge, sst) = (name == b"c", name == b"si", name == b"mergeCell", name == b"sst");
        if self.closing {
            if (cell || string)
                && let Some(start) = self.cell_start.take()
                && self.position - start > self.limits.cell_bytes
            {
                self.passed = Some(Passed::Cell);
            }
            return;
        }
        if cell || string {
            self.cell_start = Some(self.position);
        }
        self.shared_strings += u64::from(string);
        self.merged_regions += u64::from(merge);
        if sst && self.unique_count.is_none() && self.sst_tag.is_none() {
            self.sst_tag = Some(Vec::new());
        }
    }

    /// A tag ended with `>`.
    fn tag_ended(&mut self) {
        if self.previous == b'/' {
            // `<c r="A1"/>`: an empty element.
            self.cell_start = None;
        }
        if let Some(tag) = self.sst_tag.take() {
            self.unique_count = Some(unique_count(&tag));
        }
    }

    fn byte(&mut self, b: u8) {
        self.position += 1;
        self.token += 1;
        if self.token > self.limits.token_bytes {
            self.passed = Some(Passed::Token);
            return;
        }
        if let Some(start) = self.cell_start
            && self.position - start > self.limits.cell_bytes
        {
            self.passed = Some(Passed::Cell);
            return;
        }
        if let Some(tag) = &mut self.sst_tag {
            if tag.len() >= 4096 {
                self.passed = Some(Passed::Tag);
                return;
            }
            tag.push(b);
        }
        self.tail = [self.tail[1], self.tail[2], b];
        match self.scan {
            Scan::Text => {
                if b == b'<' {
                    self.scan = Scan::Name;
                    self.token = 1;
                    self.name_len = 0;
                    self.closing = false;
                }
            }
            Scan::Name => {
                let delimiter = b.is_ascii_whitespace() || b == b'>' || (b == b'/' && self.name_len > 0);
                if b == b'/' && self.name_len == 0 && !self.closing {
                    self.closing = true;
                } else if delimiter {
                    self.named();
                    self.scan = Scan::Tag { quote: 0 };
                    if b == b'>' {
                        self.tag_ended();
                        self.scan = Scan::Text;
                        self.token = 0;
                    }
                } else if self.name_len < self.name.len() {
                    self.name[self.name_len] = b;
                    self.name_len += 1;
                    let name = &self.name[..self.name_len];
                    if name == b"!--" {
                        self.scan = Scan::Comment;
                    } else if name == b"![CDATA[" {
                        self.scan = Scan::CData;
                    }
                } else {
                    // A name longer than any we look for.
                    self.scan = Scan::Tag { quote: 0 };
                }
            }
            Scan::Tag { quote } => match (quote, b) {
                (0, b'"' | b'\'') => self.scan = Scan::Tag { quote: b },
                (0, b'>') => {
                    self.tag_ended();
                    self.scan = Scan::Text;
                    self.token = 0;
                }
                (q, _) if q == b => self.scan = Scan::Tag { quote: 0 },
                _ => {}
            },
            Scan::Comment if self.tail == *b"-->" => {
                self.scan = Scan::Text;
                self.token = 0;
            }
            Scan::CData if self.tail == *b"]]>" => {
                self.scan = Scan::Text;
                self.token = 0;
            }
            Scan::Comment | Scan::CData => {}
        }
        if !b.is_ascii_whitespace() {
            self.previous = b;
        }
    }
}

/// `uniqueCount="12"` in an `<sst …>` tag: 0 when absent (nothing is reserved), `u64::MAX`
/// when it is not a plain number (refused rather than guessing what calamine makes of it).
fn unique_count(tag: &[u8]) -> u64 {
    let Some(at) = tag.windows(11).position(|w| w == b"uniqueCount") else { return 0 };
    let value = || {
        let rest = std::str::from_utf8(&tag[at + 11..]).ok()?.trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next()?;
        rest.get(1..)?.split(quote).next()?.trim().parse().ok()
    };
    value().unwrap_or(u64::MAX)
}

impl Write for XmlBounds<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.byte(b);
            if self.passed.is_some() {
                break;
            }
        }
        if self.position > MIB && self.position / self.packed.max(1) > self.limits.ratio {
            self.passed = Some(Passed::Ratio);
        }
        match self.passed {
            Some(_) => Err(std::io::Error::other("limit passed")),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One cell as the sheet holds it: its value, or the formula it holds without a result.
pub enum CellValue<'a> {
    Value(DataRef<'a>),
    /// A formula saved without its cached result (written by a program that does not calculate).
    Uncalculated(String),
}

/// A sheet read cell by cell, in the file's order.
pub struct Cells<'a> {
    path: &'a Path,
    sheet: String,
    reader: XlsxCellReader<'a, BufReader<File>>,
    rows: u32,
}

impl<'a> Cells<'a> {
    /// The next non-empty cell: its 0-based (row, column) and value. A cell past the sheet's
    /// row limit is refused, naming the sheet.
    pub fn next_cell(&mut self) -> Result<Option<((u32, u32), CellValue<'a>)>> {
        loop {
            let record = self
                .reader
                .next_cell_with_formula_metadata()
                .map_err(|e| refusal(self.path, format_args!("工作表“{}”已损坏（技术信息：{e}）", self.sheet)))?;
            let Some(record) = record else { return Ok(None) };
            if record.pos.0 >= self.rows {
                return Err(refusal(
                    self.path,
                    format_args!("工作表“{}”超过 {} 行", self.sheet, grouped(u64::from(self.rows))),
                ));
            }
            // A formula's empty result (`<v></v>`) is no result either.
            let blank = match &record.value {
                DataRef::Empty => true,
                DataRef::String(text) => text.trim().is_empty(),
                DataRef::SharedString(text) => text.trim().is_empty(),
                _ => false,
            };
            let value = match (record.value, record.formula) {
                (_, Some(formula)) if blank => {
                    let text = match formula {
                        calamine::XlsxFormulaMetadata::Normal { formula }
                        | calamine::XlsxFormulaMetadata::Shared { formula, .. } => formula,
                        // A cell sharing another's formula: its text is the anchor's, moved.
                        _ => "（共享公式）".to_string(),
                    };
                    if text.trim().is_empty() {
                        continue;
                    }
                    CellValue::Uncalculated(text)
                }
                (DataRef::Empty, None) => continue,
                (value, _) => CellValue::Value(value),
            };
            return Ok(Some((record.pos, value)));
        }
    }
}

impl Workbook {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// The sheet's cells, streamed: only what the caller keeps is held. `None` for a sheet
    /// that holds no cells (a chart sheet).
    pub fn cells(&mut self, sheet: &str) -> Result<Option<Cells<'_>>> {
        let path = self.path.as_path();
        let reader = match self.xlsx.worksheet_cells_reader(sheet) {
            Ok(reader) => reader,
            Err(XlsxError::NotAWorksheet(_)) => return Ok(None),
            Err(other) => return Err(refusal(path, format_args!("工作表“{sheet}”无法读取（技术信息：{other}）"))),
        };
        Ok(Some(Cells { path, sheet: sheet.to_string(), reader, rows: LIMITS.rows }))
    }

    /// The sheet's merged regions (their number was bounded when the file was checked).
    pub fn merged_regions(&mut self, sheet: &str) -> Vec<Dimensions> {
        self.xlsx.merge_cells_by_sheet_name(sheet).unwrap_or_default()
    }

    /// The sheet's cells within its first `rows` × `columns` as a range (the cells beyond are
    /// left out), for small sheets such as a ballot's: its memory is bounded by those figures,
    /// not by the file.
    pub fn range_within(&mut self, sheet: &str, rows: u32, columns: u32) -> Result<Range<Data>> {
        let Some(mut cells) = self.cells(sheet)? else { return Ok(Range::default()) };
        let mut kept = Vec::new();
        let room = u64::from(rows) * u64::from(columns);
        while let Some(((row, column), value)) = cells.next_cell()? {
            if row < rows && column < columns {
                if kept.len() as u64 >= room {
                    return Err(refusal(cells.path, format_args!("工作表“{sheet}”有重复的单元格")));
                }
                let data = match value {
                    CellValue::Value(value) => Data::from(value),
                    CellValue::Uncalculated(_) => continue,
                };
                kept.push(calamine::Cell::new((row, column), data));
            }
        }
        Ok(Range::from_sparse(kept))
    }

    /// The formulas among the sheet's first `rows` × `columns` cells, with or without a cached
    /// result (a ballot's 选择 holds marks a judge typed, never a formula).
    pub fn formulas_within(&mut self, sheet: &str, rows: u32, columns: u32) -> Result<Range<String>> {
        let path = self.path.as_path();
        let mut reader = match self.xlsx.worksheet_cells_reader(sheet) {
            Ok(reader) => reader,
            Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
            Err(other) => return Err(refusal(path, format_args!("工作表“{sheet}”无法读取（技术信息：{other}）"))),
        };
        let mut kept = Vec::new();
        let room = u64::from(rows) * u64::from(columns);
        while let Some(cell) =
            reader.next_formula().map_err(|e| refusal(path, format_args!("工作表“{sheet}”已损坏（技术信息：{e}）")))?
        {
            let (row, column) = cell.get_position();
            if row < rows && column < columns && !cell.get_value().trim().is_empty() {
                if kept.len() as u64 >= room {
                    return Err(refusal(path, format_args!("工作表“{sheet}”有重复的单元格")));
                }
                kept.push(cell);
            }
        }
        Ok(Range::from_sparse(kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, limits: &Limits) -> (Option<Passed>, u64, u64, Option<u64>) {
        let mut bounds = XmlBounds::new(limits, xml.len() as u64);
        let _ = bounds.write(xml.as_bytes());
        (bounds.passed, bounds.shared_strings, bounds.merged_regions, bounds.unique_count)
    }

    #[test]
    fn follows_tokens_as_the_xml_reader_cuts_them() {
        let small = Limits { token_bytes: 16, cell_bytes: 40, ..LIMITS };
        assert_eq!(scan(r#"<c r="A1"><v>1</v></c>"#, &small).0, None);
        assert_eq!(scan(r#"<c r="A1"><v>12345678901234567890</v></c>"#, &small).0, Some(Passed::Token));
        assert_eq!(scan(r#"<c><v>1</v><v>2</v><v>3</v><v>4</v><v>5</v></c>"#, &small).0, Some(Passed::Cell));
        assert_eq!(scan(r#"<x:c r="A1"/><v>1</v><v>2</v><v>3</v><v>4</v><v>5</v>"#, &small).0, None);
        // A `>` inside an attribute value or a comment does not end the token early.
        assert_eq!(scan(r#"<a b=">>>>>>>>>>>>>>>>>>>>">"#, &small).0, Some(Passed::Token));
        assert_eq!(scan("<!-- > > > > > > > > > > -->", &small).0, Some(Passed::Token));
        let (passed, strings, merges, unique) =
            scan(r#"<sst count="3" uniqueCount="2"><si><t>a</t></si><si/></sst><mergeCell ref="A1:B2"/>"#, &LIMITS);
        assert_eq!((passed, strings, merges, unique), (None, 2, 1, Some(2)));
    }

    #[test]
    fn groups_figures() {
        assert_eq!(grouped(1_048_576), "1,048,576");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
