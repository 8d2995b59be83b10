use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

pub const API_VERSION: &str = "1.0.0";

#[derive(OpenApi)]
#[openapi(
    info(title = "Beslecht API", version = "1.0.0",
        description = "Disputes under the VNG Norm voor Opdrachtgeverschap: filing, mediation by the OZJ and rulings by the independent commission. Errors are application/problem+json (RFC 9457)."),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Signing in"),
        (name = "account", description = "The signed-in user"),
        (name = "organisations", description = "Municipalities, regions, providers and the commission"),
        (name = "users", description = "User accounts (administrator)"),
        (name = "cases", description = "Disputes: filing, the procedure's steps, rulings and the audit trail"),
        (name = "mediation", description = "Mediation sessions by the OZJ and the release of their notes"),
        (name = "correspondence", description = "Messages between the parties and the secretary"),
        (name = "rulings", description = "Ruling documents and their authenticity check"),
        (name = "calendar", description = "Terms under the Algemene termijnenwet"),
        (name = "terms", description = "Suspending cases and extending their terms"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
