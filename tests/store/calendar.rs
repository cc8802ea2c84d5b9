//! The volunteer calendar: festivals, legal holidays and 调休 as tyme4rs has them, lunar labels,
//! working-day arithmetic for the recording deadline, and the month grid.

use chrono::{Datelike, NaiveDate, Weekday};
use volunteer_desk::domain::calendar::{
    DayMark, Festival, MonthCalendar, Occasion, RECORDING_LIMIT_WORKING_DAYS, WEEKDAY_LABELS, add_working_days,
    has_holiday_schedule, is_activity_month, is_late, is_working_day, lunar_label, marks_of, month_grid,
    working_days_between,
};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn festivals_in(year: i32) -> Vec<(NaiveDate, Festival)> {
    ymd(year, 1, 1)
        .iter_days()
        .take_while(|d| d.year() == year)
        .flat_map(|d| {
            marks_of(d).into_iter().filter_map(move |m| match m {
                DayMark::Festival(f) => Some((d, f)),
                _ => None,
            })
        })
        .collect()
}

#[test]
fn the_festivals_of_2017_land_on_their_days() {
    let expected = vec![
        (ymd(2017, 1, 28), Festival::SpringFestival),
        (ymd(2017, 2, 11), Festival::Lantern),
        (ymd(2017, 4, 4), Festival::QingMing),
        (ymd(2017, 5, 30), Festival::DragonBoat),
        (ymd(2017, 8, 28), Festival::Qixi),
        (ymd(2017, 10, 4), Festival::MidAutumn),
        (ymd(2017, 10, 28), Festival::DoubleNinth),
    ];
    // Each once a year, on its day and no other.
    assert_eq!(festivals_in(2017), expected);
    for (date, festival) in expected {
        assert_eq!(festival.date_in(2017), Some(date));
    }
}

#[test]
fn the_spring_festival_of_2026_is_february_17() {
    assert_eq!(Festival::SpringFestival.date_in(2026), Some(ymd(2026, 2, 17)));
    assert!(marks_of(ymd(2026, 2, 17)).contains(&DayMark::Festival(Festival::SpringFestival)));
    assert_eq!(DayMark::Festival(Festival::SpringFestival).label(), "春节");
}

#[test]
fn the_fixed_occasions_are_marked_every_year() {
    for year in [2017, 2026] {
        assert_eq!(marks_of(ymd(year, 3, 5)), vec![DayMark::Occasion(Occasion::LeiFengDay)]);
        assert_eq!(marks_of(ymd(year, 12, 5)), vec![DayMark::Occasion(Occasion::VolunteerDay)]);
        assert!(marks_of(ymd(year, 7, 1)).contains(&DayMark::Occasion(Occasion::PartyFoundingDay)));
    }
    assert_eq!(DayMark::Occasion(Occasion::LeiFengDay).label(), "学雷锋纪念日");
    assert_eq!(DayMark::Occasion(Occasion::PartyFoundingDay).label(), "建党节");
    assert_eq!(DayMark::Occasion(Occasion::VolunteerDay).label(), "国际志愿者日");
    assert!(marks_of(ymd(2017, 7, 2)).is_empty());
}

#[test]
fn july_is_the_activity_month() {
    assert!(is_activity_month(ymd(2017, 7, 1)));
    assert!(is_activity_month(ymd(2017, 7, 31)));
    assert!(!is_activity_month(ymd(2017, 6, 30)));
    assert!(!is_activity_month(ymd(2017, 8, 1)));
}

#[test]
fn a_make_up_working_day_is_marked_and_worked() {
    // Saturday 2017-09-30 was worked for the 2017 国庆/中秋 holiday.
    let saturday = ymd(2017, 9, 30);
    assert_eq!(saturday.weekday(), Weekday::Sat);
    let marks = marks_of(saturday);
    assert_eq!(marks, vec![DayMark::MakeUpWorkday { holiday: "国庆节" }]);
    assert_eq!(marks[0].label(), "国庆节调休上班");
    assert_eq!(marks[0].badge(), Some("班"));
    assert!(is_working_day(saturday));
    // An ordinary Saturday is not.
    assert!(marks_of(ymd(2017, 9, 23)).is_empty());
    assert!(!is_working_day(ymd(2017, 9, 23)));
}

#[test]
fn the_2017_national_day_holiday_is_rest() {
    for date in ymd(2017, 10, 1).iter_days().take_while(|d| *d <= ymd(2017, 10, 8)) {
        assert!(!is_working_day(date), "{date}");
        let rest = marks_of(date).into_iter().find(|m| m.badge() == Some("休"));
        assert!(rest.is_some(), "{date} is marked as a rest day");
    }
    // 中秋 fell inside it, on Wednesday 10-04, which the schedule names 中秋节.
    assert_eq!(
        marks_of(ymd(2017, 10, 4)),
        vec![DayMark::Festival(Festival::MidAutumn), DayMark::RestDay { holiday: "中秋节" }]
    );
    assert_eq!(DayMark::RestDay { holiday: "国庆节" }.label(), "国庆节放假");
    assert!(is_working_day(ymd(2017, 10, 9)));
    assert!(is_working_day(ymd(2017, 9, 29)));
}

