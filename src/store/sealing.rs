//! 身份证号 and mobile numbers sealed under the office's data key (issue #20).
//!
//! 国密 throughout: SM4 in GCM mode seals a value (RustCrypto's `sm4` under the generic GCM of
//! `aes-gcm`), HMAC-SM3 makes the index that finds it ("this ID is already 张三's") without
//! the clear value, and argon2id turns the 恢复码 into the key that wraps the data key.
//!
//! A sealed value is text, so the audit log's JSON can hold it: the format, then hex of the
//! 12-byte nonce and the ciphertext with its 16-byte tag. Format `2` binds the value to its
//! place (issue #26): the associated data is the kind of value (an ID or a phone), the table
//! and the row's id, so an ID moved to another person's row, or into a phone column, does not
//! open. Format `1` bound the kind only; its values are opened only to be sealed again in
//! format `2` (`store::resealing`), never to be shown.

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{AesGcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use sm3::Sm3;
use sm4::Sm4;

use crate::error::{Error, Result};

type Sm4Gcm = AesGcm<Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

/// The format of [`DataKey::seal_bytes`] (the 恢复码's wrap, and values bound by their own
/// associated data), and of the IDs and phones sealed before they were bound to their rows.
const FORMAT: &str = "1";
/// IDs and phones bound to their table and row.
const BOUND_FORMAT: &str = "2";
const NONCE_BYTES: usize = 12;
/// The associated data of the data key wrapped under a 恢复码.
const WRAPPED_KEY: &[u8] = b"data key";

/// What a sealed value is: the associated data that binds it to its kind of column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    IdNumber,
    Phone,
}

impl Field {
    fn label(self) -> &'static [u8] {
        match self {
            Field::IdNumber => b"id_number",
            Field::Phone => b"phone",
        }
    }

    /// The associated data of a value in format `2`: the kind, the table and the row.
    fn bound_label(self, place: Place<'_>) -> Vec<u8> {
        let mut label = self.label().to_vec();
        label.extend_from_slice(format!("|{}|{}", place.table, place.row).as_bytes());
        label
    }
}

/// Where a sealed value lives: its table and the id of its row (for the audit log's copies,
/// the row the entry logged, which its object names: `team#3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    pub table: &'a str,
    pub row: i64,
}

