//! The tokens of JSON text: whitespace, literals, strings and numbers, read from a `&str`.
//!
//! Kept apart from the serde glue in `de.rs`, and free of generics, so that each generated type's
//! decoder compiles only the calls into this code, not this code again.

use serde::de::Error as _;
use serde_json::Error;
use std::borrow::Cow;

/// A string as read: borrowed from the input when it has no escapes, else decoded into the
/// reader's scratch buffer.
pub(super) enum Str<'de, 's> {
    Borrowed(&'de str),
    Copied(&'s str),
}

impl Str<'_, '_> {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Copied(s) => s,
        }
    }
}

/// A number as serde_json reports it: non-negative integers as `u64`, negative ones as `i64`,
/// anything else (fractions, exponents, `-0`, integers out of range) as `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// JSON text with a read position.
pub(super) struct Reader<'de> {
    text: &'de str,
    pub(super) pos: usize,
    scratch: String,
    /// Tags seen while looking ahead (see [`Reader::peek_member`]), in the order of the objects'
    /// places; those before `tags_from` are behind the read position for good.
    tags: Vec<Seen<'de>>,
    tags_from: usize,
}

/// An object passed while looking for a tag: where it starts, the property asked for, and that
/// property's string value in it (`None`: not there, or not a string).
struct Seen<'de> {
    at: usize,
    prop: &'static str,
    tag: Option<Cow<'de, str>>,
}

pub(super) type Result<T> = std::result::Result<T, Error>;

impl<'de> Reader<'de> {
    pub(super) fn new(text: &'de str) -> Self {
        Reader {
            text,
            pos: 0,
            scratch: String::new(),
            tags: Vec::new(),
            tags_from: 0,
        }
    }

    pub(super) fn error(&self, message: &str) -> Error {
        Error::custom(message)
    }

    /// Skips whitespace; returns the next byte without consuming it. Byte by byte: most runs
    /// are short (`": "`); the long ones, indentations, are skipped by [`Reader::peek_item`].
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !is_whitespace(b) {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// [`Reader::peek`] where pretty-printed JSON puts a line break and an indentation: before
    /// an item of an array or object, and before its closing bracket.
    #[inline(always)]
    fn peek_item(&mut self) -> Option<u8> {
        match self.text.as_bytes().get(self.pos) {
            Some(&b) if !is_whitespace(b) => Some(b),
            Some(b'\n') => {
                self.indentation();
                self.peek()
            }
            _ => self.peek(),
        }
    }

    /// Skips a line break and the spaces after it, eight bytes at a time: the API pretty-prints
    /// with two spaces a level, so a logprob's `bytes` sit behind sixteen or more, the longest
    /// whitespace there is. Byte by byte, such runs cost a chat completion with logprobs an
    /// eighth of its decode; eight at a time, compact JSON (which never comes here) is unchanged.
    /// (In `peek` itself, or not inlined, the same skip made compact JSON 3–8 % slower: its
    /// callers stopped being inlined.)
    #[inline(always)]
    fn indentation(&mut self) {
        let bytes = self.text.as_bytes();
        let mut at = self.pos + 1;
        while let Some(word) = word_at(bytes, at) {
            let x = word ^ (ONES * u64::from(b' '));
            // The high bit of each byte that is not a space (no carry crosses bytes).
            let other = (((x & !HIGH) + !HIGH) | x) & HIGH;
            if other != 0 {
                at += (other.trailing_zeros() / 8) as usize;
                break;
            }
            at += 8;
        }
        self.pos = at;
    }

    /// The text from `start` to the read position.
    pub(super) fn since(&self, start: usize) -> &'de str {
        &self.text[start..self.pos]
    }

    /// Consumes the byte `peek` returned.
    #[inline]
    pub(super) fn bump(&mut self) {
        self.pos += 1;
    }

