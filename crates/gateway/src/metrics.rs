//! Counters for `/metrics`, in the Prometheus text format: decisions by entry point and result,
//! denials by rule, and a latency histogram of the decisions.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// `[entry][allow = 0, deny = 1]`.
    decisions: [[AtomicU64; 2]; 4],
    /// Denials by rule code (or refusal name).
    by_rule: Mutex<BTreeMap<&'static str, u64>>,
    /// Cumulative bucket counts are computed when rendered; these are per-bucket.
    buckets: [AtomicU64; BUCKETS_US.len() + 1],
    latency_sum_ns: AtomicU64,
    /// Forwards that failed (upstream unreachable or timed out).
    upstream_errors: AtomicU64,
    /// Inventory reloads: `[accepted, rejected]`.
    reloads: [AtomicU64; 2],
}

impl Metrics {
    /// Records one decision and how long it took.
    pub fn record(&self, entry: Entry, decision: &Decision, took: Duration) {
        let result = usize::from(!decision.allow);
        self.decisions[entry as usize][result].fetch_add(1, Ordering::Relaxed);
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
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let ns = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.latency_sum_ns.fetch_add(ns, Ordering::Relaxed);
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
        self.decisions[entry as usize][usize::from(!allow)].load(Ordering::Relaxed)
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
                let n = self.decisions[entry as usize][i].load(Ordering::Relaxed);
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
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "embedguard_decision_seconds_bucket{{le=\"{}\"}} {cumulative}",
                *bound as f64 / 1e6
            );
        }
        cumulative += self.buckets[BUCKETS_US.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "embedguard_decision_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let sum = self.latency_sum_ns.load(Ordering::Relaxed) as f64 / 1e9;
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
