//! The pages in the OpenAPI document, from the page table.

use super::pages;

/// The pages in the OpenAPI document (tag `pages`, HTML answers), so API Management routes
/// them like the API.
pub struct PagesDoc;

impl utoipa::Modify for PagesDoc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
        use utoipa::openapi::{
            ContentBuilder, Required, ResponseBuilder, Type, schema::ObjectBuilder,
        };
        for (name, method, route, _) in pages() {
            let html = ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build();
            let mut op = OperationBuilder::new()
                .operation_id(Some(name))
                .tag("pages")
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("HTML")
                        .content("text/html", html),
                );
            for param in route
                .split('/')
                .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            {
                op = op.parameter(
                    ParameterBuilder::new()
                        .name(param)
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
                );
            }
            let method = if method == "post" {
                HttpMethod::Post
            } else {
                HttpMethod::Get
            };
            openapi
                .paths
                .add_path_operation(format!("/{route}"), vec![method], op.build());
        }
    }
}
