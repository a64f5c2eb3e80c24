//! Where a shop is, read from the address as the owner typed it: the province as Koreans
//! shorten it (전라남도 → 전남, not "전라남"), the district (시·군·구), and — when the address
//! gives them — the 동 (a road-name address often adds it in parentheses: "(서교동)") and a
//! nearby station ("강남역 2번 출구"). Koreans search by 동 and station, so hashtags use them.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// 서울, 부산 … 경기, 충북, 전남, 제주; empty when the address names none.
    pub province: String,
    /// The most local 시·군·구 named (분당구 rather than 성남시).
    pub district: Option<String>,
    /// 서교동, 역삼1동 (a 동·읍·면 the address names).
    pub dong: Option<String>,
    /// 강남역 (a station the address names).
    pub station: Option<String>,
}

/// Full names and their usual short forms.
const PROVINCES: &[(&[&str], &str)] = &[
    (&["서울특별시", "서울시", "서울"], "서울"),
    (&["부산광역시", "부산시", "부산"], "부산"),
    (&["대구광역시", "대구시", "대구"], "대구"),
    (&["인천광역시", "인천시", "인천"], "인천"),
    (&["광주광역시", "광주"], "광주"),
    (&["대전광역시", "대전시", "대전"], "대전"),
    (&["울산광역시", "울산시", "울산"], "울산"),
    (&["세종특별자치시", "세종시", "세종"], "세종"),
    (&["경기도", "경기"], "경기"),
    (&["강원특별자치도", "강원도", "강원"], "강원"),
    (&["충청북도", "충북"], "충북"),
    (&["충청남도", "충남"], "충남"),
    (&["전북특별자치도", "전라북도", "전북"], "전북"),
    (&["전라남도", "전남"], "전남"),
    (&["경상북도", "경북"], "경북"),
    (&["경상남도", "경남"], "경남"),
    (&["제주특별자치도", "제주도", "제주"], "제주"),
];

fn hangul(c: char) -> bool {
    ('가'..='힣').contains(&c)
}

/// A word of at least `min` syllables (digits allowed after them: 역삼1동) ending in `end`.
fn named(word: &str, ends: &[char], min: usize) -> bool {
    let Some(last) = word.chars().last() else {
        return false;
    };
    let stem: Vec<char> = word.chars().take(word.chars().count() - 1).collect();
    let syllables = stem.iter().take_while(|c| hangul(**c)).count();
    ends.contains(&last) && syllables >= min && stem[syllables..].iter().all(char::is_ascii_digit)
}

impl Place {
    pub fn parse(address: &str) -> Self {
        let words: Vec<String> = (address.split(|c: char| c.is_whitespace() || "(),".contains(c)))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        // What a road-name address adds in parentheses: "(서교동)", "(역삼동, OO빌딩)".
        let bracketed: Vec<String> = (address.split('(').skip(1))
            .filter_map(|part| part.split(')').next())
            .flat_map(|inner| {
                inner
                    .split([',', ' '])
                    .map(str::trim)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let province = (words.first())
            .and_then(|w| {
                PROVINCES
                    .iter()
                    .find(|(names, _)| names.contains(&w.as_str()))
            })
            .map_or(String::new(), |(_, short)| (*short).to_owned());
        let rest = if province.is_empty() {
            &words[..]
        } else {
            &words[1..]
        };
        // 중구, 동구: a district may be one syllable.
        let at = (rest.iter().take(3)).rposition(|w| named(w, &['시', '군', '구'], 1));
        let district = at.map(|i| rest[i].clone());
        // The 동 in parentheses (명동 too), else the word right after the district (a lot-number
        // address), never a building's block ("상가동", "101동") further on.
        let after = |i: usize| rest.get(i + 1).filter(|w| named(w, &['동', '읍', '면'], 2));
        let dong = (bracketed.iter())
            .find(|w| named(w, &['동', '읍', '면'], 1))
            .or_else(|| at.and_then(after))
            .cloned();
        let station = (rest.iter()).find(|w| named(w, &['역'], 2)).cloned();
        Self {
            province,
            district,
            dong,
            station,
        }
    }

    /// The most local name for "who lives around here": the district, else the province.
    pub fn area(&self) -> &str {
        self.district.as_deref().unwrap_or(&self.province)
    }
}

#[cfg(test)]
mod tests {
    use super::Place;

    fn p(a: &str) -> Place {
        Place::parse(a)
    }

    #[test]
    fn provinces_are_shortened_as_koreans_do() {
        assert_eq!(p("전라남도 순천시 연향동 1").province, "전남");
        assert_eq!(
            p("충청북도 청주시 상당구 상당로 1").district.as_deref(),
            Some("상당구")
        );
        assert_eq!(p("경상남도 거제시 고현천로 1").area(), "거제시");
        assert_eq!(p("세종특별자치시 한누리대로 2130").area(), "세종");
        assert_eq!(
            p("경기도 성남시 분당구 판교역로 1").district.as_deref(),
            Some("분당구")
        );
    }

    #[test]
    fn the_dong_and_the_station_when_the_address_gives_them() {
        let a = p("서울특별시 마포구 양화로 45 (서교동)");
        assert_eq!((a.area(), a.dong.as_deref()), ("마포구", Some("서교동")));
        let b = p("서울 강남구 강남대로 396 강남역 2번 출구");
        assert_eq!(b.station.as_deref(), Some("강남역"));
        assert_eq!(
            p("서울 강남구 역삼1동 123").dong.as_deref(),
            Some("역삼1동")
        );
        // Not places: a lone "역", an apartment block's "101동", a road.
        let c = p("역 앞 상가 1층");
        assert_eq!(c, Place::default());
        assert_eq!(p("서울 송파구 올림픽로 300 101동").dong, None);
        assert_eq!(p("서울 송파구 올림픽로 300").station, None);
        // One-syllable districts and 동; a building's block is not the 동.
        assert_eq!(p("서울 중구 세종대로 110").area(), "중구");
        assert_eq!(
            p("서울 중구 명동길 14 (명동)").dong.as_deref(),
            Some("명동")
        );
        let block = p("서울 강남구 테헤란로 12 OO아파트 상가동 102호 (역삼동)");
        assert_eq!(block.dong.as_deref(), Some("역삼동"));
        assert_eq!(
            p("서울 강남구 테헤란로 12 OO아파트 상가동 102호").dong,
            None
        );
    }
}
