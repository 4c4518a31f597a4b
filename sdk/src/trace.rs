//! A `tracing` span per API call (the `tracing` feature, on by default): the `openai.request`
//! span, at `INFO`, with the call's method, path template, operation id, attempt number, final
//! status, request id and latency; an event per retry with its delay. A streamed call's span
//! lasts until its stream ends. Headers and bodies are never recorded: the API key cannot leak
//! through a log. Without the feature, every method here is empty and `Call` has no size.

use crate::error::Error;
use reqwest::Method;
use std::future::Future;
use std::time::Duration;

/// Why an attempt is retried.
pub(crate) enum Retry {
    Status(u16),
    Transport(reqwest::Error),
    /// The attempt's answer stalled past the read timeout.
    Timeout(Duration),
}

/// The span of one call. Without a subscriber that wants it, the span is disabled and nothing
/// is recorded or timed (a disabled span still looks up each field recorded by name: ~200
/// instructions a call before the methods below returned early). What remains is ~590
/// instructions a call, 0.6 % of one (callgrind, `overhead` bench): the span's check and a larger
/// future to move.
#[derive(Clone)]
pub(crate) struct Call {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    /// When the call started, if its span is enabled.
    #[cfg(feature = "tracing")]
    start: Option<std::time::Instant>,
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
impl Call {
    pub(crate) fn start(method: &Method, path: &str, operation: &str) -> Call {
        #[cfg(feature = "tracing")]
        {
            use tracing::field::Empty;
            let operation = (!operation.is_empty()).then_some(operation);
            let span = tracing::info_span!(
                    "openai.request",
                    method = %method,
                    path,
                    operation,
                    attempt = Empty,
                    retry_delay_ms = Empty,
                    status = Empty,
                    request_id = Empty,
                    latency_ms = Empty,
                    error = Empty,
            );
            let start = (!span.is_disabled()).then(std::time::Instant::now);
            Call { span, start }
        }
        #[cfg(not(feature = "tracing"))]
        Call {}
    }

    /// Runs `future` inside the span, so that what the HTTP stack traces nests under it.
    pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        return tracing::Instrument::instrument(future, self.span.clone());
        #[cfg(not(feature = "tracing"))]
        future
    }

    /// The span and the call's start, if the span is enabled.
    #[cfg(feature = "tracing")]
    fn live(&self) -> Option<(&tracing::Span, std::time::Instant)> {
        Some((&self.span, self.start?))
    }

    /// Attempt `n` (from 1) starts.
    pub(crate) fn attempt(&self, n: u32) {
        #[cfg(feature = "tracing")]
        if let Some((span, _)) = self.live() {
            span.record("attempt", n);
        }
    }

    /// Attempt `n` failed for `why`; the next starts after `delay`.
    pub(crate) fn retrying(&self, n: u32, delay: Duration, why: Retry) {
        #[cfg(feature = "tracing")]
        if let Some((span, _)) = self.live() {
            let delay_ms = delay.as_millis() as u64;
            span.record("retry_delay_ms", delay_ms);
            match why {
                Retry::Status(status) => tracing::info!(
                    parent: span,
                    attempt = n,
                    status,
                    retry_delay_ms = delay_ms,
                    "retrying"
                ),
                Retry::Transport(e) => tracing::info!(
                    parent: span,
                    attempt = n,
                    error = %e,
                    retry_delay_ms = delay_ms,
                    "retrying"
                ),
                Retry::Timeout(after) => tracing::info!(
                    parent: span,
                    attempt = n,
                    error = "timeout",
                    timeout_ms = after.as_millis() as u64,
                    retry_delay_ms = delay_ms,
                    "retrying"
                ),
            }
        }
    }

    /// The final response's status is in.
    pub(crate) fn done(&self, status: u16, request_id: Option<&str>) {
        #[cfg(feature = "tracing")]
        if let Some((span, start)) = self.live() {
            span.record("status", status);
            if let Some(id) = request_id {
                span.record("request_id", id);
            }
            span.record("latency_ms", start.elapsed().as_millis() as u64);
        }
    }

    /// The call ended without a response: what kind of error (not its text, which may quote
    /// what was sent).
    pub(crate) fn failed(&self, error: &Error) {
        #[cfg(feature = "tracing")]
        if let Some((span, start)) = self.live() {
            let kind = match error {
                Error::Api(_) => "api",
                Error::Transport(_) => "transport",
                Error::Timeout(_) => "timeout",
                Error::Decode(_) => "decode",
                Error::InvalidArgument(_) => "invalid_argument",
                Error::Credential(_) => "credential",
                Error::Closed { .. } | Error::WebSocket(_) => "websocket",
                Error::Stream(_) => "stream",
                Error::Incomplete { .. } => "incomplete",
                Error::Io(_) => "io",
            };
            span.record("error", kind);
            span.record("latency_ms", start.elapsed().as_millis() as u64);
        }
    }

    /// Ends the span now (a stream that has ended), rather than when the last clone is dropped.
    pub(crate) fn end(&mut self) {
        #[cfg(feature = "tracing")]
        if self.start.is_some() {
            self.span = tracing::Span::none();
        }
    }
}