    /// Consumes `null`, `true` or `false`, whose first byte `peek` returned.
    pub(super) fn literal(&mut self, word: &str) -> Result<()> {
        let end = self.pos + word.len();
        match self.text.as_bytes().get(self.pos..end) {
            Some(found) if found == word.as_bytes() => {
                self.pos = end;
                Ok(())
            }
            Some(_) => Err(self.error("expected ident")),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// Consumes `true` or `false`, whose first byte `peek` returned.
    pub(super) fn boolean(&mut self) -> Result<bool> {
        let value = self.text.as_bytes()[self.pos] == b't';
        self.literal(if value { "true" } else { "false" })?;
        Ok(value)
    }

    /// After a value: only whitespace may follow.
    pub(super) fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// Reads a string whose opening quote `peek` returned.
    pub(super) fn string(&mut self) -> Result<Str<'de, '_>> {
        let bytes = self.text.as_bytes();
        let start = self.pos + 1;
        let mut at = find_special(bytes, start);
        if bytes.get(at) == Some(&b'"') {
            self.pos = at + 1;
            // The quote is ASCII, so both ends are character boundaries.
            return Ok(Str::Borrowed(&self.text[start..at]));
        }
        self.scratch.clear();
        let mut from = start;
        loop {
            match bytes.get(at) {
                Some(b'"') => {
                    self.scratch.push_str(&self.text[from..at]);
                    self.pos = at + 1;
                    return Ok(Str::Copied(&self.scratch));
                }
                Some(b'\\') => {
                    self.scratch.push_str(&self.text[from..at]);
                    self.pos = at + 1;
                    self.escape()?;
                    from = self.pos;
                    at = find_special(bytes, from);
                }
                _ => return Err(self.bad_string(at)),
            }
        }
    }

    /// Skips a string whose opening quote `peek` returned, checking it as [`Reader::string`] does
    /// but copying nothing (a union's look-ahead skips long texts).
    fn skip_string(&mut self) -> Result<()> {
        let bytes = self.text.as_bytes();
        let mut at = find_special(bytes, self.pos + 1);
        loop {
            match bytes.get(at) {
                Some(b'"') => {
                    self.pos = at + 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos = at + 1;
                    // Checks the escape; what it decodes to is not kept.
                    self.scratch.clear();
                    self.escape()?;
                    at = find_special(bytes, self.pos);
                }
                _ => return Err(self.bad_string(at)),
            }
        }
    }

    /// The error for what ends a string at `at` that is not a quote: a control character, or
    /// the end of the text.
    #[cold]
    fn bad_string(&mut self, at: usize) -> Error {
        self.pos = at.min(self.text.len());
        self.error(if at < self.text.len() {
            "control character (\\u0000-\\u001F) found while parsing a string"
        } else {
            "EOF while parsing a string"
        })
    }

    /// Decodes the escape after a backslash into the scratch buffer.
    fn escape(&mut self) -> Result<()> {
        let Some(&b) = self.text.as_bytes().get(self.pos) else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(self.error("invalid escape")),
        };
        self.scratch.push(c);
        Ok(())
    }

    /// `\uXXXX`, or a surrogate pair of them; lone surrogates are errors, as in serde_json.
    fn unicode_escape(&mut self) -> Result<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                let bytes = self.text.as_bytes();
                if bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone leading surrogate in hex escape")),
            n => u32::from(n),
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u16> {
        let Some(digits) = self.text.as_bytes().get(self.pos..self.pos + 4) else {
            self.pos = self.text.len();
            return Err(self.error("EOF while parsing a string"));
        };
        let mut n = 0u16;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error("invalid escape")),
            };
            n = n * 16 + u16::from(v);
        }
        self.pos += 4;
        Ok(n)
    }

    /// Reads a number whose first byte (`-` or a digit) `peek` returned. The common one, a
    /// non-negative integer of at most 18 digits (an index, a count, a token byte), is read
    /// inline, without the general machinery of [`Reader::decimal`].
    #[inline]
    pub(super) fn number(&mut self) -> Result<Num> {
        match self.small_integer() {
            Some(n) => Ok(Num::U(n)),
            None => self.decimal(),
        }
    }

    /// A non-negative integer of at most 18 digits; `None` for anything else, unread.
    #[inline]
    fn small_integer(&mut self) -> Option<u64> {
        let bytes = self.text.as_bytes();
        let mut at = self.pos;
        let mut value: u64 = 0;
        while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
            // Wraps only past 19 digits, where the value is not used.
            value = value.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            at += 1;
        }
        let len = at - self.pos;
        // Longer, a leading zero (`0` alone is fine), a fraction or an exponent: the full path.
        let plain = (1..=18).contains(&len)
            && (len == 1 || bytes[self.pos] != b'0')
            && !matches!(bytes.get(at), Some(b'.' | b'e' | b'E'));
        if plain {
            self.pos = at;
            Some(value)
        } else {
            None
        }
    }

    /// Any number. The value is the one serde_json gives (its default build, without
    /// `float_roundtrip`): the decimal digits as a `u64`, then one multiplication or division by
    /// a power of ten. That is exact for up to 15 digits with an exponent up to 22, and
    /// otherwise within a unit in the last place.
    fn decimal(&mut self) -> Result<Num> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let negative = bytes[start] == b'-';
        let mut at = start + usize::from(negative);
        match bytes.get(at) {
            // A leading zero followed by digits (`01`) is not JSON.
            Some(b'0') if bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {
                return Err(self.number_error(at + 1));
            }
            Some(b'0'..=b'9') => {}
            _ => return Err(self.number_error(at)),
        }
        let int = digits(bytes, at, 0);
        at = int.end;
        let mut mantissa = int.value;
        // Integer digits beyond `u64` only scale it (serde_json's `parse_long_integer`).
        let mut exponent = int.dropped as i32;
        let mut float = int.dropped > 0;
        if bytes.get(at) == Some(&b'.') {
            // Fraction digits beyond `u64` are dropped.
            let frac = digits(bytes, at + 1, mantissa);
            if frac.end == at + 1 {
                return Err(self.number_error(frac.end));
            }
            at = frac.end;
            mantissa = frac.value;
            exponent -= frac.taken as i32;
            float = true;
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            float = true;
            let positive = match bytes.get(at) {
                Some(b'-') => {
                    at += 1;
                    false
                }
                Some(b'+') => {
                    at += 1;
                    true
                }
                _ => true,
            };
            let digits = at;
            let mut value: Option<i32> = Some(0);
            while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
                at += 1;
                value = value
                    .and_then(|v| v.checked_mul(10))
                    .and_then(|v| v.checked_add(i32::from(d - b'0')));
            }
            if at == digits {
                return Err(self.number_error(at));
            }
            self.pos = at;
            exponent = match value {
                Some(e) if positive => exponent.saturating_add(e),
                Some(e) => exponent.saturating_sub(e),
                // An exponent beyond `i32`: zero, or out of range.
                None if positive && mantissa != 0 => return Err(self.out_of_range(start)),
                None => return Ok(Num::F(if negative { -0.0 } else { 0.0 })),
            };
        }
        self.pos = at;
        if !float {
            return Ok(match (negative, mantissa) {
                (false, n) => Num::U(n),
                (true, 0) => Num::F(-0.0),
                (true, n) if n <= 1 << 63 => Num::I((n as i64).wrapping_neg()),
                (true, n) => Num::F(-(n as f64)),
            });
        }
        match scale(mantissa, exponent) {
            Some(v) => Ok(Num::F(if negative { -v } else { v })),
            None => Err(self.out_of_range(start)),
        }
    }

    fn out_of_range(&mut self, start: usize) -> Error {
        self.pos = start;
        self.error("number out of range")
    }

    fn number_error(&mut self, at: usize) -> Error {
        self.pos = at;
        if at >= self.text.len() {
            self.error("EOF while parsing a value")
        } else {
            self.error("invalid number")
        }
    }

    /// Skips one value of any kind, checking it is JSON (`depth` levels of nesting allowed).
    pub(super) fn skip(&mut self, depth: u32) -> Result<()> {
        match self.peek() {
            Some(b'n') => self.literal("null"),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b'"') => self.skip_string(),
            Some(open @ (b'[' | b'{')) => {
                let depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Err(self.error("recursion limit exceeded"));
                }
                self.bump();
                let object = open == b'{';
                let close = if object { b'}' } else { b']' };
                let mut first = true;
                while self.next_item(&mut first, close)? {
                    if object {
                        self.key_start()?;
                        self.string()?;
                        self.colon()?;
                    }
                    self.skip(depth)?;
                }
                self.bump();
                Ok(())
            }
            Some(_) => Err(self.error("expected value")),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// The string value of member `prop` of the object that starts here (at its `{`), found
    /// without moving: a union's tag, wherever it is among the members. `None` when there is no
    /// such member, its value is not a string, or the object is not JSON (which reading it then
    /// reports, at its place).
    ///
    /// The members before the tag are skipped; objects among them (an item's `content` parts,
    /// when keys are sorted) are noted with their own `prop`, so the unions they hold find their
    /// tags without skipping the same text again, once per level.
    pub(super) fn peek_member(&mut self, prop: &'static str, depth: u32) -> Option<Cow<'de, str>> {
        if let Some(tag) = self.seen(prop) {
            return tag;
        }
        let (start, noted) = (self.pos, self.tags.len());
        let found = self.find_member(prop, depth);
        self.pos = start;
        // Not JSON: nothing noted on the way can be trusted to have been read whole.
        found
            .inspect_err(|_| self.tags.truncate(noted))
            .ok()
            .flatten()
    }

    /// What a look-ahead noted of the object here, if it passed it.
    fn seen(&mut self, prop: &str) -> Option<Option<Cow<'de, str>>> {
        while let Some(seen) = self.tags.get(self.tags_from) {
            if seen.at > self.pos {
                return None;
            }
            self.tags_from += 1;
            if seen.at == self.pos && seen.prop == prop {
                return Some(seen.tag.clone());
            }
        }
        self.tags.clear();
        self.tags_from = 0;
        None
    }

    fn find_member(&mut self, prop: &'static str, depth: u32) -> Result<Option<Cow<'de, str>>> {
        self.bump();
        let mut first = true;
        while self.next_item(&mut first, b'}')? {
            self.key_start()?;
            let found = self.string()?.as_str() == prop;
            self.colon()?;
            if found {
                return self.tag_value();
            }
            self.skip_noting(prop, depth)?;
        }
        Ok(None)
    }

    /// A tag's value: the string, or `None` for anything else (left unread).
    fn tag_value(&mut self) -> Result<Option<Cow<'de, str>>> {
        Ok(match self.peek() {
            Some(b'"') => Some(match self.string()? {
                Str::Borrowed(s) => Cow::Borrowed(s),
                Str::Copied(s) => Cow::Owned(s.to_owned()),
            }),
            _ => None,
        })
    }

    /// [`Reader::skip`], noting for each object passed the string value of its member `prop`
    /// (the first of that name, as [`Reader::find_member`] reads).
    fn skip_noting(&mut self, prop: &'static str, depth: u32) -> Result<()> {
        let open = match self.peek() {
            Some(open @ (b'[' | b'{')) => open,
            _ => return self.skip(depth),
        };
        let depth = depth.saturating_sub(1);
        if depth == 0 {
            return Err(self.error("recursion limit exceeded"));
        }
        let object = open == b'{';
        // Noted before the objects inside, so the list stays in the order of places.
        let slot = self.tags.len();
        if object {
            let at = self.pos;
            self.tags.push(Seen {
                at,
                prop,
                tag: None,
            });
        }
        self.bump();
        let close = if object { b'}' } else { b']' };
        let mut first = true;
        let mut looked = false;
        while self.next_item(&mut first, close)? {
            if object {
                self.key_start()?;
                let named = self.string()?.as_str() == prop;
                self.colon()?;
                if named && !looked {
                    looked = true;
                    let tag = self.tag_value()?;
                    if tag.is_some() {
                        self.tags[slot].tag = tag;
                        continue;
                    }
                }
            }
            self.skip_noting(prop, depth)?;
        }
        self.bump();
        Ok(())
    }

    /// Between the items of an array or object (after its opening bracket): whether another
    /// item follows (consuming its comma), or the closing bracket does (left to consume).
    #[inline(always)]
    pub(super) fn next_item(&mut self, first: &mut bool, close: u8) -> Result<bool> {
        match self.peek_item() {
            Some(b) if b == close => Ok(false),
            Some(b',') if !*first => {
                self.bump();
                match self.peek_item() {
                    Some(b) if b == close => Err(self.error("trailing comma")),
                    Some(_) => Ok(true),
                    None => Err(self.eof_in(close)),
                }
            }
            Some(_) if *first => {
                *first = false;
                Ok(true)
            }
            Some(_) => Err(self.error(if close == b']' {
                "expected `,` or `]`"
            } else {
                "expected `,` or `}`"
            })),
            None => Err(self.eof_in(close)),
        }
    }

    fn eof_in(&self, close: u8) -> Error {
        self.error(if close == b']' {
            "EOF while parsing a list"
        } else {
            "EOF while parsing an object"
        })
    }

    /// Consumes the closing bracket after the last item.
    #[inline]
    pub(super) fn close(&mut self, close: u8) -> Result<()> {
        match self.peek() {
            Some(b) if b == close => {
                self.bump();
                Ok(())
            }
            Some(b',') => Err(self.error("trailing comma")),
            Some(_) => Err(self.error("trailing characters")),
            None => Err(self.eof_in(close)),
        }
    }

    /// Before an object key: it must be a string.
    #[inline]
    pub(super) fn key_start(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => Ok(()),
            Some(_) => Err(self.error("key must be a string")),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// Between a key and its value.
    #[inline]
    pub(super) fn colon(&mut self) -> Result<()> {
        match self.peek() {
            Some(b':') => {
                self.bump();
                Ok(())
            }
            Some(_) => Err(self.error("expected `:`")),
            None => Err(self.error("EOF while parsing an object")),
        }
    }

    /// How many elements follow, when what follows is a short array of numbers up to its `]`
    /// (a token's `bytes`, a pair of coordinates): lets a `Vec` be allocated once at its size,
    /// instead of growing from four elements to eight. Only a hint (a string later in the array
    /// could hold a comma), so it is cheap: the commas before the first `]` in the next 64
    /// bytes; longer arrays grow as usual, which costs them little beside their parsing.
    pub(super) fn numbers_ahead(&self) -> Option<usize> {
        let rest = self.text.as_bytes().get(self.pos..)?;
        let rest = &rest[..rest.len().min(64)];
        let first = rest.iter().position(|&b| !is_whitespace(b))?;
        match rest[first] {
            b']' => Some(0),
            b'-' | b'0'..=b'9' => {
                let end = memchr::memchr(b']', rest)?;
                Some(1 + rest[..end].iter().filter(|&&b| b == b',').count())
            }
            _ => None,
        }
    }

    /// Line and column (1-based) of the read position, for error messages.
    pub(super) fn position(&self) -> (usize, usize) {
        let before = &self.text.as_bytes()[..self.pos.min(self.text.len())];
        let line = 1 + memchr::memchr_iter(b'\n', before).count();
        let column = match memchr::memrchr(b'\n', before) {
            Some(nl) => before.len() - nl,
            None => before.len() + 1,
        };
        (line, column)
    }
}

