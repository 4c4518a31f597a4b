//! Breaks infinitely sized types: a struct field or union variant that holds (not through a
//! `Vec` or map) a type which holds the first one again gets a `Box`.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Names held inline (not behind a `Vec`, map or `Box`) by a type reference.
fn inline_names<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Nullable(inner) => inline_names(inner, out),
        _ => {}
    }
}

fn refs_of(def: &TypeDef) -> Vec<&str> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| inline_names(&f.ty, &mut out)),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .for_each(|v| inline_names(&v.ty, &mut out)),
        TypeKind::Alias(ty) => inline_names(ty, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Strongly connected components (Tarjan), as a component id per type name.
fn components(types: &[TypeDef]) -> BTreeMap<&str, usize> {
    struct State<'a> {
        edges: BTreeMap<&'a str, Vec<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        comp: BTreeMap<&'a str, usize>,
        next: usize,
        comps: usize,
    }
    fn visit<'a>(st: &mut State<'a>, v: &'a str) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        for w in st.edges.get(v).cloned().unwrap_or_default() {
            if !st.edges.contains_key(w) {
                continue;
            }
            if !st.index.contains_key(w) {
                visit(st, w);
                let lw = st.low[w];
                let lv = st.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if st.on_stack.contains(w) {
                let iw = st.index[w];
                let lv = st.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if st.low[v] == st.index[v] {
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                st.comp.insert(w, st.comps);
                if w == v {
                    break;
                }
            }
            st.comps += 1;
        }
    }
    let edges = types
        .iter()
        .map(|t| (t.name.as_str(), refs_of(t)))
        .collect();
    let mut st = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        comp: BTreeMap::new(),
        next: 0,
        comps: 0,
    };
    for t in types {
        if !st.index.contains_key(t.name.as_str()) {
            visit(&mut st, &t.name);
        }
    }
    st.comp
}

fn box_in(ty: &mut TypeRef, cycle: &dyn Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(n) if cycle(n) => *ty = TypeRef::Boxed(Box::new(ty.clone())),
        TypeRef::Nullable(inner) => box_in(inner, cycle),
        _ => {}
    }
}

pub fn box_cycles(types: &mut [TypeDef]) {
    let comp: BTreeMap<String, usize> = components(types)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    for def in types.iter_mut() {
        let own = comp[&def.name];
        let same = |n: &str| comp.get(n) == Some(&own);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_in(&mut f.ty, &same)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_in(&mut v.ty, &same)),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}
