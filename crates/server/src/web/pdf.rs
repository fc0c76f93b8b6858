//! A printable one-page PDF of a credential: what it is in plain language, and a QR code to its
//! verification page. Built with pdf-writer and the standard Helvetica font (no font embedded), so the
//! file is small and any reader shows it.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::Value;

use super::i18n::message;

const WIDTH: f32 = 595.0; // A4 in points
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// Text in the font's WinAnsi encoding: Latin-1 as is, common typographic marks mapped, others `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap at roughly `width` characters (Helvetica averages about half its size per glyph).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Writer {
    content: Content,
    y: f32,
}

impl Writer {
    fn text(&mut self, font: &[u8], size: f32, text: &str) {
        let width = ((WIDTH - 2.0 * MARGIN) / (size * 0.52)) as usize;
        for line in wrap(text, width) {
            if self.y < MARGIN + 175.0 {
                return; // one page, above the QR code: the rest is on the verification page
            }
            self.content
                .begin_text()
                .set_font(Name(font), size)
                .next_line(MARGIN, self.y)
                .show(Str(&win_ansi(&line)))
                .end_text();
            self.y -= size * 1.35;
        }
    }

    fn field(&mut self, label: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        self.text(b"F2", 10.0, label);
        self.text(b"F1", 11.0, value);
        self.y -= 4.0;
    }
}

fn list(value: &Value) -> String {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// The PDF of a credential view (as made by the wallet), with a QR code for `link`.
pub fn credential_pdf(view: &Value, link: &str, lang: &str) -> Vec<u8> {
    let t = |key: &str| message(lang, key);
    let d = &view["d"];
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut w = Writer {
        content: Content::new(),
        y: HEIGHT - MARGIN - 10.0,
    };
    w.text(b"F2", 20.0, &s(&d["title"]));
    w.y -= 6.0;
    w.field(&t("holder"), &s(&view["holder"]));
    w.field(
        &t("issued_by"),
        &format!(
            "{} ({} {})",
            s(&view["issuer"]),
            t("issued_on"),
            &s(&view["issued"])[..10.min(s(&view["issued"]).len())]
        ),
    );
    w.field(&t("el_summary"), &s(&d["summary"]));
    let level = match d["eqf"]["level"].as_u64() {
        Some(level) => format!("{} {level}: {}", t("eqf_level"), s(&d["eqf"]["meaning"])),
        None => t("not_stated"),
    };
    w.field(&t("el_level"), &level);
    let hours = d["hours"]
        .as_str()
        .map(|h| format!("{h} {}", t("hours")))
        .unwrap_or_default();
    w.field(
        &t("el_workload"),
        &[hours, list(&d["credits"])]
            .iter()
            .filter(|x| !x.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("; "),
    );
    w.field(&t("el_assessment"), &list(&d["assessment"]["types"]));
    w.field(&t("el_participation"), &list(&d["modes"]));
    let quality: Vec<String> = d["quality"]
        .as_array()
        .map(|q| {
            q.iter()
                .filter_map(|q| q["body"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    w.field(&t("el_quality"), &quality.join("; "));
    if let Some(outcomes) = d["outcomes"].as_array() {
        w.text(b"F2", 10.0, &t("el_outcomes"));
        for outcome in outcomes.iter().filter_map(Value::as_str) {
            w.text(b"F1", 11.0, &format!("\u{2022} {outcome}"));
        }
    }
    draw_qr(&mut w.content, link);
    let mut caption = Writer {
        content: w.content,
        y: MARGIN + 150.0 + 14.0,
    };
    caption
        .content
        .begin_text()
        .set_font(Name(b"F2"), 9.0)
        .next_line(WIDTH - MARGIN - 140.0, MARGIN + 152.0)
        .show(Str(&win_ansi(&t("pdf_scan"))))
        .end_text();
    caption
        .content
        .begin_text()
        .set_font(Name(b"F1"), 6.0)
        .next_line(MARGIN, MARGIN - 20.0)
        .show(Str(&win_ansi(link)))
        .end_text();
    assemble(caption.content)
}

/// The QR matrix as filled squares, 140 pt wide, bottom right.
fn draw_qr(content: &mut Content, link: &str) {
    let Ok(code) = qrcode::QrCode::new(link.as_bytes()) else {
        return;
    };
    let n = code.width();
    let size = 140.0;
    let module = size / (n as f32 + 8.0);
    let (x0, y0) = (WIDTH - MARGIN - size, MARGIN);
    content.set_fill_rgb(0.0, 0.0, 0.0);
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (col, row) = ((i % n) as f32 + 4.0, (i / n) as f32 + 4.0);
            content.rect(
                x0 + col * module,
                y0 + size - (row + 1.0) * module,
                module,
                module,
            );
        }
    }
    content.fill_nonzero();
}

fn assemble(content: Content) -> Vec<u8> {
    let (catalog, tree, page, regular, bold, contents) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
        .parent(tree)
        .contents(contents);
    p.resources()
        .fonts()
        .pair(Name(b"F1"), regular)
        .pair(Name(b"F2"), bold);
    p.finish();
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.stream(contents, &content.finish());
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pdf_with_text_and_a_qr_code_is_made() {
        let view = json!({ "holder": "Ana Müller", "issuer": "Liffey TU", "issued": "2026-01-02T00:00:00Z",
            "d": { "title": "Data skills – advanced", "eqf": { "level": 6, "meaning": "bachelor level" },
                   "outcomes": ["Clean data"], "credits": ["5 ECTS"] } });
        let bytes = credential_pdf(&view, "https://example.org/s/abc", "en");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.windows(9).any(|w| w == b"Helvetica"));
        assert_eq!(win_ansi("Müller – €"), b"M\xfcller \x96 \x80".to_vec());
    }
}