/// A byte of ones in each of eight: `ONES * b` is `b` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of eight bytes.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes from `at` as one word (little-endian: the first byte lowest), for the scans
/// that test eight bytes at once; `None` when fewer are left.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at + 8)?;
    Some(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
}

/// JSON's whitespace: space, newline, carriage return and tab.
#[inline]
fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// The index of the first `"`, `\` or control character at or after `from` (or the end).
/// Eight bytes at a time: a string's bytes are tested together, with no branch per byte.
#[inline]
fn find_special(bytes: &[u8], mut at: usize) -> usize {
    while let Some(word) = word_at(bytes, at) {
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        // Bytes equal to zero (after the xor) or below 0x20 set their high bit; the lowest set
        // bit is exact (borrows only disturb the bytes above it).
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word))
            & HIGH;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return at;
        }
        at += 1;
    }
    at
}

/// A run of decimal digits, read into a `u64` for as long as it holds them.
struct Digits {
    end: usize,
    value: u64,
    /// Digits read into `value`.
    taken: usize,
    /// Digits after those, which did not fit.
    dropped: usize,
}

/// Reads the digits from `at` onto `value`. Eight at a time while they cannot overflow (the
/// common float has 16 or 17), then one by one.
#[inline]
fn digits(bytes: &[u8], start: usize, mut value: u64) -> Digits {
    let mut at = start;
    while value < 100_000_000_000 {
        let Some(word) = word_at(bytes, at) else {
            break;
        };
        if !eight_digits(word) {
            break;
        }
        value = value * 100_000_000 + parse_eight(word);
        at += 8;
    }
    let mut taken = at - start;
    let mut dropped = 0;
    while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
        at += 1;
        let digit = u64::from(d - b'0');
        // Below 10^18, ten times the value plus a digit is below 10^19, within `u64`.
        if value < 1_000_000_000_000_000_000 {
            value = value * 10 + digit;
            taken += 1;
        } else if let Some(v) = value.checked_mul(10).and_then(|v| v.checked_add(digit))
            && dropped == 0
        {
            value = v;
            taken += 1;
        } else {
            dropped += 1;
        }
    }
    Digits {
        end: at,
        value,
        taken,
        dropped,
    }
}

