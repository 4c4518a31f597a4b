//! Where an operation sits in the official SDKs' hierarchy (`client.beta.threads.runs.list`).
//!
//! The spec's Python snippets name the official call, but a snippet may make several calls (list
//! to find an id, then retrieve it), so the call taken is the one that fits the operation: its
//! HTTP verb, its path parameters, its resource path. Without a snippet, the path gives the call
//! by the official SDKs' conventions.

use super::examples::{PythonCall, Signature};
use super::names;
use super::type_name;
use crate::warning::{Warning, WarningKind};
use std::collections::{BTreeMap, BTreeSet};

/// The call for an operation without an official-SDK snippet, from its path: static segments are
/// resources; the method name follows the official SDKs' conventions. A static segment after a
/// parameter is a sub-collection (`/projects/{id}/users`: `list`, `create`) when `collection`
/// says so, else an action on the item (`/batches/{id}/cancel`: `cancel`).
pub fn derived(method: &str, path: &str, collection: bool) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let on_item = segments.last().is_some_and(|s| s.starts_with('{'));
    let mut call: Vec<String> = segments
        .iter()
        .filter(|s| !s.starts_with('{'))
        .map(|s| names::field_name(s))
        .collect();
    let action = !collection
        && segments.len() >= 2
        && !on_item
        && segments[segments.len() - 2].starts_with('{');
    if !action {
        call.push(verb(method, on_item).to_owned());
    }
    call
}

/// The official SDKs' method name for a plain operation on a collection or one of its items.
fn verb(method: &str, on_item: bool) -> &'static str {
    match (method, on_item) {
        ("get", true) => "retrieve",
        ("get", false) => "list",
        ("delete", _) => "delete",
        ("post", true) | ("put", _) | ("patch", _) => "update",
        _ => "create",
    }
}

/// Method names that say another HTTP verb than `method` does (`create` for a GET).
fn contradicts(method: &str, name: &str) -> bool {
    let other: &[&str] = match method {
        "get" => &["create", "update", "delete", "del", "cancel"],
        "delete" => &["create", "update", "list", "retrieve"],
        "post" => &["list", "retrieve", "delete", "del"],
        _ => &["list", "retrieve", "delete", "del", "create"],
    };
    other.contains(&name)
}

/// How well a snippet's call fits the operation: path parameters it passes count most, then a
/// method name the verb and path give, then resources named in the path; a name that says another
/// verb counts against it.
fn score(call: &PythonCall, sig: &Signature) -> i32 {
    let Some((name, resources)) = call.call.split_last() else {
        return i32::MIN;
    };
    let statics: Vec<String> = sig
        .path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(names::field_name)
        .collect();
    let by_name = sig
        .path_params
        .iter()
        .filter(|p| call.named.contains_key(**p))
        .count();
    let params = by_name.max(call.positional.len().min(sig.path_params.len()));
    let mut score = 4 * params as i32;
    score += resources.iter().filter(|r| statics.contains(r)).count() as i32;
    if sig.derived.last() == Some(name) {
        score += 2;
    }
    if contradicts(sig.method, name) {
        score -= 4;
    }
    score
}

/// The snippet call that is this operation: the best fit, the first of equals.
pub fn best(calls: Vec<PythonCall>, sig: &Signature) -> Option<PythonCall> {
    let mut best: Option<(i32, PythonCall)> = None;
    for call in calls {
        let s = score(&call, sig);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, call));
        }
    }
    best.map(|(_, call)| call)
}

/// An operation as naming sees it.
pub struct Site {
    /// JSON pointer of the operation.
    pub pointer: String,
    pub id: String,
    /// The call its snippet makes, else the one its path gives.
    pub call: Vec<String>,
    /// The call its path gives.
    pub derived: Vec<String>,
}

