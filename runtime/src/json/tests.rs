//! The deserializer against serde_json: the same values (floats to the bit) for valid JSON,
//! an error for everything serde_json refuses, on hand-picked cases and on many generated ones.

use super::{decode, from_slice};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Equal as serde_json decodes them, floats compared bit for bit (`Value`'s `==` has 0.0 == -0.0).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            _ if x.is_f64() != y.is_f64() || x.is_u64() != y.is_u64() => false,
            (Some(x), Some(y)) if a.is_f64() => x.to_bits() == y.to_bits(),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, x), (l, y))| k == l && same(x, y))
        }
        _ => a == b,
    }
}

/// Panics unless both decoders accept `text` with the same value, or both refuse it.
fn check(text: &str) {
    let ours = decode::<Value>(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert!(same(a, b), "{text:?}: {a:?} vs serde_json's {b:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
    // Skipping a value checks it just as well.
    let skipped = decode::<serde::de::IgnoredAny>(text).is_ok();
    assert_eq!(skipped, theirs.is_ok(), "{text:?} skipped");
}

const VALID: &[&str] = &[
    "null",
    " true ",
    "false",
    "0",
    "-0",
    "-0.0",
    "0e0",
    "1E+2",
    "1e-2",
    "123456789",
    "-9223372036854775808",
    "-9223372036854775809",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "184467440737095516150.5",
    "1844674407370955161.61234",
    "123456789012345678901234567890",
    "0.1",
    "0.30000000000000004",
    "-0.006929283495992422",
    "2.2250738585072014e-308",
    "4.9e-324",
    "1e-400",
    "-1e-400",
    "1.7976931348623157e308",
    "1e308",
    "0e99999999999",
    "1e-99999999999",
    "0.000000000000000000000000000000001",
    "3.14159265358979323846264338327950288",
    r#""""#,
    r#""plain""#,
    r#""quote \" backslash \\ slash \/ \b\f\n\r\t""#,
    r#""\u0000 \u001f \u00e9 \u4e1c \ud83d\ude00 \uD83D\uDE00""#,
    r#""résumé 東京 🙂""#,
    "[]",
    "[ ]",
    "{}",
    "{ }",
    r#"[1,[2,[3,{"a":[]}]],"x",null,true,-1.5e3]"#,
    r#"{"a":1,"b":{"c":[1,2,{"d":null}]},"e":"f","a":2}"#,
    " \n\t\r{ \"k\" \n: \t[ 1 , 2 ] } \n",
];

const INVALID: &[&str] = &[
    "",
    " ",
    "nul",
    "nulll",
    "True",
    "01",
    "-01",
    "00",
    "-",
    "+1",
    ".5",
    "1.",
    "1.e5",
    "1e",
    "1e+",
    "1e-",
    "--1",
    "0x10",
    "NaN",
    "Infinity",
    "1e309",
    "-1e400",
    "123456789012345678901234567890e300",
    r#"""#,
    r#""abc"#,
    r#""\"#,
    r#""\x""#,
    r#""\u12""#,
    r#""\u12g4""#,
    r#""\ud800""#,
    r#""\ud800\u0041""#,
    r#""\udc00""#,
    "\"tab\there\"",
    "\"line\nbreak\"",
    "[",
    "[1",
    "[1,",
    "[1,]",
    "[,1]",
    "[1 2]",
    "{",
    r#"{"a""#,
    r#"{"a":"#,
    r#"{"a":1"#,
    r#"{"a":1,}"#,
    r#"{"a" 1}"#,
    r#"{a:1}"#,
    r#"{1:1}"#,
    r#"{"a":1 "b":2}"#,
    "]",
    "}",
    "1 2",
    "[] []",
    "{}x",
];

#[test]
fn hand_picked_cases_agree() {
    for text in VALID {
        assert!(decode::<Value>(text).is_ok(), "{text:?}");
        check(text);
    }
    for text in INVALID {
        assert!(decode::<Value>(text).is_err(), "{text:?} should fail");
        check(text);
    }
}

#[test]
fn nesting_is_limited_like_serde_json() {
    for depth in [1, 127, 128, 129, 1000] {
        check(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        check(&format!(
            "{}{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth).replacen('}', "1}", 1)
        ));
    }
    // Skipped values count too.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(decode::<serde::de::IgnoredAny>(&deep).is_err());
    assert!(decode::<serde::de::IgnoredAny>("[[[{\"a\":[1,\"x\",null]}]]]").is_ok());
}

/// A deterministic pseudo-random source (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Numbers of every shape: lengths across the `u64` limit and the eight-digit steps, fractions,
/// exponents, signs.
#[test]
fn numbers_agree_to_the_bit() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let digits = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect()
    };
    for _ in 0..30_000 {
        let mut text = String::new();
        if rng.below(2) == 0 {
            text.push('-');
        }
        let int_len = 1 + rng.below(24);
        let int = digits(&mut rng, int_len);
        text += if rng.below(4) == 0 {
            "0"
        } else {
            int.trim_start_matches('0')
        };
        if text.ends_with('-') || text.is_empty() {
            text.push('7');
        }
        if rng.below(3) > 0 {
            text.push('.');
            let frac_len = 1 + rng.below(24);
            text += &digits(&mut rng, frac_len);
        }
        if rng.below(3) == 0 {
            text += rng.pick(&["e", "E", "e+", "e-", "E-"]);
            let exp_len = 1 + rng.below(3);
            text += &digits(&mut rng, exp_len);
        }
        check(&text);
        check(&format!("[{text},{text}]"));
        // Read as a number type, not as any value.
        let ours = decode::<f64>(&text).map(f64::to_bits).ok();
        assert_eq!(
            ours,
            serde_json::from_str::<f64>(&text).map(f64::to_bits).ok(),
            "{text}"
        );
        let ours = decode::<i64>(&text).ok();
        assert_eq!(ours, serde_json::from_str::<i64>(&text).ok(), "{text}");
    }
    // Shortest forms of random doubles, as the API prints embeddings.
    for _ in 0..30_000 {
        let f = f64::from_bits(rng.next() >> 2) * if rng.below(2) == 0 { 1.0 } else { -1.0 };
        if f.is_finite() {
            check(&serde_json::to_string(&f).expect("finite"));
            check(&format!("{:e}", f));
        }
        let small = (rng.next() % 2_000_000) as f64 / 1e8 - 0.01;
        check(&small.to_string());
    }
}

