//! Building the sentences of an evaluation cheaply: evaluating one learner against a thousand
//! qualifications writes hundreds of thousands of them.

use microcred_model::Date;

/// YYYY-MM-DD without chrono's format-string parser, which dominated the cost of refusal messages.
pub(crate) fn ymd(date: Date) -> String {
    let mut text = String::with_capacity(10);
    push_ymd(&mut text, date);
    text
}

pub(crate) fn push_ymd(text: &mut String, date: Date) {
    use chrono::Datelike;
    let digits = |text: &mut String, value: u32, width: u32| {
        for place in (0..width).rev() {
            text.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        }
    };
    digits(text, date.0.year().clamp(0, 9999) as u32, 4);
    text.push('-');
    digits(text, date.0.month(), 2);
    text.push('-');
    digits(text, date.0.day(), 2);
}

/// Concatenates without format!'s machinery (one allocation).
pub(crate) fn sentence(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| text.push_str(p));
    text
}