/// The office's data key: 32 random bytes made with the database, from which the sealing key
/// and the index key are derived (once: an import seals 100,000 numbers). Never written to
/// the database in clear.
#[derive(Clone)]
pub struct DataKey {
    secret: [u8; 32],
    cipher: Sm4Gcm,
    index_mac: HmacSm3,
    /// Signs the audit log's chain: without the key, a log rewritten and chained again fails.
    chain_mac: HmacSm3,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    /// A new random key.
    pub fn generate() -> Result<DataKey> {
        let mut secret = [0u8; 32];
        fill_random(&mut secret)?;
        Ok(DataKey::from_secret(secret))
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<DataKey> {
        Some(DataKey::from_secret(bytes.try_into().ok()?))
    }

    fn from_secret(secret: [u8; 32]) -> DataKey {
        let seal_key = derive(&secret, b"volunteer-desk seal");
        let index_key = derive(&secret, b"volunteer-desk index");
        DataKey {
            secret,
            cipher: Sm4Gcm::new_from_slice(&seal_key[..16]).expect("SM4 takes a 16-byte key"),
            index_mac: new_mac(&index_key),
            chain_mac: new_mac(&derive(&secret, b"volunteer-desk audit chain")),
        }
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.secret
    }

    /// Seals `clear` for a column of kind `field` at `place` (format `2`).
    pub fn seal_at(&self, field: Field, place: Place<'_>, clear: &str) -> Result<String> {
        self.seal_in_format(BOUND_FORMAT, clear.as_bytes(), &field.bound_label(place))
    }

    /// Opens a value [`seal_at`](Self::seal_at) sealed for the same kind, table and row: one
    /// moved from another row or column is refused, as is one sealed before values were bound.
    pub fn open_at(&self, field: Field, place: Place<'_>, sealed: &str) -> Result<String> {
        let clear = self.open_in_format(BOUND_FORMAT, sealed, &field.bound_label(place)).ok_or_else(unreadable)?;
        String::from_utf8(clear).map_err(|_| unreadable())
    }

    /// Seals `clear` for the kind only (format `1`): migration 17, which sealed the numbers
    /// in place before they were bound, runs as it shipped; the open after binds them.
    pub(crate) fn seal_unbound(&self, field: Field, clear: &str) -> Result<String> {
        self.seal_bytes(clear.as_bytes(), field.label())
    }

    /// [`open_at`](Self::open_at), or a value sealed for the kind only (format `1`): for
    /// sealing it again bound to its row, never for showing.
    pub(crate) fn open_either(&self, field: Field, place: Place<'_>, sealed: &str) -> Result<String> {
        if !sealed.starts_with(FORMAT) {
            return self.open_at(field, place, sealed);
        }
        let clear = self.open_bytes(sealed, field.label()).ok_or_else(unreadable)?;
        String::from_utf8(clear).map_err(|_| unreadable())
    }

    /// `1`, then hex of a fresh nonce and of the ciphertext with its tag.
    pub(crate) fn seal_bytes(&self, bytes: &[u8], aad: &[u8]) -> Result<String> {
        self.seal_in_format(FORMAT, bytes, aad)
    }

    fn seal_in_format(&self, format: &str, bytes: &[u8], aad: &[u8]) -> Result<String> {
        let mut nonce = [0u8; NONCE_BYTES];
        fill_random(&mut nonce)?;
        let sealed = self
            .cipher
            .encrypt(&Nonce::<U12>::from(nonce), Payload { msg: bytes, aad })
            .map_err(|_| Error::rejected("加密失败"))?;
        Ok(format!("{format}{}{}", hex(&nonce), hex(&sealed)))
    }

    /// What [`seal_bytes`](Self::seal_bytes) sealed with the same associated data, or `None`.
    pub(crate) fn open_bytes(&self, sealed: &str, aad: &[u8]) -> Option<Vec<u8>> {
        self.open_in_format(FORMAT, sealed, aad)
    }

    fn open_in_format(&self, format: &str, sealed: &str, aad: &[u8]) -> Option<Vec<u8>> {
        let bytes = unhex(sealed.strip_prefix(format)?)?;
        let (nonce, text) = bytes.split_at_checked(NONCE_BYTES)?;
        let nonce = Nonce::<U12>::try_from(nonce).ok()?;
        self.cipher.decrypt(&nonce, Payload { msg: text, aad }).ok()
    }

    /// The index of a clear value: equal values give equal indexes under one key, and the
    /// index tells nothing of the value without the key. 16 bytes, as hex.
    pub fn index(&self, field: Field, clear: &str) -> String {
        let mut mac = self.index_mac.clone();
        mac.update(field.label());
        mac.update(&[0]);
        mac.update(clear.as_bytes());
        hex(&mac.finalize().into_bytes()[..16])
    }

    /// HMAC-SM3 (hex) of an audit entry's fields, the previous entry's hash first.
    pub(crate) fn sign_entry(&self, fields: &[Option<String>]) -> String {
        let mut mac = self.chain_mac.clone();
        super::guard::feed_entry(fields, |bytes| mac.update(bytes));
        hex(&mac.finalize().into_bytes())
    }

    /// What the database keeps to recognise its key: a wrong key (another database's, a
    /// mistyped 恢复码) is told apart before anything is sealed under it.
    pub fn check_value(&self) -> String {
        hex(&derive(&self.secret, b"volunteer-desk check")[..16])
    }
}

/// Why a sealed value does not open.
pub const UNREADABLE: &str = "加密数据无法解开：密钥不符、数据已损坏，或它不属于这一行（被从别处移来）";

fn unreadable() -> Error {
    Error::rejected(UNREADABLE)
}

/// A purpose's own key: HMAC-SM3 of the purpose under the data key.
fn derive(secret: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(secret);
    mac.update(purpose);
    mac.finalize().into_bytes().into()
}

fn new_mac(key: &[u8]) -> HmacSm3 {
    <HmacSm3 as hmac::KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length")
}

/// The data key wrapped under a 恢复码, as the database keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryWrap {
    /// argon2id's salt, as hex; its cost travels with it.
    pub salt: String,
    pub memory_kib: u32,
    pub passes: u32,
    pub sealed: String,
}

