//! Which format a file is written in, from its extension or, failing that, its first bytes.

use std::path::Path;

/// The input formats of descriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    Csv,
    Xlsx,
    /// European Learning Model JSON-LD (a credential, a learning specification or a qualification).
    Elm,
}

impl Format {
    /// From the extension; `.json` files are told apart from ELM by their content (see `detect`).
    pub fn from_extension(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "jsonld" | "json-ld" => Some(Format::Elm),
            "csv" | "tsv" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// From the extension, then from the content: a ZIP header is XLSX, a leading `{` JSON (ELM when
    /// it carries an ELM context or type), otherwise TOML.
    pub fn detect(path: &Path, head: &[u8]) -> Format {
        let by_content = || {
            if head.starts_with(b"PK\x03\x04") {
                return Format::Xlsx;
            }
            let text = String::from_utf8_lossy(head);
            let trimmed = text.trim_start_matches('\u{feff}').trim_start();
            if trimmed.starts_with('{') {
                if text.contains("data.europa.eu/snb/model") || text.contains("EuropeanDigitalCredential") {
                    Format::Elm
                } else {
                    Format::Json
                }
            } else {
                Format::Toml
            }
        };
        match Format::from_extension(path) {
            Some(Format::Json) => match by_content() {
                Format::Elm => Format::Elm,
                _ => Format::Json,
            },
            Some(format) => format,
            None => by_content(),
        }
    }

    /// Spreadsheets hold one description per row.
    pub fn is_spreadsheet(self) -> bool {
        matches!(self, Format::Csv | Format::Xlsx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_then_content() {
        assert_eq!(Format::detect(Path::new("a.toml"), b"{"), Format::Toml);
        assert_eq!(Format::detect(Path::new("a.csv"), b""), Format::Csv);
        assert_eq!(
            Format::detect(Path::new("a.json"), br#"{"title": "x"}"#),
            Format::Json
        );
        let elm = br#"{"@context": ["http://data.europa.eu/snb/model/context/edc-ap"]}"#;
        assert_eq!(Format::detect(Path::new("a.json"), elm), Format::Elm);
        assert_eq!(
            Format::detect(Path::new("noext"), b"PK\x03\x04rest"),
            Format::Xlsx
        );
        assert_eq!(Format::detect(Path::new("noext"), b"title = \"x\""), Format::Toml);
    }
}
