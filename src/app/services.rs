//! What every use case is given: the ports chosen once at start-up, and the policies the
//! settings fix. Nothing here belongs to one area.

use std::sync::Arc;

use super::intake::Intake;
use super::limits::ClientLimits;
use super::memo::Memo;
use crate::domain::distribution::Policy as DistributionPolicy;
use crate::domain::entry::Retention;
use crate::domain::job::DailyQuota;
use crate::domain::poster::Image;
use crate::domain::throttle::ThrottlePolicy;
use crate::ports::{
    Blobs, Channels, Clock, Mailer, MessageSender, Painter, PasswordHasher, Printer, Recommender,
    Store, Tagger, TokenService, Vault,
};

/// Everything the use cases need, chosen once at start-up.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub tokens: Arc<dyn TokenService>,
    pub passwords: Arc<dyn PasswordHasher>,
    pub login_throttle: ThrottlePolicy,
    pub recommender: Arc<dyn Recommender>,
    pub painter: Arc<dyn Painter>,
    pub blobs: Arc<dyn Blobs>,
    /// Deliveries of one job message before it is dead-lettered (= Service Bus maxDeliveryCount).
    pub max_deliveries: u32,
    /// Where outbox messages are published (Service Bus); `None`: delivered in process.
    pub sender: Option<Arc<dyn MessageSender>>,
    /// Wakes the in-process relay right after a commit that wrote outbox messages.
    pub relay_kick: Arc<tokio::sync::Notify>,
    /// Seals channel secrets at rest.
    pub vault: Arc<dyn Vault>,
    /// The channels' clients (and the local sandbox).
    pub channels: Channels,
    /// Where the service is reached from outside: OAuth callbacks and event links start here.
    pub public_base_url: String,
    pub distribution: DistributionPolicy,
    /// Seals customers' names and phone numbers, and draw seeds.
    pub personal: Arc<dyn Vault>,
    /// Tags phone numbers (one entry per phone; earlier winners).
    pub tags: Arc<dyn Tagger>,
    /// The entry hot path's group commit.
    pub intake: Arc<Intake>,
    /// Views and clicks' group commit.
    pub visits: Arc<super::visits::Visits>,
    /// The owners' token versions (`sessions`).
    pub token_versions: Arc<super::sessions::TokenVersions>,
    pub limits: Arc<ClientLimits>,
    pub retention: Retention,
    /// Costly jobs one owner may start per day.
    pub job_quota: DailyQuota,
    /// Requests come through API Management, which names the caller's address in
    /// `X-Client-Address` (in Azure); otherwise the connection's peer is the caller.
    pub trust_client_address_header: bool,
    /// What this instance keeps in memory for a short while (dashboards, the day's visitor key).
    pub memo: Arc<Memo>,
    /// QR codes and the shop's printable card.
    pub printer: Arc<dyn Printer>,
    /// Owners' mails (address checks, password resets).
    pub mailer: Arc<dyn Mailer>,
}

impl Services {
    /// Removes the images' files, best effort: a file left behind is only logged. (Images of a
    /// published event are never replaced, so the JPEGs made at publish never need this.)
    pub async fn delete_files(&self, images: &[Image]) {
        for key in images.iter().filter_map(|i| i.content.blob_key()) {
            if let Err(e) = self.blobs.delete(key).await {
                tracing::warn!(error = %e, "an image's file could not be deleted");
            }
        }
    }
}
