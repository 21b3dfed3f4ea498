//! embedguard-source: description files, inventories and wire bodies (YAML or JSON) to the
//! core's document tree, with a span for every node. Shared by the command line and the gateway,
//! so both read a body exactly alike (SPEC §1.3).
//!
//! [`parse`] turns the bytes of a file into an [`embedguard_core::value::Value`] and a
//! [`SpanTable`] that maps each [`Pointer`](embedguard_core::value::Pointer) back to byte ranges;
//! [`LineIndex`] turns those into line and column. Parsing is defensive: files are untrusted, so
//! size, nesting depth, anchors and aliases are capped or refused, and no input makes it panic.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod json;
mod line_index;
mod scalar;
mod span;
mod yaml;

use std::path::Path;

use embedguard_core::value::Value;

pub use json::WireEntry;
pub use line_index::LineIndex;
pub use span::{NodeSpan, Span, SpanTable};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Inventory files named as such (`inventory:`, `--inventory`, `embedguard.toml`) may be larger:
/// a tenant of 100,000 workspaces is about 110 MiB of YAML or JSON.
pub const MAX_INVENTORY_BYTES: usize = 256 * 1024 * 1024;

/// Deepest nesting of arrays and objects allowed (the root collection is level 1). Matches the
/// .NET serializers' default of 64; a GenerateToken body is about 4 deep.
pub const MAX_DEPTH: usize = 64;

/// A parsed description file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document tree.
    pub value: Value,
    /// Where each node of [`Document::value`] is in the source.
    pub spans: SpanTable,
}

/// A parse failure, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
    /// Where: byte range in the source (may be empty, for a position).
    pub span: Span,
}

impl SyntaxError {
    /// The concrete fix for this kind of error in a file of `format`.
    pub fn help(&self, format: Format) -> &'static str {
        let m = self.message.as_str();
        if m.contains("anchors and aliases") {
            "write the repeated values out in full: anchors and aliases are refused because a few \
             bytes of them can expand without bound or hide what a body really contains"
        } else if m.contains("nesting is deeper") {
            "a GenerateToken body is about 4 levels deep: flatten the document"
        } else if m.contains("only one YAML document") {
            "put each document in its own file, or remove the `---` line"
        } else if m.contains("unsupported tag") || m.contains("is not a valid `!") {
            "remove the `!` tag and write the value plainly (quote it to make it a string)"
        } else if m.contains("larger than") {
            "split the file: a description file holds a handful of requests"
        } else if m.contains("UTF-8") {
            "save the file as UTF-8"
        } else if m.contains("control character") {
            "remove the character, or write it as an escape inside a double-quoted string \
             (`\"\\u0000\"`)"
        } else {
            match format {
                Format::Yaml => {
                    "fix the YAML at the marked position; quote a value that contains `: ` or `#`, \
                     or starts with `{`, `[`, `*`, `&`, `!`, `%` or `@`"
                }
                Format::Json => {
                    "fix the JSON at the marked position; strict JSON has no comments, trailing \
                     commas or single quotes, and every key is in double quotes"
                }
            }
        }
    }
}

/// The syntax of a description file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// YAML 1.2 (one document; scalars typed by the core schema).
    Yaml,
    /// Strict JSON (RFC 8259).
    Json,
}

impl Format {
    /// `Json` for a `.json` file (any case), `Yaml` for anything else.
    pub fn from_path(path: &Path) -> Format {
        match path.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Parses the bytes of a description file.
///
/// # Errors
/// A [`SyntaxError`] if the file is larger than [`MAX_FILE_BYTES`] (at `0..0`), is not UTF-8 (at
/// the first bad byte), is not valid YAML or JSON, nests deeper than [`MAX_DEPTH`], or uses YAML
/// features a description file has no use for (anchors, aliases, custom tags, several documents).
pub fn parse(bytes: &[u8], format: Format) -> Result<Document, SyntaxError> {
    parse_limited(bytes, format, MAX_FILE_BYTES)
}

/// [`parse`] with another size limit, for files known to be inventories
/// ([`MAX_INVENTORY_BYTES`]).
pub fn parse_limited(bytes: &[u8], format: Format, max: usize) -> Result<Document, SyntaxError> {
    let text = utf8(bytes, max)?;
    match format {
        Format::Yaml => {
            forbidden_control(text)?;
            yaml::parse(text)
        }
        Format::Json => json::parse(text),
    }
}

/// Parses a JSON text of at most `max` bytes into its value alone, without the spans [`parse`]
/// keeps for placing findings in a file: for a caller that reports by pointer (the gateway
/// judging a request body). Accepts and refuses exactly what [`parse`] does with
/// [`Format::Json`].
///
/// # Errors
/// As [`parse`].
pub fn parse_json_value(bytes: &[u8], max: usize) -> Result<Value, SyntaxError> {
    let text = utf8(bytes, max)?;
    json::parse_value(text)
}

/// Reads a JSON text of at most `max` bytes that is exactly a wire request entry (`caller`,
/// `path`, and optionally `name`, `method`, `headers` and `body`, each once, with plain string
/// texts and header values) without building the entry's outer [`Value`] tree: the gateway's
/// `/v1/decide` fast path. `None` for any other text, valid or not: parse that with
/// [`parse_json_value`], which gives its findings or its error. When this gives an entry, the
/// full reader gives the same entry.
pub fn parse_json_wire_entry(bytes: &[u8], max: usize) -> Option<WireEntry<'_>> {
    json::parse_wire_entry(utf8(bytes, max).ok()?)
}

/// The text of at most `max` bytes of UTF-8.
fn utf8(bytes: &[u8], max: usize) -> Result<&str, SyntaxError> {
    if bytes.len() > max {
        return Err(SyntaxError {
            message: format!("file is larger than {} MiB", max / (1024 * 1024)),
            span: Span::at(0),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let start = e.valid_up_to();
        let len = e.error_len().unwrap_or(bytes.len() - start);
        let byte = bytes.get(start).copied().unwrap_or_default();
        SyntaxError {
            message: format!("file is not valid UTF-8 (byte 0x{byte:02X})"),
            span: Span::new(start, start + len),
        }
    })
}

/// YAML allows no C0 control character other than tab, line feed and carriage return, nor DEL,
/// anywhere in a file (YAML 1.2 `c-printable`). Found first, such a byte gets a message that
/// names it, instead of whatever the scanner trips over next.
fn forbidden_control(text: &str) -> Result<(), SyntaxError> {
    match text
        .char_indices()
        .find(|(_, c)| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        None => Ok(()),
        Some((at, c)) => Err(SyntaxError {
            message: format!(
                "control character U+{:04X} is not allowed in YAML",
                u32::from(c)
            ),
            span: Span::new(at, at + c.len_utf8()),
        }),
    }
}

/// `message` with its first letter in lower case (diagnostics style), for third-party messages.
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
