//! Byte offsets to 1-based line and column.

/// Maps byte offsets of one source text to 1-based lines and 1-based columns counted in chars.
///
/// Lines end at `\n`, `\r\n` or a lone `\r` (YAML and most editors treat all three as breaks).
/// The index keeps its own copy of the text, so it can live beside the document it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    text: Box<str>,
    /// Byte offset where each line starts; the first is always 0.
    line_starts: Vec<usize>,
    /// For text that is not all ASCII: `(byte offset, chars before it)` about every
    /// [`CHAR_MARK_STRIDE`] bytes, so a column costs a short count, not a scan of the line (a
    /// minified 8 MiB file is one line, and every finding in it needs a column). Empty for ASCII
    /// text, where a byte offset is a char offset.
    char_marks: Vec<(usize, usize)>,
}

/// Bytes between two entries of [`LineIndex::char_marks`].
const CHAR_MARK_STRIDE: usize = 1024;

impl LineIndex {
    /// Indexes the lines of `src`.
    pub fn new(src: &str) -> Self {
        let bytes = src.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let is_break = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if is_break {
                line_starts.push(i + 1);
            }
        }
        let mut char_marks = Vec::new();
        if !src.is_ascii() {
            let mut chars = 0;
            let mut at = 0;
            char_marks.push((0, 0));
            while at < src.len() {
                let mut next = (at + CHAR_MARK_STRIDE).min(src.len());
                while !src.is_char_boundary(next) {
                    next += 1;
                }
                chars += src.get(at..next).map_or(0, |s| s.chars().count());
                char_marks.push((next, chars));
                at = next;
            }
        }
        LineIndex {
            text: src.into(),
            line_starts,
            char_marks,
        }
    }

    /// The number of chars before byte `offset`, which must be a char boundary.
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let mark = self
            .char_marks
            .partition_point(|&(at, _)| at <= offset)
            .saturating_sub(1);
        let (at, chars) = self.char_marks.get(mark).copied().unwrap_or((0, 0));
        chars + self.text.get(at..offset).map_or(0, |s| s.chars().count())
    }

    /// The 1-based line and 1-based column (in chars) of byte `offset`.
    ///
    /// Works for exclusive end offsets too: `offset == len` is the position after the last char.
    /// An offset past the end is clamped to the end; one inside a multi-byte char counts as that
    /// char's start.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // `line_starts[0] == 0 <= offset`, so this is at least 1.
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        (line, column)
    }

    /// The 0-based number of the line holding byte `offset` (an offset past the end counts as
    /// in the last line). `O(log lines)`, unlike [`LineIndex::line_col`], which also counts the
    /// chars of the line.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte offset where the 0-based line `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_char_columns() {
        let index = LineIndex::new("ab\nçé: x\r\nz\rw");
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(2), (1, 3)); // the `\n` itself
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(index.line_col(7), (2, 3)); // `:` after two 2-byte chars
        assert_eq!(index.line_col(8), (2, 4));
        assert_eq!(index.line_col(10), (2, 6)); // the `\r` of `\r\n`
        assert_eq!(index.line_col(11), (2, 7)); // the `\n` of `\r\n`
        assert_eq!(index.line_col(12), (3, 1));
        assert_eq!(index.line_col(14), (4, 1)); // after a lone `\r`
        assert_eq!(index.line_col(15), (4, 2)); // end of text
        assert_eq!(index.line_col(99), (4, 2)); // clamped
        assert_eq!(index.line_col(4), (2, 1)); // inside `ç`
        assert_eq!(index.line_count(), 4);
    }

    #[test]
    fn empty_text() {
        let index = LineIndex::new("");
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(5), (1, 1));
        assert_eq!(LineIndex::new("x\n").line_col(2), (2, 1));
    }

    #[test]
    fn columns_on_long_mixed_lines_match_a_plain_count() {
        // Long enough that the char marks are used, with multi-byte chars straddling a stride.
        let mut text = String::new();
        for i in 0..3_000 {
            text.push_str(["a", "é", "€", "𝄞", "\n", "\r\n", "bb"][i % 7]);
        }
        let index = LineIndex::new(&text);
        let plain = |offset: usize| {
            let mut line = 1;
            let mut column = 1;
            let bytes = text.as_bytes();
            for (i, c) in text.char_indices() {
                if i >= offset {
                    break;
                }
                let is_break = c == '\n' || (c == '\r' && bytes.get(i + 1) != Some(&b'\n'));
                if is_break {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
            (line, column)
        };
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(index.line_col(offset), plain(offset), "at byte {offset}");
        }
    }
}
