//! Bitstring Status List v1.0 (and reading the older StatusList2021): the compressed bit list, status
//! list credentials, random index allocation, and looking up one entry.
//!
//! `encodedList` = `u` + base64url-no-pad(GZIP(bitstring)); index 0 is the most significant bit of byte 0.

use std::io::{Read, Write};

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};

/// The smallest list the specification allows: 131,072 entries (16 KiB), for herd privacy.
pub const MIN_ENTRIES: usize = 131_072;
/// Upper bound on a decompressed list, so a "zip bomb" list cannot exhaust memory (16 Mi entries).
const MAX_DECOMPRESSED_BYTES: u64 = 2 * 1024 * 1024;

/// Errors named as in Bitstring Status List v1.0 §3.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("STATUS_RETRIEVAL_ERROR: {0}")]
    Retrieval(String),
    #[error("STATUS_VERIFICATION_ERROR: {0}")]
    Verification(String),
    #[error("STATUS_LIST_LENGTH_ERROR: {0}")]
    ListLength(String),
    #[error("RANGE_ERROR: {0}")]
    Range(String),
    #[error("MALFORMED_VALUE_ERROR: {0}")]
    MalformedValue(String),
}

/// A list of status bits (one bit per credential for revocation/suspension).
#[derive(Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Bitstring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Bitstring({} entries, {} set)",
            self.len(),
            self.bytes.iter().map(|b| b.count_ones()).sum::<u32>()
        )
    }
}

impl Bitstring {
    /// A list of `entries` zero bits, at least [`MIN_ENTRIES`], rounded up to whole bytes.
    pub fn new(entries: usize) -> Self {
        Bitstring {
            bytes: vec![0; entries.max(MIN_ENTRIES).div_ceil(8)],
        }
    }

    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn get(&self, index: usize) -> Result<bool, StatusError> {
        let byte = self.bytes.get(index / 8).ok_or_else(|| self.range_error(index))?;
        Ok(byte & (0x80 >> (index % 8)) != 0)
    }

    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusError> {
        let range_error = self.range_error(index);
        let byte = self.bytes.get_mut(index / 8).ok_or(range_error)?;
        let mask = 0x80 >> (index % 8);
        if value {
            *byte |= mask
        } else {
            *byte &= !mask
        }
        Ok(())
    }

    fn range_error(&self, index: usize) -> StatusError {
        StatusError::Range(format!(
            "index {index} is outside the list of {} entries",
            self.len()
        ))
    }

    /// `u` + base64url-no-pad(GZIP(bytes)).
    pub fn encode(&self) -> String {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&self.bytes).expect("writing to memory");
        let compressed = gz.finish().expect("writing to memory");
        format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    /// Decodes an `encodedList`. Accepts the StatusList2021 form too (base64url without the `u`
    /// multibase prefix, padding optional). Fails with STATUS_LIST_LENGTH_ERROR below 131,072 entries
    /// when `require_min_length` (Bitstring Status List requires it; StatusList2021 lists may be shorter).
    pub fn decode(encoded: &str, require_min_length: bool) -> Result<Self, StatusError> {
        let body = encoded.strip_prefix('u').unwrap_or(encoded);
        let compressed = URL_SAFE_NO_PAD
            .decode(body.trim_end_matches('='))
            .or_else(|_| URL_SAFE.decode(body))
            .map_err(|e| StatusError::MalformedValue(format!("encodedList is not base64url: {e}")))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .take(MAX_DECOMPRESSED_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StatusError::MalformedValue(format!("encodedList is not GZIP data: {e}")))?;
        if bytes.len() as u64 > MAX_DECOMPRESSED_BYTES {
            return Err(StatusError::ListLength(format!(
                "the list is larger than {MAX_DECOMPRESSED_BYTES} bytes"
            )));
        }
        if require_min_length && bytes.len() * 8 < MIN_ENTRIES {
            return Err(StatusError::ListLength(format!(
                "the list has {} entries; at least {MIN_ENTRIES} are required",
                bytes.len() * 8
            )));
        }
        Ok(Bitstring { bytes })
    }
}