/// Whether the eight bytes (little-endian) are all ASCII digits.
#[inline]
fn eight_digits(word: u64) -> bool {
    let above = word.wrapping_add(0x4646_4646_4646_4646);
    let below = word.wrapping_sub(0x3030_3030_3030_3030);
    (above | below) & HIGH == 0
}

/// The value of eight ASCII digits (little-endian: the first digit in the lowest byte), with
/// three multiplications instead of eight steps.
#[inline]
fn parse_eight(word: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let v = word - 0x3030_3030_3030_3030;
    let v = v * 10 + (v >> 8);
    let v1 = (v & MASK).wrapping_mul(MUL1);
    let v2 = ((v >> 16) & MASK).wrapping_mul(MUL2);
    u64::from((v1.wrapping_add(v2) >> 32) as u32)
}

/// `mantissa × 10^exponent` as serde_json computes it; `None` when that is infinite.
fn scale(mantissa: u64, mut exponent: i32) -> Option<f64> {
    let mut f = mantissa as f64;
    loop {
        match POW10.get(exponent.unsigned_abs() as usize) {
            Some(&pow) if exponent >= 0 => {
                f *= pow;
                return f.is_finite().then_some(f);
            }
            Some(&pow) => return Some(f / pow),
            None if f == 0.0 => return Some(f),
            None if exponent >= 0 => return None,
            None => {
                f /= 1e308;
                exponent += 308;
            }
        }
    }
}

/// `10^0` to `10^308`, each the `f64` nearest the power (as serde_json's table).
#[rustfmt::skip]
static POW10: [f64; 309] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23,
    1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34, 1e35,
    1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47,
    1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59,
    1e60, 1e61, 1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71,
    1e72, 1e73, 1e74, 1e75, 1e76, 1e77, 1e78, 1e79, 1e80, 1e81, 1e82, 1e83,
    1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91, 1e92, 1e93, 1e94, 1e95,
    1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107,
    1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119,
    1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131,
    1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143,
    1e144, 1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155,
    1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167,
    1e168, 1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179,
    1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191,
    1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203,
    1e204, 1e205, 1e206, 1e207, 1e208, 1e209, 1e210, 1e211, 1e212, 1e213, 1e214, 1e215,
    1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227,
    1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239,
    1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, 1e250, 1e251,
    1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261, 1e262, 1e263,
    1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274, 1e275,
    1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287,
    1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299,
    1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];
