//! `cargo run --example plans -- <industry> [objective] [YYYY-MM-DD] [budget]`: the built-in
//! recommender's three plans for a shop, as the owner would see them (for judging the wording).

use event_marketing::adapters::recommender::builtin::recommend;
use event_marketing::domain::{Objective, ShopInfo};
use event_marketing::ports::RecommendationInput;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let industry = args.first().map_or("미용실", String::as_str);
    let objective = args
        .get(1)
        .map_or(Ok(Objective::Revisit), |o| Objective::parse(o))
        .unwrap_or(Objective::Revisit);
    let today = args
        .get(2)
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let budget = args.get(3).and_then(|b| b.parse().ok());
    let Ok(shop) = ShopInfo::parse("우리 동네 가게", industry, "서울특별시 마포구 양화로 45")
    else {
        eprintln!("업종을 확인해 주세요");
        return;
    };
    let input = RecommendationInput {
        objective,
        shop,
        period: None,
        budget,
        today,
        history: vec![],
    };
    for (i, p) in recommend(&input).iter().enumerate() {
        println!("── 기획안 {} ({})", i + 1, p.promotion_type.label());
        println!("이름: {}", p.name);
        println!("설명: {}", p.description);
        println!("경품: {}", p.prize);
        println!("대상: {}", p.target_audience);
        println!(
            "기간: {} ~ {} · 예상 참여 {}명 · 예상 비용 {}원",
            p.start_date, p.end_date, p.expected_participants, p.estimated_cost
        );
        println!("이유: {}", p.reason);
        println!("광고 문구: {}", p.ad_copy);
        println!("해시태그: {}", p.hashtags.join(" "));
    }
}