/// Picks a random unused index for a new credential (random so an index does not reveal issue order).
/// `is_used` says which indexes are taken; gives `None` when the list is full.
pub fn allocate_random_index(list_len: usize, mut is_used: impl FnMut(usize) -> bool) -> Option<usize> {
    if list_len == 0 {
        return None;
    }
    for _ in 0..64 {
        let mut raw = [0u8; 8];
        getrandom::getrandom(&mut raw).ok()?;
        let index = (u64::from_le_bytes(raw) % list_len as u64) as usize;
        if !is_used(index) {
            return Some(index);
        }
    }
    // A nearly full list: scan from a random start so we still find a free slot if any.
    let mut raw = [0u8; 8];
    getrandom::getrandom(&mut raw).ok()?;
    let start = (u64::from_le_bytes(raw) % list_len as u64) as usize;
    (0..list_len)
        .map(|i| (start + i) % list_len)
        .find(|&i| !is_used(i))
}

/// Builds an unsigned BitstringStatusListCredential (sign it with [`crate::proof::sign`]).
pub fn status_list_credential(
    id: &str,
    issuer: &str,
    purpose: &str,
    list: &Bitstring,
    valid_from: &str,
) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": list.encode(),
        }
    })
}

/// A status entry for a credential (`credentialStatus`).
pub fn status_entry(list_url: &str, purpose: &str, index: usize) -> Value {
    json!({
        "id": format!("{list_url}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index.to_string(),
        "statusListCredential": list_url,
    })
}

/// One looked-up status bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusBit {
    pub set: bool,
    pub list_entries: usize,
}

/// A `credentialStatus` entry as read from a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub purpose: String,
    pub index: usize,
    pub list_url: String,
    /// StatusList2021Entry rather than BitstringStatusListEntry.
    pub legacy: bool,
}

