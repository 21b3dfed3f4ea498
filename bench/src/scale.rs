//! Inventories of any size, generated deterministically: the shared fixture tenant
//! (`fixtures/tenant.yaml`, 9 workspaces) first, unchanged, so every fixture request is judged
//! exactly as against the fixture tenant, then filler entities up to the requested number of
//! workspaces, in the proportions of a multi-tenant ISV (one workspace per customer):
//!
//! - per workspace: 2 datasets (every third with cloud RLS and two roles) and 3 reports (every
//!   tenth a paginated one), a new workspace on an A/P/F capacity; every fiftieth is classic;
//! - one dashboard with 2 tiles per 5 workspaces;
//! - one master user per 100 workspaces, Admin of its hundred;
//! - the app's service principals `embed-sp` and `reporting-sp` are Member of every filler
//!   workspace — the usual shape of an ISV tenant, and the one that makes a per-principal lookup
//!   grow with the tenant.
//!
//! Ids are GUIDs from a fixed-seed SplitMix64 stream, so a size always gives the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use embedguard_core::value::Value;

use crate::json::to_json;

/// The sizes the benchmark measures.
pub const SIZES: &[usize] = &[10, 1_000, 100_000];

struct Guids(u64);

impl Guids {
    fn next(&mut self) -> String {
        let mut word = || {
            // SplitMix64.
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let (a, b) = (word(), word());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// The fixture tenant's entities, as JSON text per list.
struct Base {
    lists: Vec<(&'static str, Vec<String>)>,
    workspaces: usize,
}

fn base(fixture_tenant: &Value) -> Base {
    let keys = [
        "principals",
        "workspaces",
        "datasets",
        "reports",
        "dashboards",
    ];
    let lists: Vec<(&'static str, Vec<String>)> = keys
        .iter()
        .map(|k| {
            let items = fixture_tenant
                .get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(to_json).collect())
                .unwrap_or_default();
            (*k, items)
        })
        .collect();
    let workspaces = lists[1].1.len();
    Base { lists, workspaces }
}

/// The inventory JSON of a tenant with `workspaces` workspaces (at least the fixture tenant's).
pub fn inventory_json(fixture_tenant: &Value, workspaces: usize) -> String {
    let base = base(fixture_tenant);
    let filler = workspaces.saturating_sub(base.workspaces);
    let mut g = Guids(0x00e4_bedd_0a4d_2026);
    let mut lists = base.lists;
    let capacities = ["A1", "A2", "P1", "F64", "EM2"];

    let masters = filler.div_ceil(100);
    for m in 0..masters {
        lists[0].1.push(format!(
            r#"{{"name":"customer-admin-{m:05}","kind":"master_user","object_id":"{}","upn":"admin{m}@customers.example","license":"pro","scopes":["Report.Read.All","Dataset.Read.All"]}}"#,
            g.next()
        ));
    }
    let mut tiles_pending: Vec<(String, String)> = Vec::new();
    for w in 0..filler {
        let ws_id = g.next();
        let kind = if w % 50 == 49 { "classic" } else { "new" };
        let mut s = String::new();
        let _ = write!(
            s,
            r#"{{"id":"{ws_id}","name":"Customer {w:06}","type":"{kind}","capacity":"{}","users":{{"embed-sp":"Member","reporting-sp":"Member","customer-admin-{:05}":"Admin"}}}}"#,
            capacities[w % capacities.len()],
            w / 100
        );
        lists[1].1.push(s);
        let mut datasets = Vec::new();
        for d in 0..2 {
            let ds_id = g.next();
            let rls = if (w * 2 + d) % 3 == 0 {
                r#""rls":"cloud","roles":["Customer","Manager"]"#
            } else {
                r#""rls":"none""#
            };
            lists[2].1.push(format!(
                r#"{{"id":"{ds_id}","name":"Customer {w:06} model {d}","workspace":"{ws_id}",{rls}}}"#
            ));
            datasets.push(ds_id);
        }
        for r in 0..3 {
            let rp_id = g.next();
            let text = if (w * 3 + r) % 10 == 9 {
                format!(
                    r#"{{"id":"{rp_id}","name":"Customer {w:06} invoice {r}","workspace":"{ws_id}","type":"paginated"}}"#
                )
            } else {
                format!(
                    r#"{{"id":"{rp_id}","name":"Customer {w:06} report {r}","workspace":"{ws_id}","dataset":"{}","type":"power_bi"}}"#,
                    datasets[r % 2]
                )
            };
            lists[3].1.push(text);
            if r == 0 {
                tiles_pending.push((datasets[0].clone(), rp_id));
            }
        }
        if w % 5 == 4 {
            let tiles: Vec<String> = tiles_pending
                .drain(..)
                .take(2)
                .map(|(ds, rp)| {
                    format!(
                        r#"{{"id":"{}","dataset":"{ds}","report":"{rp}"}}"#,
                        g.next()
                    )
                })
                .collect();
            lists[4].1.push(format!(
                r#"{{"id":"{}","name":"Customer {w:06} overview","workspace":"{ws_id}","tiles":[{}]}}"#,
                g.next(),
                tiles.join(",")
            ));
        }
    }
    let mut out = String::from("{");
    for (i, (key, items)) in lists.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\n\"{key}\":[\n{}\n]", items.join(",\n"));
    }
    out.push_str("\n}\n");
    out
}

/// Parses inventory bytes into embedguard's document tree: through the CLI's JSON parser when
/// the bytes are within its input cap, else through `serde_json` (which the CLI never does).
///
/// # Errors
/// Not JSON.
pub fn document(bytes: &[u8]) -> Result<Value, String> {
    if bytes.len() <= embedguard_cli::source::MAX_FILE_BYTES {
        embedguard_cli::source::parse(bytes, embedguard_cli::source::Format::Json)
            .map(|d| d.value)
            .map_err(|e| e.message)
    } else {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .map(|v| Value::from_json(&v))
            .map_err(|e| e.to_string())
    }
}

/// Writes the inventory of each size under `dir` (`inventory-<size>.json`).
///
/// # Errors
/// The files cannot be written.
pub fn write_all(fixture_tenant: &Value, dir: &Path) -> std::io::Result<Vec<(usize, String)>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::new();
    for &size in SIZES {
        let text = inventory_json(fixture_tenant, size);
        let path = dir.join(format!("inventory-{size}.json"));
        std::fs::write(&path, &text)?;
        out.push((size, text));
    }
    Ok(out)
}
