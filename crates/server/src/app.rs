//! The router: shared state, every route in one table (so the OpenAPI test can see them all), the
//! body limit and the problem-details fallbacks. Later parts (issuing, web pages, verification) add a
//! module under `routes/` and one line in [`api`].

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::routing::{on, MethodFilter};
use axum::Router;
use microcred_store::Store;

use crate::body::MAX_BODY_BYTES;
use crate::problem::Problem;
use crate::routes;

/// What every handler may use. Servers keep nothing else: sessions and all state are in the database,
/// so any number of servers can share one PostgreSQL.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Provider keys, job worker wake-up, delivery (crate::issuer).
    pub issuing: std::sync::Arc<crate::issuer::Issuing>,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            issuing: std::sync::Arc::new(crate::issuer::Issuing::from_env()),
        }
    }
}

/// A router that remembers what it registered.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("only standard methods are routed");
        self.router = self.router.route(path, on(filter, handler));
        self.table.push((method, path));
        self
    }
}

fn api() -> Routes {
    let routes = Routes::new();
    let routes = routes::meta::add(routes);
    let routes = routes::auth::add(routes);
    let routes = routes::accounts::add(routes);
    let routes = routes::descriptions::add(routes);
    let routes = routes::accreditations::add(routes);
    let routes = routes::register::add(routes);
    let routes = routes::issuing::add(routes);
    let routes = routes::jobs::add(routes);
    let routes = routes::claim::add(routes);
    let routes = routes::status::add(routes);
    let routes = routes::did_web::add(routes);
    let routes = routes::vcapi::add(routes);
    let routes = routes::stacking::add(routes);
    routes::oid4vci::add(routes)
}

/// Every (method, path) the API serves.
pub fn route_table() -> Vec<(Method, &'static str)> {
    api().table
}

pub fn router(state: AppState) -> Router {
    api()
        .router
        .merge(crate::web::router())
        .fallback(|| async { Problem::not_found("no such endpoint; see /api/openapi.json") })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                "this endpoint does not accept this method; see /api/openapi.json",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::web::claim::html_first,
        ))
        .with_state(state)
}