impl StatusEntry {
    /// Reads a BitstringStatusListEntry or StatusList2021Entry; `Ok(None)` for other status types.
    pub fn parse(entry: &Value) -> Result<Option<Self>, StatusError> {
        let types: Vec<&str> = match entry.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => return Err(StatusError::MalformedValue("credentialStatus has no type".into())),
        };
        let legacy = if types.contains(&"BitstringStatusListEntry") {
            false
        } else if types.contains(&"StatusList2021Entry") {
            true
        } else {
            return Ok(None);
        };
        let field = |name: &str| {
            entry.get(name).and_then(Value::as_str).ok_or_else(|| {
                StatusError::MalformedValue(format!("credentialStatus.{name} is missing or not a string"))
            })
        };
        let index_text = field("statusListIndex")?;
        let index = index_text.parse::<usize>().map_err(|_| {
            StatusError::MalformedValue(format!(
                "statusListIndex '{index_text}' is not a non-negative integer"
            ))
        })?;
        Ok(Some(StatusEntry {
            purpose: field("statusPurpose")?.to_string(),
            index,
            list_url: field("statusListCredential")?.to_string(),
            legacy,
        }))
    }

    /// Looks this entry up in a status list credential (whose proof the caller has verified): checks its
    /// type and purpose, decodes the list, and gives the bit.
    pub fn lookup(&self, list_credential: &Value) -> Result<bool, StatusError> {
        self.lookup_in(list_credential).map(|bit| bit.set)
    }

    /// [`StatusEntry::lookup`], also telling the list's length. Lists shorter than the 131,072 entries
    /// the specification requires (for herd privacy) are still read, because issuers in the field
    /// publish them (the DCC's have 100,000); the caller mentions it. Issuing never makes them.
    pub fn lookup_in(&self, list_credential: &Value) -> Result<StatusBit, StatusError> {
        let list_type = if self.legacy {
            "StatusList2021Credential"
        } else {
            "BitstringStatusListCredential"
        };
        let credential_types = list_credential
            .get("type")
            .map(Value::to_string)
            .unwrap_or_default();
        if !credential_types.contains(&format!("\"{list_type}\"")) {
            return Err(StatusError::Verification(format!(
                "the status list credential's type does not include {list_type}"
            )));
        }
        let subject = list_credential.get("credentialSubject").ok_or_else(|| {
            StatusError::Verification("the status list credential has no credentialSubject".into())
        })?;
        let wanted = if self.legacy {
            "StatusList2021"
        } else {
            "BitstringStatusList"
        };
        let has_type = match subject.get("type") {
            Some(Value::String(s)) => s == wanted,
            Some(Value::Array(items)) => items.iter().any(|t| t.as_str() == Some(wanted)),
            _ => false,
        };
        if !has_type {
            return Err(StatusError::Verification(format!(
                "the status list's credentialSubject is not of type {wanted}"
            )));
        }
        let purposes: Vec<&str> = match subject.get("statusPurpose") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !purposes.contains(&self.purpose.as_str()) {
            return Err(StatusError::Verification(format!(
                "the entry's statusPurpose '{}' does not match the list's ({})",
                self.purpose,
                purposes.join(", ")
            )));
        }
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or_else(|| StatusError::MalformedValue("the status list has no encodedList".into()))?;
        let list = Bitstring::decode(encoded, false)?;
        Ok(StatusBit {
            set: list.get(self.index)?,
            list_entries: list.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_is_16k_zero_bytes() {
        let list = Bitstring::decode(
            "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
            true,
        )
        .unwrap();
        assert_eq!(list.as_bytes().len(), 16_384);
        assert!(list.as_bytes().iter().all(|&b| b == 0));
    }

    #[test]
    fn bit_order_and_round_trip() {
        let mut list = Bitstring::new(0);
        assert_eq!(list.len(), MIN_ENTRIES);
        list.set(0, true).unwrap();
        list.set(9, true).unwrap();
        assert_eq!(list.as_bytes()[0], 0x80);
        assert_eq!(list.as_bytes()[1], 0x40);
        let decoded = Bitstring::decode(&list.encode(), true).unwrap();
        assert!(decoded.get(0).unwrap() && decoded.get(9).unwrap() && !decoded.get(1).unwrap());
        assert!(matches!(decoded.get(MIN_ENTRIES), Err(StatusError::Range(_))));
        list.set(0, false).unwrap();
        assert!(!list.get(0).unwrap());
    }

    #[test]
    fn malformed_and_short_lists_are_named() {
        assert!(matches!(
            Bitstring::decode("u!!!", true),
            Err(StatusError::MalformedValue(_))
        ));
        assert!(matches!(
            Bitstring::decode("uAAAA", true),
            Err(StatusError::MalformedValue(_))
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[0u8; 100]).unwrap();
        let short = format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().unwrap()));
        assert!(matches!(
            Bitstring::decode(&short, true),
            Err(StatusError::ListLength(_))
        ));
        assert!(Bitstring::decode(&short, false).is_ok());
    }

    #[test]
    fn huge_decompression_is_refused() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&vec![0u8; 8 * 1024 * 1024]).unwrap();
        let bomb = format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().unwrap()));
        assert!(matches!(
            Bitstring::decode(&bomb, true),
            Err(StatusError::ListLength(_))
        ));
    }

    #[test]
    fn entry_lookup() {
        let mut list = Bitstring::new(0);
        list.set(42, true).unwrap();
        let cred = status_list_credential(
            "https://x.example/status/1",
            "did:key:z",
            "revocation",
            &list,
            "2024-01-01T00:00:00Z",
        );
        let entry = StatusEntry::parse(&status_entry("https://x.example/status/1", "revocation", 42))
            .unwrap()
            .unwrap();
        assert!(entry.lookup(&cred).unwrap());
        let other = StatusEntry {
            index: 43,
            ..entry.clone()
        };
        assert!(!other.lookup(&cred).unwrap());
        let wrong_purpose = StatusEntry {
            purpose: "suspension".into(),
            ..entry
        };
        assert!(matches!(
            wrong_purpose.lookup(&cred),
            Err(StatusError::Verification(_))
        ));
    }

    #[test]
    fn status_list_2021_is_read() {
        let mut list = Bitstring::new(16 * 1024);
        list.set(3, true).unwrap();
        // StatusList2021 wrote plain base64url (no multibase 'u'), sometimes padded.
        let encoded = list.encode()[1..].to_string();
        let credential = json!({
            "type": ["VerifiableCredential", "StatusList2021Credential"],
            "credentialSubject": {"type": "StatusList2021", "statusPurpose": "revocation", "encodedList": encoded}
        });
        let entry = json!({"type": "StatusList2021Entry", "statusPurpose": "revocation",
            "statusListIndex": "3", "statusListCredential": "https://x.example/sl"});
        let entry = StatusEntry::parse(&entry).unwrap().unwrap();
        assert!(entry.legacy);
        assert!(entry.lookup(&credential).unwrap());
        assert_eq!(StatusEntry::parse(&json!({"type": "OtherStatus"})).unwrap(), None);
        let bad_index = json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": "-1", "statusListCredential": "https://x.example/sl"});
        assert!(matches!(
            StatusEntry::parse(&bad_index),
            Err(StatusError::MalformedValue(_))
        ));
    }

    #[test]
    fn random_allocation_avoids_used() {
        let used = |i: usize| i != 7;
        assert_eq!(allocate_random_index(10, used), Some(7));
        assert_eq!(allocate_random_index(10, |_| true), None);
        let i = allocate_random_index(MIN_ENTRIES, |_| false).unwrap();
        assert!(i < MIN_ENTRIES);
    }
}
