//! When to retry and how long to wait, as the official SDKs do.

use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

const INITIAL: f64 = 0.5;
const MAX: f64 = 8.0;
/// A server-requested wait is honoured only up to this long.
const MAX_REQUESTED: Duration = Duration::from_secs(60);

/// Whether a response status is worth another attempt; `x-should-retry` overrides.
pub(crate) fn should_retry(status: u16, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// The wait before retry number `retry` (0 for the first): what the server asks for
/// (`retry-after-ms`, then `retry-after` in seconds or as an HTTP date) when that is more than 0
/// and at most 60 s; otherwise `min(0.5 s · 2^retry, 8 s)` less up to 25 % jitter.
pub(crate) fn delay(retry: u32, headers: &HeaderMap, now: SystemTime, jitter: f64) -> Duration {
    if let Some(wait) = requested(headers, now)
        && wait > Duration::ZERO
        && wait <= MAX_REQUESTED
    {
        return wait;
    }
    let base = (INITIAL * 2f64.powi(retry.min(16) as i32)).min(MAX);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter.clamp(0.0, 1.0)))
}

fn requested(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = header("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn statuses_and_the_override_header() {
        for status in [408, 409, 429, 500, 502, 503, 504] {
            assert!(should_retry(status, &HeaderMap::new()), "{status}");
        }
        for status in [400, 401, 403, 404, 422] {
            assert!(!should_retry(status, &HeaderMap::new()), "{status}");
        }
        assert!(should_retry(400, &headers(&[("x-should-retry", "true")])));
        assert!(!should_retry(503, &headers(&[("x-should-retry", "false")])));
    }

    /// The same table as the official SDKs' tests: what the server asks for, and the wait.
    #[test]
    fn requested_waits() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let date = |secs: u64| httpdate::fmt_http_date(now + Duration::from_secs(secs));
        let backoff = Duration::from_secs_f64(0.5);
        let cases: Vec<(Vec<(&str, String)>, Duration)> = vec![
            (vec![("retry-after", "20".into())], Duration::from_secs(20)),
            (
                vec![("retry-after", "0.5".into())],
                Duration::from_millis(500),
            ),
            (vec![("retry-after", "-10".into())], backoff),
            (vec![("retry-after", "0".into())], backoff),
            (vec![("retry-after", "61".into())], backoff),
            (vec![("retry-after", "60".into())], Duration::from_secs(60)),
            (vec![("retry-after", date(20))], Duration::from_secs(20)),
            (vec![("retry-after", date(0))], backoff),
            (vec![("retry-after", date(61))], backoff),
            (
                vec![("retry-after", "Fri, 29 Sep 2023 16:26:57 GMT".into())],
                backoff,
            ),
            (vec![("retry-after", "not a date".into())], backoff),
            (
                vec![("retry-after-ms", "10".into())],
                Duration::from_millis(10),
            ),
            (
                vec![("retry-after-ms", "1500.5".into())],
                Duration::from_secs_f64(1.5005),
            ),
            (
                vec![
                    ("retry-after-ms", "10".into()),
                    ("retry-after", "20".into()),
                ],
                Duration::from_millis(10),
            ),
            (
                vec![("retry-after-ms", "0".into()), ("retry-after", "20".into())],
                backoff,
            ),
            (vec![], backoff),
        ];
        for (pairs, want) in cases {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(delay(0, &headers(&pairs), now, 0.0), want, "{pairs:?}");
        }
    }

    #[test]
    fn exponential_backoff_is_capped_and_jittered() {
        let none = HeaderMap::new();
        let now = SystemTime::now();
        let waits: Vec<f64> = (0..6)
            .map(|n| delay(n, &none, now, 0.0).as_secs_f64())
            .collect();
        assert_eq!(waits, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]);
        assert_eq!(delay(2, &none, now, 1.0), Duration::from_secs_f64(1.5));
    }
}
