//! The channel clients, one per channel's protocol, each behind the same concurrency limit and
//! circuit breaker (`resilience::Guarded`), and the local sandbox.

pub mod instagram;
pub mod kakao;
pub mod kt;
pub mod naver;
pub mod resilience;
pub mod sandbox;
pub mod verdict;

use std::path::Path;
use std::sync::Arc;

use crate::config::ChannelSettings;
use crate::domain::Channel;
use crate::ports::{ChannelClient, Channels};
use resilience::Guarded;

fn guarded(client: impl ChannelClient + 'static) -> Arc<dyn ChannelClient> {
    Arc::new(Guarded::new(client))
}

/// The clients of every channel the settings configure, and the sandbox when it is on.
pub fn build(s: &ChannelSettings, data_dir: &Path) -> anyhow::Result<Channels> {
    let sandbox = (s.sandbox).then(|| guarded(sandbox::Sandbox::new(data_dir.join("sandbox"))));
    let mut channels = Channels::new(sandbox);
    if s.instagram.app.is_some() {
        let ig = instagram::Instagram::new(s.instagram.clone(), s.timeout)?;
        channels = channels.with(Channel::Instagram, guarded(ig));
    }
    if s.naver.app.is_some() {
        let naver = naver::Naver::new(s.naver.clone(), s.timeout)?;
        channels = channels.with(Channel::Naver, guarded(naver));
    }
    if let Some(base) = &s.kakao_dealer_base {
        let kakao = kakao::Kakao::new(base.clone(), s.timeout)?;
        channels = channels.with(Channel::Kakao, guarded(kakao));
    }
    if let Some((base, key)) = &s.kt_partner {
        for channel in [Channel::UridongneTv, Channel::GiniTv, Channel::RingoBiz] {
            let kt = kt::KtPartner::new(channel, base.clone(), key.clone(), s.timeout)?;
            channels = channels.with(channel, guarded(kt));
        }
    }
    Ok(channels)
}
