//! Byte spans for every node of a parsed document, looked up by [`Pointer`].
//!
//! The table mirrors the shape of the [`Value`](embedguard_core::value::Value) tree instead of
//! keying spans by pointer strings: a pointer repeats its whole path, so a map from pointer text
//! to span would cost the sum of all path lengths (a 4 MB key over a million array items would
//! need terabytes). A tree costs memory linear in the input.

use std::collections::HashMap;

use embedguard_core::value::Pointer;

/// Byte range in the source text (`start` inclusive, `end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`, for a position between characters.
    pub fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// Where one node is: its key (for object members) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NodeSpan {
    /// The key as written (quotes included), for a member of an object; `None` for array items
    /// and the root.
    pub key: Option<Span>,
    /// The value. For a collection, from its opening token (or first entry) to its closing token
    /// (or last entry).
    pub value: Span,
}

/// The spans of every node of one document, found by [`Pointer`].
///
/// Like [`Pointer::resolve`], a key that occurs twice in one object resolves to its first
/// occurrence; [`SpanTable::member_spans`] lists every member, duplicates included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanTable {
    root: NodeSpan,
    tree: SpanTree,
}

impl SpanTable {
    pub(super) fn new(root: Span, tree: SpanTree) -> Self {
        SpanTable {
            root: NodeSpan {
                key: None,
                value: root,
            },
            tree,
        }
    }

    /// The span of the node at `pointer`, or `None` if the document has no such node.
    pub fn get(&self, pointer: &Pointer) -> Option<&NodeSpan> {
        self.find(pointer).map(|(span, _)| span)
    }

    /// The span of the node at `pointer`, and whether that node is an object or an array.
    pub fn node(&self, pointer: &Pointer) -> Option<(&NodeSpan, bool)> {
        self.find(pointer)
            .map(|(span, tree)| (span, !matches!(tree, SpanTree::Scalar)))
    }

    /// The key and value spans of each member of the object at `object`, in source order
    /// (index `i` is the `i`-th member of the [`Value::Object`](embedguard_core::value::Value)),
    /// duplicate keys included. `None` if there is no object at `object`.
    pub fn member_spans(&self, object: &Pointer) -> Option<&[NodeSpan]> {
        match self.find(object)? {
            (_, SpanTree::Object(object)) => Some(&object.members.spans),
            _ => None,
        }
    }

    fn find(&self, pointer: &Pointer) -> Option<(&NodeSpan, &SpanTree)> {
        let mut node = (&self.root, &self.tree);
        for token in pointer.tokens() {
            node = match node.1 {
                SpanTree::Object(object) => {
                    object.members.get(*object.first.get(token.as_str())?)?
                }
                // Same index syntax as `Pointer::resolve`, so both agree on every pointer.
                SpanTree::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                SpanTree::Scalar => return None,
            };
        }
        Some(node)
    }
}

/// The span structure below one node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) enum SpanTree {
    /// A scalar: nothing below it.
    #[default]
    Scalar,
    /// An array's items.
    Array(Children),
    /// An object's members.
    Object(ObjectChildren),
}

/// The spans and subtrees of an array's items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Children {
    spans: Vec<NodeSpan>,
    children: Vec<SpanTree>,
}

impl Children {
    /// Appends the next item.
    pub(super) fn push(&mut self, span: NodeSpan, tree: SpanTree) {
        self.spans.push(span);
        self.children.push(tree);
    }

    fn get(&self, index: usize) -> Option<(&NodeSpan, &SpanTree)> {
        Some((self.spans.get(index)?, self.children.get(index)?))
    }
}

/// The spans and subtrees of an object's members, with the first index of each key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct ObjectChildren {
    members: Children,
    first: HashMap<String, usize>,
}

impl ObjectChildren {
    /// Appends the next member. A repeated key keeps pointing at its first occurrence.
    pub(super) fn push(&mut self, key: &str, span: NodeSpan, tree: SpanTree) {
        if self.first.contains_key(key) {
            // A repeated key can never be reached by a pointer: keep its span, not its subtree.
            self.members.push(span, SpanTree::Scalar);
        } else {
            self.first.insert(key.to_string(), self.members.spans.len());
            self.members.push(span, tree);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(start: usize, end: usize) -> NodeSpan {
        NodeSpan {
            key: None,
            value: Span::new(start, end),
        }
    }

    fn member(key: (usize, usize), value: (usize, usize)) -> NodeSpan {
        NodeSpan {
            key: Some(Span::new(key.0, key.1)),
            value: Span::new(value.0, value.1),
        }
    }

    #[test]
    fn finds_nodes_by_pointer_and_first_duplicate() {
        // {"a": [1, {"b~/": 2}], "a": 3}
        let mut inner = ObjectChildren::default();
        inner.push("b~/", member((14, 20), (22, 23)), SpanTree::Scalar);
        let mut array = Children::default();
        array.push(leaf(7, 8), SpanTree::Scalar);
        array.push(leaf(10, 24), SpanTree::Object(inner));
        let mut root = ObjectChildren::default();
        root.push("a", member((1, 4), (6, 25)), SpanTree::Array(array));
        root.push("a", member((27, 30), (32, 33)), SpanTree::Scalar);
        let table = SpanTable::new(Span::new(0, 34), SpanTree::Object(root));

        assert_eq!(table.get(&Pointer::root()), Some(&leaf(0, 34)));
        let a = Pointer::root().key("a");
        assert_eq!(table.get(&a), Some(&member((1, 4), (6, 25))));
        assert_eq!(
            table.get(&a.index(1).key("b~/")),
            Some(&member((14, 20), (22, 23)))
        );
        assert_eq!(table.get(&a.index(2)), None);
        assert_eq!(table.get(&a.index(0).key("x")), None);
        assert_eq!(table.get(&Pointer::root().key("b")), None);
        let members = table
            .member_spans(&Pointer::root())
            .map(<[NodeSpan]>::to_vec);
        assert_eq!(
            members,
            Some(vec![member((1, 4), (6, 25)), member((27, 30), (32, 33))])
        );
        assert_eq!(table.member_spans(&a), None);
    }

    #[test]
    fn converts_to_miette_spans() {
        let span: miette::SourceSpan = Span::new(3, 7).into();
        assert_eq!((span.offset(), span.len()), (3, 4));
    }
}
