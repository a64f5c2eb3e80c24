//! `cargo bench --bench pipeline`: how long one built-in recommendation and one poster render
//! take (release build, this machine). Prints numbers; asserts nothing.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use event_marketing::adapters::painter::render;
use event_marketing::adapters::recommender::builtin::recommend;
use event_marketing::domain::poster::{PosterStyle, PosterText, platform_size};
use event_marketing::domain::{Channel, Objective, ShopInfo};
use event_marketing::ports::{PosterSpec, RecommendationInput};

fn measure(label: &str, runs: usize, mut f: impl FnMut()) {
    f(); // warm up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let mean = times.iter().sum::<Duration>() / u32::try_from(runs).unwrap_or(1);
    let p95 = times[(runs * 95 / 100).min(runs - 1)];
    println!(
        "{label:<38} runs {runs:>4}  mean {:>9.3} ms  p95 {:>9.3} ms  max {:>9.3} ms",
        mean.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let input = RecommendationInput {
        objective: Objective::NewCustomers,
        shop: ShopInfo::parse("카페 봄날", "카페", "서울특별시 마포구 양화로 45").expect("store"),
        period: None,
        budget: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"),
        history: vec![],
    };
    measure("built-in recommendation (3 plans)", 1000, || {
        std::hint::black_box(recommend(std::hint::black_box(&input)));
    });
    let text = PosterText {
        title: "크리스마스 맞이 카페 봄날 인증샷 이벤트".into(),
        prize: "전원 아메리카노 1잔 + 추첨 3명 1만원 음료 교환권".into(),
        period: "2026.12.12 ~ 12.25".into(),
        spoken_period: "12월 12일부터 12월 25일까지".into(),
        shop_name: "카페 봄날".into(),
        call_to_action: "QR 코드로 지금 응모하세요".into(),
        spoken_offer: None,
    };
    for channel in [Channel::Kakao, Channel::Instagram, Channel::GiniTv] {
        let (width, height) = platform_size(channel).expect("image channel");
        for style in PosterStyle::ALL {
            let spec = PosterSpec {
                platform: channel,
                style,
                width,
                height,
                text: text.clone(),
            };
            measure(
                &format!("poster {channel} {width}x{height} {style}"),
                10,
                || {
                    std::hint::black_box(render(&spec).expect("render"));
                },
            );
        }
    }
}