/// The final call of each site, in order. Two operations never share a call: of those that
/// would, the one whose path gives that call keeps it and the others are named from their
/// `operationId`. A method never shares its name with a resource beside it, and no two resources
/// share a Rust name. Each rename is a warning.
pub fn assign(sites: &[Site], warnings: &mut Vec<Warning>) -> Vec<Vec<String>> {
    let mut calls: Vec<Vec<String>> = sites.iter().map(|s| s.call.clone()).collect();
    let mut by_call: BTreeMap<&[String], Vec<usize>> = BTreeMap::new();
    for (i, site) in sites.iter().enumerate() {
        by_call.entry(&site.call).or_default().push(i);
    }
    let mut renamed = Vec::new();
    for (call, group) in &by_call {
        if group.len() < 2 {
            continue;
        }
        let owners: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| sites[i].derived.as_slice() == *call)
            .collect();
        let keeper = (owners.len() == 1).then(|| owners[0]);
        renamed.extend(group.iter().copied().filter(|&i| Some(i) != keeper));
    }
    // A method named like a resource beside it (`files.content` and `files.content.retrieve`).
    let resources: BTreeSet<&[String]> = sites
        .iter()
        .flat_map(|s| (1..s.call.len()).map(|n| &s.call[..n]))
        .collect();
    for (i, site) in sites.iter().enumerate() {
        if resources.contains(site.call.as_slice()) && !renamed.contains(&i) {
            renamed.push(i);
        }
    }
    renamed.sort();
    let mut taken: BTreeSet<Vec<String>> = calls
        .iter()
        .enumerate()
        .filter(|(i, _)| !renamed.contains(i))
        .map(|(_, c)| c.clone())
        .collect();
    for i in renamed {
        let site = &sites[i];
        let mut call = site.call.clone();
        let base = names::field_name(&site.id);
        let mut n = 1;
        loop {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            *call.last_mut().expect("a call has a name") = name;
            if !resources.contains(call.as_slice()) && taken.insert(call.clone()) {
                break;
            }
            n += 1;
        }
        warnings.push(Warning::new(
            WarningKind::MethodName,
            &site.pointer,
            format!(
                "`client.{}` names another operation or a resource too; this one is `client.{}` (from its operationId)",
                site.call.join("."),
                call.join(".")
            ),
        ));
        calls[i] = call;
    }
    distinct_resources(&mut calls, sites, warnings);
    calls
}

