//! Charts as inline SVG: horizontal stacked bars with a legend, drawn from counts alone, so the
//! HTML needs no script and prints as it shows.

use std::fmt::Write;

use crate::html::escape;

/// One series of a chart: its name and its fill colour.
pub struct Series {
    pub name: &'static str,
    pub color: &'static str,
}

/// One bar: its label and a value per series.
pub struct Bar {
    pub label: String,
    pub values: Vec<usize>,
}

const WIDTH: usize = 720;
const LABEL: usize = 260;
const ROW: usize = 22;
const BAR: usize = 16;
const LEGEND: usize = 28;

/// A stacked horizontal bar chart; `title` is its accessible name.
pub fn bar_chart(title: &str, series: &[Series], bars: &[Bar]) -> String {
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot = WIDTH - LABEL - 60;
    let height = LEGEND + ROW * bars.len().max(1) + 6;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"><title>{}</title>"#,
        escape(title)
    );
    let mut x = 0;
    for s in series {
        let _ = write!(
            out,
            r#"<rect x="{x}" y="4" width="12" height="12" fill="{}"/><text x="{}" y="14">{}</text>"#,
            s.color,
            x + 16,
            escape(s.name)
        );
        x += 24 + 8 * s.name.chars().count();
    }
    if bars.is_empty() {
        let _ = write!(out, r#"<text x="0" y="{}">none</text>"#, LEGEND + 14);
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = LEGEND + i * ROW;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            LABEL - 8,
            y + 13,
            escape(&bar.label)
        );
        let mut left = LABEL;
        for (value, s) in bar.values.iter().zip(series) {
            if *value == 0 {
                continue;
            }
            let w = (value * plot).div_ceil(max).max(2);
            let _ = write!(
                out,
                r#"<rect x="{left}" y="{y}" width="{w}" height="{BAR}" fill="{}"><title>{}: {} {}</title></rect>"#,
                s.color,
                escape(&bar.label),
                value,
                escape(s.name)
            );
            left += w;
        }
        let total: usize = bar.values.iter().sum();
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{total}</text>"#,
            left + 6,
            y + 13
        );
    }
    out.push_str("</svg>");
    out
}
