//! `connect` and `connect_call` on the resource of the Realtime WebSocket endpoint (`/realtime`,
//! which the spec describes by its events, not as a path): the runtime's `RealtimeConnect`
//! (feature `websocket`). A spec without a `realtime` resource has no `connect`, and the runtime
//! names no generated resource.

use proc_macro2::TokenStream;
use quote::quote;

/// The resource the WebSocket endpoint belongs to.
pub(super) const RESOURCE: &str = "realtime";

pub(super) fn methods() -> TokenStream {
    quote! {
        /// Opens a Realtime session with `model` over a WebSocket: set options on what this
        /// returns, then `.await` it for the [`RealtimeConnection`](crate::RealtimeConnection).
        #[cfg(feature = "websocket")]
        pub fn connect(&self, model: impl Into<String>) -> crate::RealtimeConnect {
            crate::RealtimeConnect::new(self.client(), Some(model.into()), None)
        }
        /// Attaches to the Realtime session of a SIP call (`?call_id=…`, no model).
        #[cfg(feature = "websocket")]
        pub fn connect_call(&self, call_id: impl Into<String>) -> crate::RealtimeConnect {
            crate::RealtimeConnect::new(self.client(), None, Some(call_id.into()))
        }
    }
}