/// Strings with each special character at each offset around the eight-byte steps, up to six
/// steps in.
#[test]
fn strings_agree_at_every_offset() {
    let specials = [
        "\"",
        "\\\"",
        "\\\\",
        "\\n",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\u{1}",
        "\u{1f}",
        " ",
        "é",
        "東",
        "🙂",
        "\u{7f}",
        "\\x",
        "\\u00",
        "\\ud800",
    ];
    for special in specials {
        for before in 0..48 {
            for after in 0..20 {
                let text = format!("\"{}{special}{}\"", "a".repeat(before), "b".repeat(after));
                check(&text);
                check(&format!("{{{text}:{text}}}"));
            }
        }
    }
}

/// Valid documents with bytes changed, inserted or cut: both decoders accept the same ones.
#[test]
fn mutated_documents_agree() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pieces = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "-", "+", ".", "e", "0", "1", "9", " ", "\n",
        "n", "t", "f", "u", "\u{1}", "é", "null", "true", "1e5", "\\u",
    ];
    let docs: Vec<&str> = VALID.iter().copied().filter(|d| d.len() > 2).collect();
    for _ in 0..40_000 {
        let doc = docs[rng.below(docs.len())];
        let mut text: Vec<char> = doc.chars().collect();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => text.truncate(at),
                _ => {
                    for (i, c) in rng.pick(&pieces).chars().enumerate() {
                        text.insert(at + i, c);
                    }
                }
            }
        }
        check(&text.into_iter().collect::<String>());
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Typed<'a> {
    #[serde(borrow)]
    name: std::borrow::Cow<'a, str>,
    small: u8,
    big: u128,
    negative: i16,
    ratio: f32,
    list: Vec<Option<i64>>,
    map: BTreeMap<String, bool>,
    unit: (),
    kind: Kind,
    other: Kind,
    pair: (u8, String),
    #[serde(with = "serde_bytes_compat")]
    bytes: Vec<u8>,
}

/// `Vec<u8>` through `deserialize_bytes`, as crates like serde_bytes read it.
mod serde_bytes_compat {
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
        }
        d.deserialize_bytes(V)
    }
}

