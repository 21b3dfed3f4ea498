//! Counters for `/metrics`, in the Prometheus text format: decisions by entry point and result,
//! denials by rule, and a latency histogram of the decisions.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::Decision;

/// Where a request entered the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    /// `POST /v1/decide`.
    Decide,
    /// The forwarding proxy.
    Proxy,
    /// The Envoy ext_authz service.
    ExtAuthz,
    /// [`crate::EmbedGuardLayer`] in someone else's stack.
    Layer,
}

impl Entry {
    const ALL: [Entry; 4] = [Entry::Decide, Entry::Proxy, Entry::ExtAuthz, Entry::Layer];

    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            Entry::Decide => "decide",
            Entry::Proxy => "proxy",
            Entry::ExtAuthz => "ext_authz",
            Entry::Layer => "layer",
        }
    }
}

/// Upper bounds of the latency buckets, in microseconds.
const BUCKETS_US: [u64; 12] = [
    10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 100_000, 1_000_000,
];

/// The gateway's counters. Lock-free except the per-rule map, touched only on a denial.
#[derive(Debug, Default)]
pub struct Metrics {
    /// The per-decision counters, one shard per thread (modulo [`SHARDS`]), summed when rendered.
    shards: [Shard; SHARDS],
    /// Denials by rule code (or refusal name).
    by_rule: Mutex<BTreeMap<&'static str, u64>>,
    /// Forwards that failed (upstream unreachable or timed out).
    upstream_errors: AtomicU64,
    /// Inventory reloads: `[accepted, rejected]`.
    reloads: [AtomicU64; 2],
}

/// How many shards the per-decision counters are spread over: more than the threads of a
/// gateway's runtime on most machines, so two threads rarely share one.
const SHARDS: usize = 16;

/// The counters every decision adds to, for the threads whose turn it is. One set shared by
/// all threads put three atomic additions per request on cache lines the cores took turns
/// owning; a shard is aligned to its own lines, so a thread adds to lines its core keeps.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Shard {
    /// `[entry][allow = 0, deny = 1]`.
    decisions: [[AtomicU64; 2]; 4],
    /// Cumulative bucket counts are computed when rendered; these are per-bucket.
    buckets: [AtomicU64; BUCKETS_US.len() + 1],
    latency_sum_ns: AtomicU64,
}

/// This thread's shard number: threads are numbered as they first record.
fn shard_of_this_thread() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    SHARD.with(|s| *s)
}

impl Metrics {
    /// Records one decision and how long it took.
    pub fn record(&self, entry: Entry, decision: &Decision, took: Duration) {
        let shard = &self.shards[shard_of_this_thread()];
        let result = usize::from(!decision.allow);
        shard.decisions[entry as usize][result].fetch_add(1, Ordering::Relaxed);
        if !decision.allow {
            if let Ok(mut map) = self.by_rule.lock() {
                for rule in decision.denying_rules() {
                    *map.entry(rule).or_default() += 1;
                }
            }
        }
        let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let bucket = BUCKETS_US
            .iter()
            .position(|&b| us <= b)
            .unwrap_or(BUCKETS_US.len());
        shard.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let ns = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        shard.latency_sum_ns.fetch_add(ns, Ordering::Relaxed);
    }

    /// The sum over the shards of one counter.
    fn total(&self, counter: impl Fn(&Shard) -> &AtomicU64) -> u64 {
        self.shards
            .iter()
            .map(|s| counter(s).load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }

    /// Records a forward that got no answer.
    pub fn upstream_error(&self) {
        self.upstream_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Records an inventory reload, accepted or rejected.
    pub fn reload(&self, accepted: bool) {
        self.reloads[usize::from(!accepted)].fetch_add(1, Ordering::Relaxed);
    }

    /// How many decisions `entry` made with this result.
    pub fn decisions(&self, entry: Entry, allow: bool) -> u64 {
        self.total(|s| &s.decisions[entry as usize][usize::from(!allow)])
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP embedguard_decisions_total GenerateToken requests decided, by entry point and result.\n\
             # TYPE embedguard_decisions_total counter\n",
        );
        for entry in Entry::ALL {
            for (i, result) in ["allow", "deny"].iter().enumerate() {
                let n = self.total(|s| &s.decisions[entry as usize][i]);
                let _ = writeln!(
                    out,
                    "embedguard_decisions_total{{entry=\"{}\",result=\"{result}\"}} {n}",
                    entry.label()
                );
            }
        }
        out.push_str(
            "# HELP embedguard_denials_by_rule_total Error-level diagnostics of denied requests, by rule code (or gateway refusal).\n\
             # TYPE embedguard_denials_by_rule_total counter\n",
        );
        if let Ok(map) = self.by_rule.lock() {
            for (rule, n) in map.iter() {
                let _ = writeln!(
                    out,
                    "embedguard_denials_by_rule_total{{rule=\"{rule}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP embedguard_decision_seconds Time to read and judge one request (body read excluded).\n\
             # TYPE embedguard_decision_seconds histogram\n",
        );
        let mut cumulative = 0;
        for (i, bound) in BUCKETS_US.iter().enumerate() {
            cumulative += self.total(|s| &s.buckets[i]);
            let _ = writeln!(
                out,
                "embedguard_decision_seconds_bucket{{le=\"{}\"}} {cumulative}",
                *bound as f64 / 1e6
            );
        }
        cumulative += self.total(|s| &s.buckets[BUCKETS_US.len()]);
        let _ = writeln!(
            out,
            "embedguard_decision_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let sum = self.total(|s| &s.latency_sum_ns) as f64 / 1e9;
        let _ = writeln!(out, "embedguard_decision_seconds_sum {sum}");
        let _ = writeln!(out, "embedguard_decision_seconds_count {cumulative}");
        let _ = write!(
            out,
            "# HELP embedguard_upstream_errors_total Forwards that got no answer from the upstream.\n\
             # TYPE embedguard_upstream_errors_total counter\n\
             embedguard_upstream_errors_total {}\n\
             # HELP embedguard_inventory_reloads_total Inventory reloads, by outcome.\n\
             # TYPE embedguard_inventory_reloads_total counter\n\
             embedguard_inventory_reloads_total{{result=\"accepted\"}} {}\n\
             embedguard_inventory_reloads_total{{result=\"rejected\"}} {}\n",
            self.upstream_errors.load(Ordering::Relaxed),
            self.reloads[0].load(Ordering::Relaxed),
            self.reloads[1].load(Ordering::Relaxed),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_recorded_on_many_threads_are_all_counted() {
        let metrics = Metrics::default();
        let allowed = Decision::from_diagnostics(Vec::new());
        // More threads than shards, so some share one.
        std::thread::scope(|scope| {
            for _ in 0..SHARDS + 4 {
                scope.spawn(|| {
                    for _ in 0..100 {
                        metrics.record(Entry::Proxy, &allowed, Duration::from_micros(30));
                    }
                });
            }
        });
        let n = (SHARDS as u64 + 4) * 100;
        assert_eq!(metrics.decisions(Entry::Proxy, true), n);
        assert_eq!(metrics.decisions(Entry::Decide, true), 0);
        let text = metrics.render();
        assert!(
            text.contains(&format!(
                "embedguard_decision_seconds_bucket{{le=\"0.00005\"}} {n}\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(
                "embedguard_decision_seconds_bucket{le=\"0.000025\"} 0
"
            ),
            "{text}"
        );
        assert!(
            text.contains(&format!("embedguard_decision_seconds_count {n}\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "embedguard_decisions_total{{entry=\"proxy\",result=\"allow\"}} {n}\n"
            )),
            "{text}"
        );
    }
}
