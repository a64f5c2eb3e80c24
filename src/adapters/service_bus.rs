//! Sends outbox messages to Service Bus with `azure_messaging_servicebus` 0.21:
//! `MessageId` = outbox id, content type JSON, the message type as the `type` property. The crate
//! signs with a SAS key (it has no Entra ID support) and always talks to
//! `https://{namespace}.servicebus.windows.net`; an endpoint override redirects its requests
//! (to a local server in tests, or an emulator).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use azure_core_sb::HttpClient;
use azure_messaging_servicebus::service_bus::{
    QueueClient, SendMessageOptions, SettableBrokerProperties,
};
use url::Url;

pub use crate::config::ServiceBusSettings;
use crate::domain::OutboxMessage;
use crate::ports::{MessageSender, SendError};

/// Sends every request to `base` instead of the namespace's host, keeping path and query.
#[derive(Debug)]
struct Redirect {
    inner: reqwest::Client,
    base: Option<Url>,
}

#[async_trait]
impl HttpClient for Redirect {
    async fn execute_request(
        &self,
        request: &azure_core_sb::Request,
    ) -> azure_core_sb::Result<azure_core_sb::Response> {
        let Some(base) = &self.base else {
            return self.inner.execute_request(request).await;
        };
        let mut r = request.clone();
        let url = r.url_mut();
        // Setting the scheme, host and port of a valid http(s) URL cannot fail.
        let _ = url.set_scheme(base.scheme());
        let _ = url.set_host(base.host_str());
        let _ = url.set_port(base.port());
        self.inner.execute_request(&r).await
    }
}

pub struct ServiceBusSender {
    http: Arc<dyn HttpClient>,
    settings: ServiceBusSettings,
}

impl ServiceBusSender {
    pub fn new(settings: ServiceBusSettings) -> anyhow::Result<Self> {
        let inner = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Self {
            http: Arc::new(Redirect {
                inner,
                base: settings.endpoint.clone(),
            }),
            settings,
        })
    }
}

#[async_trait]
impl MessageSender for ServiceBusSender {
    async fn send(&self, message: &OutboxMessage) -> Result<(), SendError> {
        let client = QueueClient::new(
            self.http.clone(),
            self.settings.namespace.clone(),
            message.destination.name().to_owned(),
            self.settings.key_name.clone(),
            self.settings.key.expose().clone(),
        )
        .map_err(|e| SendError(format!("client: {e}")))?;
        let options = SendMessageOptions {
            content_type: Some("application/json".to_owned()),
            broker_properties: Some(SettableBrokerProperties {
                message_id: Some(message.id.to_string()),
                ..Default::default()
            }),
            custom_properties: Some(HashMap::from([(
                "type".to_owned(),
                message.message_type.code().to_owned(),
            )])),
        };
        client
            .send_message(&message.payload.to_string(), Some(options))
            .await
            .map_err(|e| SendError(e.to_string()))
    }
}