#[derive(Debug, Deserialize, PartialEq)]
enum Kind {
    Plain,
    Wrapped(u32),
    Shaped { x: i8 },
}

#[test]
fn typed_values_decode_as_with_serde_json() {
    let text = r#"{"name":"borrowed","small":255,"big":18446744073709551615,"negative":-300,
        "ratio":0.5,"list":[1,null,-3],"map":{"b":true,"a":false},"unit":null,"kind":"Plain",
        "other":{"Shaped":{"x":-5}},"pair":[7,"seven"],"bytes":"ab\n"}"#;
    let ours: Typed = decode(text).unwrap();
    assert!(matches!(ours.name, std::borrow::Cow::Borrowed("borrowed")));
    assert_eq!(ours, serde_json::from_str::<Typed>(text).unwrap());
    assert_eq!(ours.bytes, b"ab\n");
    assert_eq!(
        decode::<Kind>(r#"{"Wrapped":9}"#).unwrap(),
        Kind::Wrapped(9)
    );
    // Out of range for the type, wrong types: errors naming the place.
    let e = decode::<Typed>(&text.replace("255", "256"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("invalid value: integer `256`") && e.contains("at line 1"),
        "{e}"
    );
    let e = decode::<Vec<u8>>("[1,\n \"x\"]").unwrap_err().to_string();
    assert_eq!(
        e,
        "invalid type: string \"x\", expected u8 at line 2 column 2"
    );
    let e = decode::<Value>("{\"a\": tru}").unwrap_err().to_string();
    assert!(e.contains("line 1 column 7"), "{e}");
}

#[test]
fn bodies_are_checked_as_utf8() {
    let ok: BTreeMap<String, String> =
        from_slice("{\"text\":\"résumé 東京 🙂 — 18°C\"}".as_bytes()).unwrap();
    assert_eq!(ok["text"], "résumé 東京 🙂 — 18°C");
    // A lone continuation byte inside a string: an error saying where, not a panic.
    let bad = from_slice::<BTreeMap<String, String>>(b"{\"text\":\"caf\x80\"}").unwrap_err();
    assert_eq!((bad.line(), bad.column() > 0), (1, true), "{bad}");
    // Outside any string too.
    assert!(from_slice::<BTreeMap<String, String>>(b"{\"a\":\"b\"}\xff").is_err());
}

#[test]
fn short_number_arrays_are_allocated_once() {
    let bytes: Vec<i64> = decode("[104, 101,108,108,111]").unwrap();
    assert_eq!((bytes.len(), bytes.capacity()), (5, 5));
    let floats: Vec<f64> = decode("[-1.5e-3,2]").unwrap();
    assert_eq!(
        (floats, decode::<Vec<u8>>("[]").unwrap()),
        (vec![-1.5e-3, 2.0], vec![])
    );
    // Not numbers, or too long to scan: no hint, the usual growth.
    assert_eq!(decode::<Vec<String>>(r#"["a","b"]"#).unwrap(), ["a", "b"]);
    let long: Vec<i64> = decode(&format!("[{}]", vec!["12345"; 40].join(","))).unwrap();
    assert_eq!(long.len(), 40);
}

/// Whitespace of every length up to 20 (a line break and the indentation after it skipped eight
/// bytes at a time; tabs, carriage returns, and bytes that are not whitespace among them) between
/// every pair of tokens, and at the end of the text, where fewer than eight bytes are left.
#[test]
fn whitespace_of_any_length_agrees() {
    let tokens = [
        "{", "\"a\"", ":", "[", "1", ",", "true", "]", ",", "\"b\"", ":", "{", "}", "}",
    ];
    for gap in ["", "\n", "\t", "\r\n", "x", "\u{a0}"] {
        for n in 0..=20 {
            let spaces = " ".repeat(n);
            for blank in [format!("{spaces}{gap}{spaces}"), format!("{gap}{spaces}")] {
                for at in 0..=tokens.len() {
                    let mut text = String::new();
                    for (i, t) in tokens.iter().enumerate() {
                        if i == at {
                            text.push_str(&blank);
                        }
                        text.push_str(t);
                    }
                    if at == tokens.len() {
                        text.push_str(&blank);
                    }
                    check(&text);
                }
            }
        }
    }
}
