//! Union decoding: the single pass taken when a tag picks one struct variant gives the same
//! values as the `Value` path, whatever the key order, and nothing is lost on the way.

use openai_sdk::types::{OutputItem, Response};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn decode<T: DeserializeOwned>(json: &str) -> T {
    openai_sdk::json::from_str(json).expect("decodes")
}

/// Decoded from a `serde_json::Value`: the map access lenient decoding uses.
fn decode_via_value<T: DeserializeOwned>(json: &str) -> T {
    let v: Value = serde_json::from_str(json).unwrap();
    T::deserialize(&v).expect("decodes from a Value")
}

/// A function call item with its keys in `order` (`serde_json::Value` would sort them).
fn function_call(order: &[&str], change: impl Fn(&mut Value)) -> String {
    let mut all = json!({
        "id": "fc_1",
        "type": "function_call",
        "call_id": "call_1",
        "name": "get_weather",
        "arguments": "{\"city\":\"Paris\"}",
        "status": "completed",
        "zz_new": {"nested": [1, "two"]},
    });
    change(&mut all);
    let members: Vec<String> = order
        .iter()
        .filter(|k| all.get(**k).is_some())
        .map(|k| format!("{:?}:{}", k, all[*k]))
        .collect();
    format!("{{{}}}", members.join(","))
}

const ID_FIRST: &[&str] = &[
    "id",
    "type",
    "call_id",
    "name",
    "arguments",
    "status",
    "zz_new",
];

#[test]
fn the_tag_picks_the_variant_wherever_it_is() {
    let orders: [&[&str]; 4] = [
        &[
            "type",
            "id",
            "call_id",
            "name",
            "arguments",
            "status",
            "zz_new",
        ],
        ID_FIRST,
        // The SDK's deserializer finds the tag ahead wherever it is. Others (serde_json's, a
        // `Value`) replay the scalars before the tag, or take the `Value` path after an object.
        &[
            "id",
            "call_id",
            "name",
            "arguments",
            "status",
            "type",
            "zz_new",
        ],
        &[
            "zz_new",
            "id",
            "call_id",
            "name",
            "arguments",
            "status",
            "type",
        ],
    ];
    let mut first = None;
    for order in orders {
        let text = function_call(order, |_| {});
        let item: OutputItem = decode(&text);
        let OutputItem::FunctionCall(call) = &item else {
            panic!("{order:?}: {item:?}");
        };
        assert_eq!(call.id.as_deref(), Some("fc_1"));
        assert_eq!(call.name, "get_weather");
        assert_eq!(
            call.extra.value("zz_new").unwrap(),
            json!({"nested": [1, "two"]})
        );
        assert_eq!(item, decode_via_value::<OutputItem>(&text), "{order:?}");
        assert_eq!(item, serde_json::from_str(&text).unwrap(), "{order:?}");
        let back = serde_json::to_value(&item).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(&text).unwrap());
        assert_eq!(
            first.get_or_insert_with(|| item.clone()),
            &item,
            "{order:?}"
        );
    }
}

#[test]
fn an_unknown_tag_keeps_the_whole_object() {
    for tag in ["zz_new_item", ""] {
        let text = function_call(ID_FIRST, |v| v["type"] = json!(tag));
        let item: OutputItem = decode(&text);
        assert_eq!(
            item,
            OutputItem::Unknown(serde_json::from_str(&text).unwrap())
        );
    }
}

#[test]
fn a_field_of_the_wrong_kind_in_a_tagged_variant_loses_nothing() {
    // Whether the single pass (tag first) or the `Value` path (an object before the tag) reads it.
    for order in [
        ID_FIRST,
        &["arguments", "id", "type", "call_id", "name", "status"],
    ] {
        let text = function_call(order, |v| v["arguments"] = json!({"city": "Paris"}));
        let item: OutputItem = decode(&text);
        let OutputItem::FunctionCall(call) = &item else {
            panic!("{item:?}");
        };
        assert_eq!(call.name, "get_weather");
        assert_eq!(call.arguments, "");
        assert_eq!(
            call.extra.value("arguments").unwrap(),
            json!({"city": "Paris"})
        );
        let back = serde_json::to_value(&item).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(&text).unwrap());
    }
}

