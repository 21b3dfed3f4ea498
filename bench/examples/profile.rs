//! Runs one stage of embedguard in a loop over the benchmark's requests, for a profiler:
//!
//! ```text
//! cargo build --release --example profile   # in bench/
//! perf record -g target/release/examples/profile validate 5
//! ```
//!
//! Stages: `parse` (the CLI's JSON parser), `read` (`read_description` of a parsed document),
//! `validate` (`validate` of a read request), `e2e` (all three), `floor` (serde_json typed).
//! The second argument is how many seconds to run (default 5); a third, a number of rounds,
//! runs exactly that many instead, for an instruction count that a busy machine does not skew:
//!
//! ```text
//! valgrind --tool=callgrind target/release/examples/profile validate 0 200
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use embedguard_bench::fixtures::{self, Selection};
use embedguard_bench::{embedguard_e2e, floor, read_request};
use embedguard_cli::source::{parse, Format};
use embedguard_core::Engine;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let stage = args.next().unwrap_or_else(|| "e2e".into());
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let fixed_rounds: Option<u64> = args.next().and_then(|s| s.parse().ok());
    let engine = Engine::new().map_err(|e| e.to_string())?;
    let (cases, tenants) = fixtures::load(&engine, Selection::Benchmark)?;
    let docs: Vec<_> = cases
        .iter()
        .map(|c| parse(&c.json, Format::Json).map_err(|e| e.message))
        .collect::<Result<_, _>>()?;
    let requests: Vec<_> = cases
        .iter()
        .map(|c| read_request(&engine, &c.json))
        .collect::<Result<_, _>>()?;
    let by_case: Vec<_> = cases.iter().map(|c| &tenants[&c.tenant].tenant).collect();
    let tenant = |i: usize| by_case[i];
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut rounds = 0u64;
    while fixed_rounds.map_or(Instant::now() < deadline, |n| rounds < n) {
        for (i, case) in cases.iter().enumerate() {
            match stage.as_str() {
                "parse" => drop(black_box(parse(black_box(&case.json), Format::Json))),
                "read" => drop(black_box(
                    engine.read_description(black_box(&docs[i].value)),
                )),
                "validate" => drop(black_box(
                    engine.validate(Some(tenant(i)), black_box(&requests[i])),
                )),
                "e2e" => drop(black_box(embedguard_e2e(&engine, tenant(i), &case.json))),
                "floor" => drop(black_box(floor::parse(black_box(&case.json)))),
                other => return Err(format!("unknown stage `{other}`")),
            }
        }
        rounds += 1;
    }
    if fixed_rounds.is_none() {
        let per = Duration::from_secs(seconds).as_nanos()
            / u128::from(rounds.max(1))
            / cases.len() as u128;
        eprintln!(
            "{stage}: {rounds} rounds of {} requests, ~{per} ns each",
            cases.len()
        );
    }
    Ok(())
}
