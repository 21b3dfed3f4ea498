//! An open-loop load client: requests sent at a fixed rate whatever the answers, each latency
//! measured from its send to the end of its answer (tokio's timer has millisecond grain, so
//! requests leave in small bursts; measuring from the due time would add that grain to every
//! figure). wrk drives a server at its saturation point, where a p99 is mostly
//! queueing; at a fixed rate below it, the difference between two servers' p99 is the time
//! one of them adds. bench/gateway-load runs it beside wrk.
//!
//! ```text
//! rate_client URL[,URL...] RATE SECONDS BODY [NAME:VALUE ...]
//! ```
//!
//! Several URLs (comma-separated) are sent to in turn, request by request, sharing RATE: the
//! servers compared then live through the same moments of a shared machine, and a burst of
//! noise lands on both instead of on whichever ran then.
//!
//! Prints one line per URL, in order: `sent N ok M p50_us X p99_us Y`. A request that fails or
//! answers other than 2xx counts as not ok.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, rate, seconds, body, headers @ ..] = args.as_slice() else {
        return Err("usage: rate_client URL RATE SECONDS BODY [NAME:VALUE ...]".into());
    };
    let rate: f64 = rate.parse().map_err(|e| format!("RATE: {e}"))?;
    let seconds: f64 = seconds.parse().map_err(|e| format!("SECONDS: {e}"))?;
    let mut map = reqwest::header::HeaderMap::new();
    for h in headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| format!("header `{h}` is not NAME:VALUE"))?;
        map.insert(
            reqwest::header::HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|e| e.to_string())?,
            reqwest::header::HeaderValue::from_str(value.trim()).map_err(|e| e.to_string())?,
        );
    }
    let urls: Vec<&str> = url.split(',').collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let (sent, latencies) = runtime.block_on(run(&urls, rate, seconds, body, map))?;
    for latencies in latencies {
        let mut ok = latencies.lock().map_err(|e| e.to_string())?.clone();
        ok.sort_unstable();
        let pct = |p: f64| {
            ok.get(((ok.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .map_or(0.0, |d: &Duration| d.as_secs_f64() * 1e6)
        };
        println!(
            "sent {sent} ok {} p50_us {:.0} p99_us {:.0}",
            ok.len(),
            pct(0.50),
            pct(0.99)
        );
    }
    Ok(())
}

type Latencies = Arc<Mutex<Vec<Duration>>>;

/// Sends `rate * seconds` requests in all, to each of `urls` in turn; how many each got, and
/// the latencies of those answered 2xx, per URL.
async fn run(
    urls: &[&str],
    rate: f64,
    seconds: f64,
    body: &str,
    headers: reqwest::header::HeaderMap,
) -> Result<(usize, Vec<Latencies>), String> {
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(256)
        .build()
        .map_err(|e| e.to_string())?;
    let latencies: Vec<Latencies> = urls.iter().map(|_| Latencies::default()).collect();
    let per_url = (rate * seconds) as usize / urls.len();
    let total = per_url * urls.len();
    let start = Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        // Requests leave in small bursts (the timer's grain), and the first of a burst wakes
        // the servers for the rest: every other round goes in the reverse order, so no URL is
        // always first.
        let (round, place) = (i / urls.len(), i % urls.len());
        let which = if round % 2 == 0 {
            place
        } else {
            urls.len() - 1 - place
        };
        let (client, latencies) = (client.clone(), latencies[which].clone());
        let (url, body) = (urls[which].to_string(), body.to_string());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let answer = client
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await;
            let ok = match answer {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            if ok {
                if let Ok(mut l) = latencies.lock() {
                    l.push(sent.elapsed());
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok((per_url, latencies))
}
