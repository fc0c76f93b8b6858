//! JSON Canonicalization Scheme (RFC 8785), used for the lexical form of `@json` literals
//! (rdf:JSON), and the ECMAScript number formatting it relies on.

use serde_json::{Number, Value};

/// Bound on `@json` nesting: the walk below is recursive.
const MAX_JSON_DEPTH: usize = 128;

/// Canonical JSON text of `value`, or `None` if nested deeper than [`MAX_JSON_DEPTH`].
pub(crate) fn canonical_json(value: &Value) -> Option<String> {
    let mut out = String::new();
    write_value(&mut out, value, 0)?;
    Some(out)
}

fn write_value(out: &mut String, value: &Value, depth: usize) -> Option<()> {
    if depth > MAX_JSON_DEPTH {
        return None;
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&ecmascript_number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            // RFC 8785 orders keys by their UTF-16 code units.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v, depth + 1)?;
            }
            out.push('}');
        }
    }
    Some(())
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `Number.prototype.toString()` of ECMAScript, as RFC 8785 requires.
pub(crate) fn ecmascript_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() < (1u64 << 53) {
            return i.to_string();
        }
    }
    if let Some(u) = n.as_u64() {
        if u < (1u64 << 53) {
            return u.to_string();
        }
    }
    let f = n.as_f64().unwrap_or(0.0);
    ecmascript_f64(f)
}

fn ecmascript_f64(f: f64) -> String {
    if f == 0.0 {
        return "0".to_owned();
    }
    // Shortest round-trip digits and exponent, from Rust's `{:e}` ("d.ddde±x").
    let formatted = format!("{:e}", f.abs());
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exponent + 1; // position of the decimal point relative to the digits
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// Canonical xsd:double lexical form as JSON-LD's toRdf produces it (jsonld.js:
/// `toExponential(15)` with trailing mantissa zeros removed), e.g. `1.1E0`, `5.0E-7`.
pub(crate) fn xsd_double(f: f64) -> String {
    let formatted = format!("{f:.15e}");
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let mut mantissa = mantissa.trim_end_matches('0').to_owned();
    if mantissa.ends_with('.') {
        mantissa.push('0');
    }
    format!("{mantissa}E{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_and_formats_numbers() {
        let v = json!({"b": [1, 2.5, 1e21, 1e-7], "a": "é\n", "c": {"z": null, "y": true}});
        assert_eq!(
            canonical_json(&v).unwrap(),
            r#"{"a":"é\n","b":[1,2.5,1e+21,1e-7],"c":{"y":true,"z":null}}"#
        );
        assert_eq!(ecmascript_f64(123456789.0), "123456789");
        assert_eq!(ecmascript_f64(0.000001), "0.000001");
        assert_eq!(ecmascript_f64(-1.5e300), "-1.5e+300");
    }

    #[test]
    fn xsd_double_matches_jsonld_js() {
        assert_eq!(xsd_double(1.1), "1.1E0");
        assert_eq!(xsd_double(5.0), "5.0E0");
        assert_eq!(xsd_double(1e21), "1.0E21");
        assert_eq!(xsd_double(-0.00025), "-2.5E-4");
    }
}