/// Resource paths whose Rust names clash (`fine_tuning.jobs` and `fine.tuning_jobs` are both
/// `FineTuningJobs`): the later path's last segment gets a number.
fn distinct_resources(calls: &mut [Vec<String>], sites: &[Site], warnings: &mut Vec<Warning>) {
    let struct_name = |path: &[String]| path.iter().map(|s| type_name(s)).collect::<String>();
    let paths: BTreeSet<Vec<String>> = calls
        .iter()
        .flat_map(|c| (1..c.len()).map(|n| c[..n].to_vec()))
        .collect();
    let mut owner: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut moves: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for path in paths {
        let mut path_now = path.clone();
        // Parents renamed first (paths are sorted), so this path follows its parent.
        if let Some(parent) = moves.get(&path[..path.len() - 1]) {
            path_now.splice(..parent.len(), parent.iter().cloned());
        }
        let mut n = 1;
        loop {
            let name = struct_name(&path_now);
            match owner.get(&name) {
                Some(other) if *other != path_now => {
                    n += 1;
                    let last = path.last().expect("a resource path is not empty");
                    *path_now.last_mut().expect("not empty") = format!("{last}{n}");
                }
                _ => {
                    owner.insert(name, path_now.clone());
                    break;
                }
            }
        }
        if path_now != path {
            moves.insert(path, path_now);
        }
    }
    for (call, site) in calls.iter_mut().zip(sites) {
        let Some((from, to)) = moves
            .iter()
            .filter(|(from, _)| call.starts_with(from))
            .max_by_key(|(from, _)| from.len())
        else {
            continue;
        };
        let old = call.join(".");
        call.splice(..from.len(), to.iter().cloned());
        warnings.push(Warning::new(
            WarningKind::TypeName,
            &site.pointer,
            format!(
                "resource `{}` gets the Rust name of another; `client.{old}` is `client.{}`",
                from.join("."),
                call.join(".")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::examples::python_calls;

    #[test]
    fn paths_name_the_rest() {
        assert_eq!(
            derived("get", "/audio/voice_consents", false),
            ["audio", "voice_consents", "list"]
        );
        assert_eq!(
            derived("post", "/audio/voice_consents/{consent_id}", false),
            ["audio", "voice_consents", "update"]
        );
        assert_eq!(
            derived("delete", "/audio/voice_consents/{consent_id}", false),
            ["audio", "voice_consents", "delete"]
        );
        assert_eq!(
            derived("post", "/batches/{batch_id}/cancel", false),
            ["batches", "cancel"]
        );
        assert_eq!(
            derived("post", "/realtime/translations/client_secrets", false),
            ["realtime", "translations", "client_secrets", "create"]
        );
        // A sub-collection lists and creates; it is not an action named after itself.
        assert_eq!(
            derived("get", "/projects/{project_id}/users", true),
            ["projects", "users", "list"]
        );
        assert_eq!(
            derived("post", "/projects/{project_id}/users", true),
            ["projects", "users", "create"]
        );
    }

    fn sig<'a>(method: &'a str, path: &'a str, params: Vec<&'a str>) -> Signature<'a> {
        let collection = method == "get" && path.ends_with("messages");
        Signature {
            method,
            path,
            derived: derived(method, path, collection),
            path_params: params,
            query: vec![],
        }
    }

    #[test]
    fn the_call_that_is_the_operation() {
        // The snippet lists first to find an id, then makes the call that is the operation.
        let snippet = "completions = client.chat.completions.list()\nfirst_id = completions[0].id\n\
                       c = client.chat.completions.retrieve(completion_id=first_id)\n\
                       m = client.chat.completions.messages.list(\"abc\")";
        let pick = |method, path, params| {
            best(python_calls(snippet), &sig(method, path, params))
                .unwrap()
                .call
                .join(".")
        };
        let id = vec!["completion_id"];
        assert_eq!(
            pick("get", "/chat/completions/{completion_id}", id.clone()),
            "chat.completions.retrieve"
        );
        assert_eq!(
            pick("get", "/chat/completions", vec![]),
            "chat.completions.list"
        );
        assert_eq!(
            pick("get", "/chat/completions/{completion_id}/messages", id),
            "chat.completions.messages.list"
        );
        // One call: that one, whatever its name.
        let one = python_calls("client.files.content(\"file-abc\")");
        assert_eq!(
            best(
                one,
                &sig("get", "/files/{file_id}/content", vec!["file_id"])
            )
            .unwrap()
            .call,
            ["files", "content"]
        );
    }

    fn site(id: &str, call: &str, derived: &str) -> Site {
        let split = |c: &str| c.split('.').map(str::to_owned).collect();
        Site {
            pointer: format!("#/paths/{id}"),
            id: id.to_owned(),
            call: split(call),
            derived: split(derived),
        }
    }

    #[test]
    fn clashes_fall_back_to_operation_ids() {
        let mut warnings = Vec::new();
        let sites = [
            site("listThings", "things.list", "things.list"),
            site("listThingsToo", "things.list", "things.stuff.list"),
            site("content", "files.content", "files.content"),
            site(
                "contentGet",
                "files.content.retrieve",
                "files.content.retrieve",
            ),
            site("a", "fine_tuning.jobs.list", "fine_tuning.jobs.list"),
            site("b", "fine.tuning_jobs.list", "fine.tuning_jobs.list"),
        ];
        let calls: Vec<String> = assign(&sites, &mut warnings)
            .iter()
            .map(|c| c.join("."))
            .collect();
        assert_eq!(
            calls,
            [
                "things.list",
                "things.list_things_too",
                "files.content2",
                "files.content.retrieve",
                "fine_tuning.jobs2.list",
                "fine.tuning_jobs.list",
            ]
        );
        let kinds: Vec<WarningKind> = warnings.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                WarningKind::MethodName,
                WarningKind::MethodName,
                WarningKind::TypeName
            ]
        );
    }
}
