//! The adapters the settings choose: Azure's when configured, else the built-in ones.

use std::sync::Arc;

use anyhow::Context;

use crate::adapters::azure_blobs::AzureBlobs;
use crate::adapters::local_blobs::LocalBlobs;
use crate::adapters::painter::BuiltinPainter;
use crate::adapters::painter::azure_openai::AzureOpenAiPainter;
use crate::adapters::recommender::azure_openai::AzureOpenAiRecommender;
use crate::adapters::recommender::builtin::BuiltinRecommender;
use crate::adapters::service_bus::ServiceBusSender;
use crate::config::{Mode, Settings};
use crate::ports::{Blobs, Mailer, MessageSender, Painter, Recommender};

pub(super) fn recommender(settings: &Settings) -> anyhow::Result<Arc<dyn Recommender>> {
    Ok(match &settings.azure_openai {
        Some(aoai) => Arc::new(AzureOpenAiRecommender::new(aoai.clone())?),
        None => Arc::new(BuiltinRecommender),
    })
}

pub(super) fn painter(settings: &Settings) -> anyhow::Result<Arc<dyn Painter>> {
    let aoai = (
        &settings.azure_openai,
        &settings.azure_openai_image_deployment,
    );
    Ok(match aoai {
        (Some(aoai), Some(deployment)) => {
            Arc::new(AzureOpenAiPainter::new(aoai.clone(), deployment.clone())?)
        }
        _ => Arc::new(BuiltinPainter),
    })
}

pub(super) fn blobs(settings: &Settings, local: &LocalBlobs) -> anyhow::Result<Arc<dyn Blobs>> {
    let images = &settings.images;
    if let Some(url) = &images.container_url {
        let azure = AzureBlobs::new(url, images.azure_client_id.as_deref())
            .context("IMAGES_CONTAINER_URL를 쓸 수 없습니다")?;
        return Ok(Arc::new(azure));
    }
    if matches!(settings.mode, Mode::FunctionsHandler { .. }) {
        tracing::warn!(
            "IMAGES_CONTAINER_URL is not set: images go to local files, which Azure cannot keep"
        );
    }
    Ok(Arc::new(local.clone()))
}

pub(super) fn sender(settings: &Settings) -> anyhow::Result<Option<Arc<dyn MessageSender>>> {
    Ok(match &settings.service_bus {
        Some(sb) => Some(Arc::new(ServiceBusSender::new(sb.clone())?)),
        None => None,
    })
}

/// Owners' mails: Azure Communication Services when configured; else, locally, the sandbox
/// mailbox under `DATA_DIR`, and in Azure a mailer that says plainly it cannot send.
pub(super) fn mailer(settings: &Settings) -> anyhow::Result<Arc<dyn Mailer>> {
    use crate::adapters::mail::{NoMailService, SandboxMailbox, acs::AcsMailer};
    Ok(match (&settings.mail, settings.mode) {
        (Some(mail), _) => Arc::new(AcsMailer::new(mail.clone())?),
        (None, Mode::Local) => Arc::new(SandboxMailbox::new(&settings.data_dir)),
        (None, Mode::FunctionsHandler { .. }) => {
            tracing::warn!("MAIL_* is not set: owners' mails (password resets) cannot be sent");
            Arc::new(NoMailService)
        }
    })
}