/// Why a 恢复码 is refused when it does not unwrap the key.
pub const WRONG_CODE: &str = "恢复码不正确：请核对打印件上的 24 个字符后重新输入";

/// argon2id's cost for a 恢复码: 64 MiB, three passes (about half a second here), so guessing
/// codes offline is slow even though a code has 120 random bits.
const RECOVERY_MEMORY_KIB: u32 = 65_536;
const RECOVERY_PASSES: u32 = 3;

/// The characters of a 恢复码: Crockford's base 32, no I, L, O or U to misread.
const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_GROUPS: usize = 6;
const CODE_GROUP_LENGTH: usize = 4;

/// A new 恢复码: six groups of four characters, 120 random bits (`7K3M-…`).
pub fn new_recovery_code() -> Result<String> {
    let mut random = [0u8; CODE_GROUPS * CODE_GROUP_LENGTH];
    fill_random(&mut random)?;
    let chars: Vec<char> = random.iter().map(|b| CODE_ALPHABET[(*b & 31) as usize] as char).collect();
    Ok(chars.chunks(CODE_GROUP_LENGTH).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// A 恢复码 as typed, read the way it was printed: case, spaces and dashes do not matter, and
/// the letters people confuse with digits (O, I, L) count as those digits.
pub fn normalize_recovery_code(typed: &str) -> Result<String> {
    let chars: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '—'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if chars.chars().count() != CODE_GROUPS * CODE_GROUP_LENGTH || !chars.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return Err(Error::rejected("恢复码应为 24 个字母或数字（6 组，每组 4 个，如 7K3M-…），请核对后重新输入"));
    }
    Ok(chars)
}

/// Wraps `key` under `code` (normalised first).
pub fn wrap_with_recovery_code(key: &DataKey, code: &str) -> Result<RecoveryWrap> {
    let code = normalize_recovery_code(code)?;
    let mut salt = [0u8; 16];
    fill_random(&mut salt)?;
    let wrapping = code_key(&code, &salt, RECOVERY_MEMORY_KIB, RECOVERY_PASSES)?;
    Ok(RecoveryWrap {
        salt: hex(&salt),
        memory_kib: RECOVERY_MEMORY_KIB,
        passes: RECOVERY_PASSES,
        sealed: wrapping.seal_bytes(key.as_bytes(), WRAPPED_KEY)?,
    })
}

/// The data key a 恢复码 unwraps, or a refusal that says the code is wrong.
pub fn unwrap_with_recovery_code(wrap: &RecoveryWrap, code: &str) -> Result<DataKey> {
    let code = normalize_recovery_code(code)?;
    // The file says what argon2id costs; only this program's cost is taken, so a crafted file
    // cannot make typing a code take all memory or hang.
    if (wrap.memory_kib, wrap.passes) != (RECOVERY_MEMORY_KIB, RECOVERY_PASSES) {
        return Err(Error::rejected("数据库中的恢复码参数不是本程序所写，未使用"));
    }
    let wrong = || Error::rejected(WRONG_CODE);
    let salt = unhex(&wrap.salt).ok_or_else(wrong)?;
    let wrapping = code_key(&code, &salt, wrap.memory_kib, wrap.passes)?;
    let bytes = wrapping.open_bytes(&wrap.sealed, WRAPPED_KEY).ok_or_else(wrong)?;
    DataKey::from_bytes(&bytes).ok_or_else(wrong)
}

/// The key argon2id derives from a 恢复码.
fn code_key(code: &str, salt: &[u8], memory_kib: u32, passes: u32) -> Result<DataKey> {
    let params =
        Params::new(memory_kib, passes, 1, Some(32)).map_err(|e| Error::rejected(format!("恢复码参数无效：{e}")))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(code.as_bytes(), salt, &mut out)
        .map_err(|e| Error::rejected(format!("恢复码无法计算：{e}")))?;
    Ok(DataKey::from_secret(out))
}

fn fill_random(buffer: &mut [u8]) -> Result<()> {
    getrandom::fill(buffer).map_err(|e| Error::rejected(format!("无法取得系统随机数：{e}")))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZHANG: Place<'static> = Place { table: "volunteer_sealed", row: 1 };

    #[test]
    fn a_sealed_value_opens_only_with_its_key_kind_table_and_row() {
        let key = DataKey::generate().unwrap();
        let sealed = key.seal_at(Field::IdNumber, ZHANG, "330381199001011234").unwrap();
        assert!(sealed.starts_with('2') && !sealed.contains("330381199001011234"));
        assert_eq!(key.open_at(Field::IdNumber, ZHANG, &sealed).unwrap(), "330381199001011234");
        assert!(key.open_at(Field::Phone, ZHANG, &sealed).is_err(), "a value moved to another kind of column");
        let li = Place { row: 2, ..ZHANG };
        assert!(key.open_at(Field::IdNumber, li, &sealed).is_err(), "a value moved to another person's row");
        let team = Place { table: "team", ..ZHANG };
        assert!(key.open_at(Field::IdNumber, team, &sealed).is_err(), "a value moved to another table");
        let other = DataKey::generate().unwrap();
        assert!(other.open_at(Field::IdNumber, ZHANG, &sealed).is_err());
        assert_ne!(sealed, key.seal_at(Field::IdNumber, ZHANG, "330381199001011234").unwrap(), "a fresh nonce");
    }

    #[test]
    fn a_value_sealed_before_rows_were_bound_opens_only_to_be_sealed_again() {
        let key = DataKey::generate().unwrap();
        let old = key.seal_bytes(b"13800001111", Field::Phone.label()).unwrap();
        assert!(old.starts_with('1'));
        assert!(key.open_at(Field::Phone, ZHANG, &old).is_err(), "never shown unbound");
        assert_eq!(key.open_either(Field::Phone, ZHANG, &old).unwrap(), "13800001111");
        assert!(key.open_either(Field::IdNumber, ZHANG, &old).is_err(), "the kind still binds it");
    }

    #[test]
    fn the_index_is_stable_per_key_and_tells_nothing_without_it() {
        let key = DataKey::generate().unwrap();
        let other = DataKey::generate().unwrap();
        let a = key.index(Field::IdNumber, "330381199001011234");
        assert_eq!(a, key.index(Field::IdNumber, "330381199001011234"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, other.index(Field::IdNumber, "330381199001011234"));
        assert_ne!(a, key.index(Field::Phone, "330381199001011234"));
    }

    #[test]
    fn a_recovery_code_unwraps_the_key_and_a_wrong_one_is_refused() {
        let key = DataKey::generate().unwrap();
        let code = new_recovery_code().unwrap();
        assert_eq!(code.len(), 29);
        let wrap = wrap_with_recovery_code(&key, &code).unwrap();
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(unwrap_with_recovery_code(&wrap, &typed).unwrap().as_bytes(), key.as_bytes());
        let mut wrong = code.clone();
        wrong.replace_range(0..1, if code.starts_with('A') { "B" } else { "A" });
        let refused = unwrap_with_recovery_code(&wrap, &wrong).unwrap_err().to_string();
        assert!(refused.contains("恢复码不正确"), "{refused}");
        assert!(normalize_recovery_code("12345").unwrap_err().to_string().contains("24 个"));
        let costly = RecoveryWrap { memory_kib: 4_000_000_000, ..wrap };
        let refused = unwrap_with_recovery_code(&costly, &code).unwrap_err().to_string();
        assert!(refused.contains("不是本程序所写"), "a crafted cost is not run: {refused}");
    }

    #[test]
    fn misread_letters_count_as_the_digits_they_look_like() {
        assert_eq!(normalize_recovery_code("o1l2-3456-7890-ABCD-EFGH-JKMN").unwrap(), "011234567890ABCDEFGHJKMN");
    }
}