#[test]
fn the_ten_working_day_rule_across_the_2017_national_day() {
    let end = ymd(2017, 9, 29); // Friday before the holiday
    // 9-30 (make-up Saturday) is the first; 10-1..10-8 rest; 10-9..10-13 and 10-16..10-19 the rest.
    let deadline = add_working_days(end, RECORDING_LIMIT_WORKING_DAYS);
    assert_eq!(deadline, ymd(2017, 10, 19));
    assert_eq!(working_days_between(end, deadline), 10);
    assert!(!is_late(end, ymd(2017, 10, 19), RECORDING_LIMIT_WORKING_DAYS));
    assert!(is_late(end, ymd(2017, 10, 20), RECORDING_LIMIT_WORKING_DAYS));
    // Recorded the same day or in the middle of the holiday: on time.
    assert!(!is_late(end, end, RECORDING_LIMIT_WORKING_DAYS));
    assert!(!is_late(end, ymd(2017, 10, 5), RECORDING_LIMIT_WORKING_DAYS));
    // Without the holiday the same ten working days would have ended on 10-13.
    assert_eq!(add_working_days(ymd(2017, 9, 1), 10), ymd(2017, 9, 15));
}

#[test]
fn a_deadline_on_friday_makes_the_weekend_after_it_late() {
    let end = ymd(2017, 11, 3); // Friday; ten working days later is Friday 11-17
    assert_eq!(add_working_days(end, 10), ymd(2017, 11, 17));
    assert!(is_late(end, ymd(2017, 11, 18), 10));
}

#[test]
fn working_days_between_counts_after_from_up_to_to() {
    let monday = ymd(2017, 9, 25);
    assert_eq!(working_days_between(monday, monday), 0);
    assert_eq!(working_days_between(monday, ymd(2017, 9, 29)), 4);
    assert_eq!(working_days_between(ymd(2017, 9, 29), monday), -4);
    // Across the holiday: 9-30 and 10-9 only.
    assert_eq!(working_days_between(ymd(2017, 9, 29), ymd(2017, 10, 9)), 2);
    for n in 0..30 {
        assert_eq!(working_days_between(monday, add_working_days(monday, n)), i64::from(n));
    }
    assert_eq!(add_working_days(monday, 0), monday);
}

#[test]
fn lunar_labels_read_like_a_printed_calendar() {
    assert_eq!(lunar_label(ymd(2017, 1, 28)), "正月"); // 正月初一 shows its month
    assert_eq!(lunar_label(ymd(2017, 1, 29)), "初二");
    assert_eq!(lunar_label(ymd(2017, 2, 11)), "十五");
    assert_eq!(lunar_label(ymd(2017, 5, 30)), "初五"); // 端午, 五月初五
    assert_eq!(lunar_label(ymd(2017, 10, 4)), "十五"); // 中秋, 八月十五
    // 2017 had a leap sixth month, starting on 2017-07-23.
    assert_eq!(lunar_label(ymd(2017, 7, 23)), "闰六月");
    assert_eq!(lunar_label(ymd(2017, 7, 22)), "廿九");
    assert_eq!(lunar_label(ymd(2017, 7, 24)), "初二");
}

#[test]
fn the_month_grid_starts_on_monday() {
    assert_eq!(WEEKDAY_LABELS, ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]);
    let july = month_grid(2017, 7);
    // 2017-07-01 was a Saturday: five empty cells, then Saturday and Sunday.
    assert_eq!(july[0], [None, None, None, None, None, Some(ymd(2017, 7, 1)), Some(ymd(2017, 7, 2))]);
    assert_eq!(july[1][0], Some(ymd(2017, 7, 3)));
    assert_eq!(july.len(), 6);
    assert_eq!(july[5][0], Some(ymd(2017, 7, 31)));
    assert_eq!(july[5][1..], [None; 6]);
    let days: Vec<NaiveDate> = july.iter().flatten().flatten().copied().collect();
    assert_eq!(days.len(), 31);
    assert!(days.windows(2).all(|w| w[1] == w[0].succ_opt().expect("next day")));
    // February 2021 fills exactly four weeks, Monday 1st to Sunday 28th.
    assert_eq!(month_grid(2021, 2).len(), 4);
    assert!(month_grid(2017, 13).is_empty());
}

#[test]
fn a_month_calendar_holds_the_same_answers() {
    let october = MonthCalendar::new(2017, 10).expect("a month");
    assert_eq!((october.year(), october.month()), (2017, 10));
    assert_eq!(october.weeks(), month_grid(2017, 10).as_slice());
    assert_eq!(october.days().len(), 31);
    for day in october.days() {
        assert_eq!(day.lunar, lunar_label(day.date));
        assert_eq!(day.marks, marks_of(day.date));
        assert_eq!(day.working, is_working_day(day.date));
    }
    let mid_autumn = october.day(ymd(2017, 10, 4)).expect("in the month");
    assert!(mid_autumn.marks.contains(&DayMark::Festival(Festival::MidAutumn)));
    assert!(october.day(ymd(2017, 9, 30)).is_none());
    assert!(!october.is_activity_month());
    assert!(MonthCalendar::new(2017, 7).expect("a month").is_activity_month());
    assert!(MonthCalendar::new(2017, 0).is_none());
}

#[test]
fn years_without_a_schedule_fall_back_to_monday_to_friday() {
    assert!(has_holiday_schedule(2017));
    let year = 2090; // far past any published schedule
    assert!(!has_holiday_schedule(year));
    let new_year = ymd(year, 1, 2); // a Monday
    assert_eq!(new_year.weekday(), Weekday::Mon);
    assert!(is_working_day(new_year));
    assert!(!is_working_day(ymd(year, 1, 1))); // Sunday
    // Festivals are astronomical and still known.
    assert!(Festival::MidAutumn.date_in(year).is_some());
    assert!(marks_of(ymd(year, 1, 2)).iter().all(|m| m.badge().is_none()));
}
