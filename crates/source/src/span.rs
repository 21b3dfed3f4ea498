//! Byte spans for every node of a parsed document, looked up by [`Pointer`].
//!
//! The table mirrors the shape of the [`Value`](embedguard_core::value::Value) tree instead of
//! keying spans by pointer strings: a pointer repeats its whole path, so a map from pointer text
//! to span would cost the sum of all path lengths (a 4 MB key over a million array items would
//! need terabytes). A tree costs memory linear in the input.

use std::collections::HashMap;
use std::sync::OnceLock;

use embedguard_core::value::{Member, Pointer, Value};

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

/// The spans of every node of one document, found by [`Pointer`] together with the document's
/// [`Value`] tree, whose keys it does not copy.
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

    /// The span of the node at `pointer` in `root` (the tree this table was parsed with), or
    /// `None` if the document has no such node.
    pub fn get(&self, root: &Value, pointer: &Pointer) -> Option<&NodeSpan> {
        self.find(root, pointer).map(|(span, _)| span)
    }

    /// The span of the node at `pointer` in `root`, and whether that node is an object or an
    /// array.
    pub fn node(&self, root: &Value, pointer: &Pointer) -> Option<(&NodeSpan, bool)> {
        self.find(root, pointer)
            .map(|(span, tree)| (span, !matches!(tree, SpanTree::Scalar)))
    }

    /// The key and value spans of each member of the object at `object`, in source order
    /// (index `i` is the `i`-th member of the [`Value::Object`](embedguard_core::value::Value)),
    /// duplicate keys included. `None` if there is no object at `object`.
    pub fn member_spans(&self, root: &Value, object: &Pointer) -> Option<&[NodeSpan]> {
        match self.find(root, object)? {
            (_, SpanTree::Object(object)) => Some(&object.members.spans),
            _ => None,
        }
    }

    fn find(&self, root: &Value, pointer: &Pointer) -> Option<(&NodeSpan, &SpanTree)> {
        let mut node = (&self.root, &self.tree, root);
        for token in pointer.tokens() {
            node = match (node.1, node.2) {
                (SpanTree::Object(object), Value::Object(members)) => {
                    let i = object.first(members, &token)?;
                    let (span, tree) = object.members.get(i)?;
                    (span, tree, &members.get(i)?.value)
                }
                // Same index syntax as `Pointer::resolve`, so both agree on every pointer.
                (SpanTree::Array(items), Value::Array(values)) => {
                    let i = token.parse::<usize>().ok()?;
                    let (span, tree) = items.get(i)?;
                    (span, tree, values.get(i)?)
                }
                _ => return None,
            };
        }
        Some((node.0, node.1))
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

/// Objects with more members than this get a key index when first searched.
const INDEXED_OBJECT: usize = 16;

/// The spans and subtrees of an object's members. Keys are the [`Value`] tree's: an index of
/// them is built only when a finding looks into a large object, so parsing copies and hashes no
/// key (that was a sixth of parsing every request).
#[derive(Debug, Clone, Default)]
pub(super) struct ObjectChildren {
    members: Children,
    /// For objects of more than [`INDEXED_OBJECT`] members: each key's first member.
    index: OnceLock<HashMap<Box<str>, usize, foldhash::fast::RandomState>>,
}

impl PartialEq for ObjectChildren {
    fn eq(&self, other: &Self) -> bool {
        self.members == other.members
    }
}

impl Eq for ObjectChildren {}

impl ObjectChildren {
    /// Appends the next member.
    pub(super) fn push(&mut self, span: NodeSpan, tree: SpanTree) {
        self.members.push(span, tree);
    }

    /// The index of the first of `members` (this object's, from the value tree) named `key`.
    fn first(&self, members: &[Member], key: &str) -> Option<usize> {
        if members.len() <= INDEXED_OBJECT {
            return members.iter().position(|m| m.key == key);
        }
        self.index
            .get_or_init(|| {
                let mut index =
                    HashMap::with_capacity_and_hasher(members.len(), Default::default());
                for (i, m) in members.iter().enumerate().rev() {
                    index.insert(m.key.as_str().into(), i);
                }
                index
            })
            .get(key)
            .copied()
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

    fn entry(key: &str, value: Value) -> Member {
        Member {
            key: key.into(),
            value,
        }
    }

    #[test]
    fn finds_nodes_by_pointer_and_first_duplicate() {
        // {"a": [1, {"b~/": 2}], "a": 3}
        let number = |n: i64| Value::Number(embedguard_core::value::Number::from_i64(n));
        let value = Value::Object(vec![
            entry(
                "a",
                Value::Array(vec![
                    number(1),
                    Value::Object(vec![entry("b~/", number(2))]),
                ]),
            ),
            entry("a", number(3)),
        ]);
        let mut inner = ObjectChildren::default();
        inner.push(member((14, 20), (22, 23)), SpanTree::Scalar);
        let mut array = Children::default();
        array.push(leaf(7, 8), SpanTree::Scalar);
        array.push(leaf(10, 24), SpanTree::Object(inner));
        let mut root = ObjectChildren::default();
        root.push(member((1, 4), (6, 25)), SpanTree::Array(array));
        root.push(member((27, 30), (32, 33)), SpanTree::Scalar);
        let table = SpanTable::new(Span::new(0, 34), SpanTree::Object(root));

        let get = |p: &Pointer| table.get(&value, p);
        assert_eq!(get(&Pointer::root()), Some(&leaf(0, 34)));
        let a = Pointer::root().key("a");
        assert_eq!(get(&a), Some(&member((1, 4), (6, 25))));
        assert_eq!(
            get(&a.index(1).key("b~/")),
            Some(&member((14, 20), (22, 23)))
        );
        assert_eq!(get(&a.index(2)), None);
        assert_eq!(get(&a.index(0).key("x")), None);
        assert_eq!(get(&Pointer::root().key("b")), None);
        let members = table
            .member_spans(&value, &Pointer::root())
            .map(<[NodeSpan]>::to_vec);
        assert_eq!(
            members,
            Some(vec![member((1, 4), (6, 25)), member((27, 30), (32, 33))])
        );
        assert_eq!(table.member_spans(&value, &a), None);
    }

    #[test]
    fn large_objects_are_indexed_on_first_lookup() {
        let keys: Vec<String> = (0..100).map(|i| format!("k{}", i % 60)).collect();
        let value = Value::Object(keys.iter().map(|k| entry(k, Value::Null)).collect());
        let mut root = ObjectChildren::default();
        for i in 0..keys.len() {
            root.push(member((i, i + 1), (i, i + 1)), SpanTree::Scalar);
        }
        let table = SpanTable::new(Span::new(0, 100), SpanTree::Object(root));
        // `k5` is members 5 and 65: the first one is found.
        assert_eq!(
            table.get(&value, &Pointer::root().key("k5")),
            Some(&member((5, 6), (5, 6)))
        );
        assert_eq!(table.get(&value, &Pointer::root().key("k60")), None);
    }

    #[test]
    fn converts_to_miette_spans() {
        let span: miette::SourceSpan = Span::new(3, 7).into();
        assert_eq!((span.offset(), span.len()), (3, 4));
    }
}
