//! The SSE parser under arbitrary chunking.

use openai_sdk::sse::{Parser, parse_all};
use std::collections::VecDeque;

/// The stream is `data` less its first byte, which says where it is cut into chunks (the cut
/// points are the following bytes, as offsets); the events are those of the whole stream.
pub fn sse(data: &[u8]) {
    let Some((&cuts, rest)) = data.split_first() else {
        return;
    };
    let whole = parse_all(rest);
    let cuts = usize::from(cuts % 16).min(rest.len());
    let mut points: Vec<usize> = rest
        .iter()
        .take(cuts)
        .map(|&b| usize::from(b) * rest.len() / 256)
        .collect();
    points.push(rest.len());
    points.sort_unstable();
    let mut parser = Parser::new();
    let mut events = VecDeque::new();
    let mut start = 0;
    for end in points {
        parser.feed(&rest[start..end], &mut events);
        start = end;
    }
    parser.finish(&mut events);
    assert_eq!(Vec::from(events), whole, "{rest:?} cut");
}
