//! Structured logs: one JSON object per line on standard error. Fields are chosen by the caller
//! and never include a token, a header value or a body: a decision is logged by its result and
//! rule codes only.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

/// Whether a log line is written at all (tests and benchmarks turn it off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logging {
    /// JSON lines on standard error.
    Json,
    /// Nothing.
    Off,
}

impl Logging {
    /// Writes one event: `level`, `event`, then `fields`.
    pub fn event(self, level: &str, event: &str, fields: &[(&str, Value)]) {
        if self == Logging::Off {
            return;
        }
        let mut line = Map::new();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or_default();
        line.insert("ts".into(), Value::from(now));
        line.insert("level".into(), Value::from(level));
        line.insert("event".into(), Value::from(event));
        for (k, v) in fields {
            line.insert((*k).to_string(), v.clone());
        }
        eprintln!("{}", Value::Object(line));
    }
}

/// A request id: the caller's `x-request-id` when it is short and plain (so a gateway's trace
/// id carries through), else a fresh one.
pub fn request_id(given: Option<&str>) -> String {
    if let Some(id) = given {
        if !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return id.to_string();
        }
    }
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = START.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    });
    // Written by hand: `format!` cost more than the rest of a gateway's bookkeeping.
    let mut id = String::with_capacity(3 + 16 + 1 + 16);
    id.push_str("eg-");
    push_hex(&mut id, *start);
    id.push('-');
    push_hex(&mut id, next_number());
    id
}

/// A number no other call returns (in this process): the thread's number in the top 24 bits,
/// its own count below. One counter shared by every thread cost an atomic addition per request
/// on a cache line the cores took turns owning.
fn next_number() -> u64 {
    static THREADS: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static ISSUED: Cell<u64> = Cell::new(THREADS.fetch_add(1, Ordering::Relaxed) << 40);
    }
    ISSUED.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}

/// Appends `n` in lower-case hexadecimal, without leading zeros.
fn push_hex(out: &mut String, n: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let width = (64 - n.leading_zeros()).div_ceil(4).max(1);
    for shift in (0..width).rev() {
        out.push(char::from(DIGITS[((n >> (shift * 4)) & 0xf) as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn keeps_plain_ids_and_replaces_others() {
        assert_eq!(request_id(Some("abc-123")), "abc-123");
        assert!(request_id(Some("a b")).starts_with("eg-"));
        assert!(request_id(Some(&"x".repeat(65))).starts_with("eg-"));
        assert_ne!(request_id(None), request_id(None));
    }

    #[test]
    fn fresh_ids_differ_across_threads() {
        let ids: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| (0..3).map(|_| request_id(None)).collect::<Vec<_>>()))
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!((ids.len(), distinct.len()), (12, 12), "{ids:?}");
    }

    #[test]
    fn hex_is_written_as_format_writes_it() {
        for n in [0, 1, 0xf, 0x10, 0xdead_beef, u64::MAX] {
            let mut out = String::new();
            super::push_hex(&mut out, n);
            assert_eq!(out, format!("{n:x}"));
        }
    }
}
