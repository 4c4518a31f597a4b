//! Folds structurally identical inline types into one: `order: asc | desc` on the list
//! operations is one `ListOrder`, not a `…ListParamsOrder` enum each. The folded type is named
//! after the words its members' names share at the start and at the end; types the spec names
//! (component schemas) and operations' parameters are never folded, and a group whose members
//! share too little to make a name stays as it is.

use super::names;
use crate::ir::{Operation, ResponseKind, TypeDef, TypeKind, TypeRef, Webhook};
use std::collections::{BTreeMap, BTreeSet};

/// Everything that names types, to rename folded ones in.
pub(super) struct Folding<'a> {
    pub types: &'a mut Vec<TypeDef>,
    pub operations: &'a mut [Operation],
    pub webhooks: &'a mut [Webhook],
    /// Names of the types component schemas became.
    pub components: &'a BTreeSet<String>,
}

impl Folding<'_> {
    /// Folds until nothing is left to fold (a struct's fields become identical once the enums
    /// they hold are folded).
    pub fn run(&mut self) {
        for _ in 0..8 {
            let renames = self.renames();
            if renames.is_empty() {
                return;
            }
            self.apply(&renames);
        }
    }

    /// Old name → folded name, for every group of identical inline types that can be named.
    fn renames(&self) -> BTreeMap<String, String> {
        let mut groups: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
        for def in self.types.iter() {
            if let Some(key) = self.key(def) {
                groups.entry(key).or_default().push(def);
            }
        }
        let mut taken: BTreeSet<String> = self.types.iter().map(|t| t.name.clone()).collect();
        let mut out = BTreeMap::new();
        for members in groups.values().filter(|m| m.len() >= 2) {
            let Some(name) = self.name(members, &taken) else {
                continue;
            };
            taken.insert(name.clone());
            for m in members {
                out.insert(m.name.clone(), name.clone());
            }
        }
        out
    }

    /// What must be equal for two types to be one: an inline enum's values (its default may
    /// differ: the folded one then has none), or an inline struct's fields (docs aside). `None`
    /// for types that are not folded.
    fn key(&self, def: &TypeDef) -> Option<String> {
        if self.components.contains(&def.name) {
            return None;
        }
        match &def.kind {
            TypeKind::Enum(e) => Some(format!(
                "enum {:?} {} {:?}",
                e.variants.iter().map(|v| &v.value).collect::<Vec<_>>(),
                e.open,
                e.includes
            )),
            // An operation's parameters stay its own, however alike two operations' are.
            TypeKind::Struct(_) if def.pointer.starts_with("#/paths/") => None,
            TypeKind::Struct(s) => Some(format!(
                "struct {:?}",
                s.fields
                    .iter()
                    .map(|f| (&f.wire, &f.ty, f.required, f.nullable))
                    .collect::<Vec<_>>()
            )),
            _ => None,
        }
    }

    /// The name of a group: the words all members' names start with, then the words they all
    /// end with (`RealtimeBetaResponseStatus`, `RealtimeResponseStatus` → `RealtimeResponseStatus`);
    /// `Params` is left out (`…ListParamsOrder` → `ListOrder`). At least
    /// two words, and free; else the end words alone; else `None`.
    fn name(&self, members: &[&TypeDef], taken: &BTreeSet<String>) -> Option<String> {
        let words: Vec<Vec<&str>> = members.iter().map(|m| names::words(&m.name)).collect();
        let shortest = words.iter().map(Vec::len).min()?;
        let shared = |at: &dyn Fn(&Vec<&str>, usize) -> String| {
            (0..shortest)
                .take_while(|i| words.iter().all(|w| at(w, *i) == at(&words[0], *i)))
                .count()
        };
        let end = shared(&|w, i| w[w.len() - 1 - i].to_owned());
        let start = shared(&|w, i| w[i].to_owned()).min(shortest - end);
        if end == 0 {
            return None;
        }
        let first = &words[0];
        let mut tail: Vec<&str> = first[first.len() - end..].to_vec();
        // `Params` is the operation's, not the type's (`…ListParamsOrder`).
        let last = tail.pop()?;
        tail.retain(|w| *w != "Params");
        tail.push(last);
        let mut head = first[..start].concat();
        if start == 0 && tail.len() == 1 {
            // One word is too vague a name (`Order`): add the word most members have before it,
            // if most have the same (`…ListParamsOrder` → `ListOrder`).
            let before = words.iter().filter_map(|w| {
                w[..w.len() - end]
                    .iter()
                    .rev()
                    .find(|word| **word != "Params")
            });
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            before.for_each(|word| *counts.entry(word).or_default() += 1);
            if let Some((word, n)) = counts.into_iter().max_by_key(|(_, n)| *n)
                && n * 2 > members.len()
            {
                head = word.to_owned();
            }
        }
        let tail = tail.concat();
        let is_free = |name: &String| {
            names::words(name).len() >= 2
                && (members.iter().any(|m| &m.name == name) || !taken.contains(name))
        };
        [format!("{head}{tail}"), tail].into_iter().find(is_free)
    }

    fn apply(&mut self, renames: &BTreeMap<String, String>) {
        let mut folded: BTreeMap<String, TypeDef> = BTreeMap::new();
        let mut docs: BTreeMap<String, Vec<crate::ir::Docs>> = BTreeMap::new();
        let mut defaults: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
        let types = std::mem::take(self.types);
        for mut def in types {
            match renames.get(&def.name) {
                Some(new) => {
                    docs.entry(new.clone()).or_default().push(def.docs.clone());
                    if let TypeKind::Enum(e) = &def.kind {
                        let value = e.default.map(|i| e.variants[i].value.clone());
                        defaults.entry(new.clone()).or_default().insert(value);
                    }
                    folded.entry(new.clone()).or_insert_with(|| {
                        def.name = new.clone();
                        def.module = names::field_name(new);
                        def
                    });
                }
                None => self.types.push(def),
            }
        }
        for (name, mut def) in folded {
            def.docs = most_common(docs.remove(&name).unwrap_or_default());
            if let TypeKind::Enum(e) = &mut def.kind
                && defaults.get(&name).is_some_and(|d| d.len() > 1)
            {
                e.default = None;
            }
            self.types.push(def);
        }
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        for def in self.types.iter_mut() {
            match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| rename(&mut f.ty, renames)),
                TypeKind::Union(u) => u
                    .variants
                    .iter_mut()
                    .for_each(|v| rename(&mut v.ty, renames)),
                TypeKind::Alias(ty) => rename(ty, renames),
                TypeKind::Enum(_) => {}
            }
        }
        for op in self.operations.iter_mut() {
            if let Some(q) = &mut op.query
                && let Some(new) = renames.get(q)
            {
                *q = new.clone();
            }
            if let Some((_, body)) = &mut op.body {
                rename(body, renames);
            }
            if let ResponseKind::Json(ty) = &mut op.response {
                rename(ty, renames);
            }
            if let Some(s) = &mut op.streaming {
                rename(&mut s.event, renames);
            }
        }
        for w in self.webhooks.iter_mut() {
            rename(&mut w.payload, renames);
        }
    }
}

/// The docs most members had (the first of them on a tie), so a folded type keeps a description
/// that fits it.
fn most_common(docs: Vec<crate::ir::Docs>) -> crate::ir::Docs {
    let count = |d: &crate::ir::Docs| docs.iter().filter(|e| *e == d).count();
    let best = docs.iter().map(count).max().unwrap_or(0);
    docs.iter()
        .find(|d| count(d) == best)
        .cloned()
        .unwrap_or_default()
}

fn rename(ty: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(n) => {
            if let Some(new) = renames.get(n) {
                *n = new.clone();
            }
        }
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) | TypeRef::Boxed(t) => {
            rename(t, renames)
        }
        _ => {}
    }
}