#[test]
fn a_whole_response_decodes_the_same_both_ways() {
    let items: Vec<String> = (0..3)
        .flat_map(|i| {
            [
                format!(r#"{{"id":"rs_{i}","type":"reasoning","summary":[{{"type":"summary_text","text":"Thinking."}}]}}"#),
                function_call(ID_FIRST, |_| {}),
                format!(
                    r#"{{"id":"msg_{i}","type":"message","status":"completed","role":"assistant","content":[{{"type":"output_text","text":"Hi","annotations":[{{"type":"url_citation","start_index":0,"end_index":2,"url":"https://example.com","title":"Example"}}],"logprobs":[]}}]}}"#
                ),
            ]
        })
        .collect();
    let text = format!(
        r#"{{"id":"resp_1","object":"response","created_at":1741476542,"status":"completed","model":"gpt-4.1","output":[{}],"parallel_tool_calls":true,"tools":[]}}"#,
        items.join(",")
    );
    let response: Response = decode(&text);
    assert_eq!(response, decode_via_value::<Response>(&text));
    let kinds: Vec<&str> = response
        .output
        .iter()
        .map(|item| match item {
            OutputItem::Reasoning(_) => "reasoning",
            OutputItem::FunctionCall(_) => "function_call",
            OutputItem::Message(_) => "message",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["reasoning", "function_call", "message"].repeat(3));
}

/// A string that may be one of known values (model ids) is one enum: the same text has one
/// representation whether typed, parsed or decoded, and any other text is kept in `Other`.
#[test]
fn a_model_id_has_one_representation() {
    use openai_sdk::types::{ModelIds, ModelIdsShared};
    let typed: ModelIdsShared = "gpt-4o".into();
    let decoded: ModelIdsShared = decode("\"gpt-4o\"");
    assert_eq!(typed, decoded);
    assert_eq!(typed, ModelIdsShared::Gpt4o);
    assert_eq!(
        "gpt-4o".parse::<ModelIdsShared>(),
        Ok(ModelIdsShared::Gpt4o)
    );
    assert_eq!(decoded.to_string(), "gpt-4o");

    let custom = "ft:gpt-4o-mini:acme::abc123";
    let decoded: ModelIdsShared = decode(&format!("{custom:?}"));
    assert_eq!(decoded, ModelIdsShared::Other(custom.to_owned()));
    assert_eq!(decoded, custom.into());
    assert_eq!(
        serde_json::to_string(&decoded).unwrap(),
        format!("{custom:?}")
    );

    // A wider list of ids takes a narrower one's values as they are.
    assert_eq!(ModelIds::from(ModelIdsShared::Gpt4o), ModelIds::Gpt4o);
}

/// A union of arrays picks its variant by the items: a list of multi-modal inputs is not a list
/// of strings (the moderation request's example).
#[test]
fn a_union_of_arrays_decodes_by_its_items() {
    use openai_sdk::types::{
        CreateModerationRequestInput as Input, CreateModerationRequestInputItem as Item,
    };
    let parts = r#"[{"type": "text", "text": "I want to kill them."}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]"#;
    let Input::Items(items) = decode::<Input>(parts) else {
        panic!("not the array of objects");
    };
    assert!(matches!(
        items.as_slice(),
        [Item::Text(_), Item::ImageUrl(_)]
    ));
    let strict: Input = openai_sdk::json::from_str_strict(parts).expect("fits the spec");
    assert!(matches!(strict, Input::Items(_)));
    assert!(matches!(decode::<Input>(r#"["a", "b"]"#), Input::Texts(_)));
    // An empty list fits both; the first array variant takes it.
    assert!(matches!(decode::<Input>("[]"), Input::Texts(_)));
}

/// Strict decoding fails on each thing lenient decoding keeps, and names the field.
#[test]
fn strict_decoding_names_what_departs_from_the_spec() {
    use openai_sdk::types::CreateModerationRequest as Request;
    let strict =
        |json: &str| openai_sdk::json::from_str_strict::<Request>(json).map_err(|e| e.to_string());
    assert!(strict(r#"{"input": "hi", "model": "omni-moderation-latest"}"#).is_ok());
    let unknown = strict(r#"{"input": "hi", "colour": "red"}"#).unwrap_err();
    assert!(unknown.contains("colour: not in the spec"), "{unknown}");
    // A model id may be any string (an open enum); a reasoning effort is one of a list.
    assert!(strict(r#"{"input": "hi", "model": "moderation-9"}"#).is_ok());
    let effort =
        openai_sdk::json::from_str_strict::<openai_sdk::types::ReasoningEffort>(r#""extreme""#);
    let effort = effort.unwrap_err().to_string();
    assert!(
        effort.contains("not in the spec: value \"extreme\""),
        "{effort}"
    );
    let union = strict(r#"{"input": 7}"#).unwrap_err();
    assert!(union.contains("input: not in the spec"), "{union}");
    // The same payloads decode leniently, keeping what does not fit.
    let kept: Request = decode(r#"{"input": "hi", "colour": "red"}"#);
    assert_eq!(kept.extra.value("colour").unwrap(), "red");
}

/// Puts an object's members in some order.
type Order = dyn Fn(&mut Vec<(&String, &Value)>);

/// `v` as JSON text with every object's keys in the order `order` gives them.
fn write_ordered(v: &Value, order: &Order, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut members: Vec<_> = map.iter().collect();
            order(&mut members);
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                write_ordered(v, order, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_ordered(v, order, out);
            }
            out.push(']');
        }
        _ => out.push_str(&v.to_string()),
    }
}

/// Unions inside unions (an item's content parts, a part's annotations) decode the same with
/// each tag first, last, or in the middle: the outer look-ahead notes the inner tags it passes,
/// and what it notes must be what the inner unions would find (a tag that is not a string, a
/// second `type`, an escaped one, an object with none).
#[test]
fn nested_unions_decode_the_same_in_any_key_order() {
    let response = json!({
        "id": "resp_1", "object": "response", "created_at": 1.0, "status": "completed",
        "model": "gpt-4o", "parallel_tool_calls": true, "tools": [], "tool_choice": "auto",
        "output": [
            {"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": "think"}]},
            {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed", "content": [
                {"type": "output_text", "text": "Paris", "logprobs": [], "annotations": [
                    {"type": "url_citation", "url": "https://a", "title": "A", "start_index": 0, "end_index": 5},
                    {"type": 5, "url": "https://b"},
                    {"url": "https://c", "title": "no tag"},
                    {"type": "file_citation", "file_id": "f", "filename": "x", "index": 0},
                ]},
                {"type": "refusal", "refusal": "no"},
                {"type": "zz_new_part", "zz": {"type": "output_text", "text": "inner"}},
            ]},
            {"id": "fc_1", "type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"},
        ],
    });
    let orders: [(&str, &Order); 4] = [
        ("tag first", &|m| m.sort_by_key(|(k, _)| *k != "type")),
        ("tag last", &|m| m.sort_by_key(|(k, _)| *k == "type")),
        ("sorted", &|m| m.sort_by_key(|(k, _)| *k)),
        ("reversed", &|m| m.sort_by(|a, b| b.0.cmp(a.0))),
    ];
    // With each tag first, no look-ahead passes an object: the reference.
    let mut reference = None;
    for (name, order) in orders {
        let mut text = String::new();
        write_ordered(&response, order, &mut text);
        let ours: Response = decode(&text);
        let back = serde_json::to_value(&ours).unwrap();
        assert_eq!(openai_tests::lost(&response, &back, ""), None, "{name}");
        assert_eq!(
            reference.get_or_insert_with(|| ours.clone()),
            &ours,
            "{name}"
        );
    }
    let OutputItem::Message(message) = &reference.unwrap().output[1] else {
        panic!("not a message");
    };
    assert_eq!(message.content.len(), 3);

    // An escaped tag; a second `type` after a first that is not a string (no tag: the part is
    // matched by its shape).
    // The inner union finds its tag itself (its item's tag first) or from the item's look-ahead
    // (its item's tag last): the same either way.
    for inner in [
        r#"{"text":"a","type":"output\u005ftext","annotations":[]}"#,
        r#"{"text":"a","type":1,"type":"output_text","annotations":[]}"#,
    ] {
        let members =
            format!(r#""content":[{inner}],"id":"m","role":"assistant","status":"completed""#);
        let scanned: OutputItem = decode(&format!(r#"{{"type":"message",{members}}}"#));
        let noted: OutputItem = decode(&format!(r#"{{{members},"type":"message"}}"#));
        assert_eq!(scanned, noted, "{inner}");
        let OutputItem::Message(m) = &noted else {
            panic!("{noted:?}");
        };
        assert!(
            format!("{:?}", m.content[0]).starts_with("OutputText"),
            "{noted:?}"
        );
    }
}
