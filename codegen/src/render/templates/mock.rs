//! Typed stubs for tests, on a local `wiremock` server.
//!
//! Each operation has a function in the module of its group (e.g. `mock::users::login(…)`) that
//! returns an [`OperationMock`]: it matches the operation's method and path, optionally the
//! exact JSON body, and answers with a typed success or error body.

use std::marker::PhantomData;

/// A stub for one operation: `B` is its request body, `T` its success body, `E` its error body.
pub struct OperationMock<B, T, E> {
    method: &'static str,
    path: &'static str,
    body: Option<serde_json::Value>,
    types: PhantomData<fn(B) -> (T, E)>,
}

impl<B: serde::Serialize, T: serde::Serialize, E: serde::Serialize> OperationMock<B, T, E> {
    pub(crate) fn new(method: &'static str, path: &'static str) -> Self {
        OperationMock {
            method,
            path,
            body: None,
            types: PhantomData,
        }
    }

    /// Matches only requests whose JSON body equals `body`.
    pub fn with_body(mut self, body: &B) -> Self {
        self.body = serde_json::to_value(body).ok();
        self
    }

    fn given(self) -> wiremock::MockBuilder {
        let mut builder = wiremock::Mock::given(wiremock::matchers::method(self.method))
            .and(wiremock::matchers::path_regex(self.path));
        if let Some(body) = self.body {
            builder = builder.and(wiremock::matchers::body_json(body));
        }
        builder
    }

    /// Answers with `status` and `body` as JSON.
    pub fn respond(self, status: u16, body: &T) -> wiremock::Mock {
        self.given()
            .respond_with(wiremock::ResponseTemplate::new(status).set_body_json(body))
    }

    /// Answers with an error `status` and its documented error body.
    pub fn respond_error(self, status: u16, body: &E) -> wiremock::Mock {
        self.given()
            .respond_with(wiremock::ResponseTemplate::new(status).set_body_json(body))
    }

    /// Answers with `status` and no body.
    pub fn respond_status(self, status: u16) -> wiremock::Mock {
        self.given().respond_with(wiremock::ResponseTemplate::new(status))
    }
}
