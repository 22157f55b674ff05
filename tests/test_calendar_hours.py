"""The business calendar: opening hours, Swedish holidays, closed dates, DST, 24/7, durations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kundkit.calendar import (
    CALENDAR_SCHEMA,
    BusinessCalendar,
    add_business_time,
    business_time_between,
    format_duration,
    midsummer_eve,
    parse_duration,
)
from kundkit.errors import KundkitError, ValidationError
from kundkit.i18n import get_language, set_language
from kundkit.schemacheck import validate
from kundkit.yamldoc import parse_yaml

STHLM = ZoneInfo("Europe/Stockholm")
H = timedelta(hours=1)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=STHLM)


@pytest.fixture
def office() -> BusinessCalendar:
    return BusinessCalendar.from_config({"hours": {"mon-fri": "08:00-17:00"}})


@pytest.fixture
def shop() -> BusinessCalendar:
    return BusinessCalendar.from_config(
        {"hours": {"mån-fre": "08:00-17:00", "lör": "10:00-14:00"}})


@pytest.fixture
def swedish():
    before = get_language()
    set_language("sv")
    yield
    set_language(before)


# --- weekends and holidays ---------------------------------------------------------------------

def test_weekend_is_skipped(office):
    # Friday 16:00 plus 4 open hours: one hour on Friday, three on Monday morning.
    assert add_business_time(at(2026, 3, 6, 16), 4 * H, office) == at(2026, 3, 9, 11)


def test_a_duration_that_runs_out_at_closing_time_ends_then(office):
    assert add_business_time(at(2026, 3, 6, 13), 4 * H, office) == at(2026, 3, 6, 17)


def test_counting_starts_at_the_next_opening(office):
    assert add_business_time(at(2026, 3, 7, 12), 1 * H, office) == at(2026, 3, 9, 9)
    assert add_business_time(at(2026, 3, 9, 6, 30), 1 * H, office) == at(2026, 3, 9, 9)


def test_zero_duration_is_the_start(office):
    assert add_business_time(at(2026, 3, 7, 12), timedelta(0), office) == at(2026, 3, 7, 12)


def test_christmas_eve_complaint(office, shop):
    # Received Thursday 24 December 2026 at 15:00: christmas eve, christmas day (Fri), boxing
    # day (Sat, a holiday even where Saturdays are open) and Sunday are closed.
    received = at(2026, 12, 24, 15)
    for calendar in (office, shop):
        assert add_business_time(received, 4 * H, calendar) == at(2026, 12, 28, 12)
        assert add_business_time(received, calendar.parse_duration("2d"), calendar) == \
            at(2026, 12, 29, 17)
    # 28, 29, 30 December are open; new year's eve and new year's day are not.
    assert add_business_time(received, 30 * H, office) == at(2027, 1, 4, 11)


def test_midsummer(office, shop):
    assert midsummer_eve(2026) == date(2026, 6, 19)
    assert midsummer_eve(2027) == date(2027, 6, 25)
    # Thursday before midsummer, 16:00: midsummer eve (Fri) and midsummer day (Sat) are closed.
    for calendar in (office, shop):
        assert add_business_time(at(2026, 6, 18, 16), 4 * H, calendar) == at(2026, 6, 22, 11)


def test_easter(office, shop):
    # Maundy Thursday is open; Good Friday and Easter Monday are holidays; Holy Saturday is not.
    start = at(2026, 4, 2, 14)
    assert add_business_time(start, 8 * H, office) == at(2026, 4, 7, 13)
    assert add_business_time(start, 8 * H, shop) == at(2026, 4, 7, 9)
    # Thursday 9 h, Saturday 4 h, Tuesday 9 h.
    assert business_time_between(at(2026, 4, 2, 8), at(2026, 4, 8, 8), shop) == 22 * H


def test_business_time_between_over_new_year(shop):
    # 28-30 Dec: 27 h; Sat 2 Jan: 4 h; Mon 4 Jan until 12:00: 4 h.
    assert business_time_between(at(2026, 12, 24, 15), at(2027, 1, 4, 12), shop) == 35 * H
    assert business_time_between(at(2027, 1, 4, 12), at(2026, 12, 24, 15), shop) == -35 * H


def test_closed_reasons(office, swedish):
    assert office.closed_reason(date(2026, 12, 24)) == "Julafton"
    assert office.closed_reason(date(2026, 4, 3)) == "Långfredagen"
    assert office.closed_reason(date(2026, 3, 7)) == "inga öppettider"
    assert office.closed_reason(date(2026, 3, 9)) is None
    assert not office.is_business_day(date(2026, 6, 19))


def test_holidays_can_be_switched_off():
    calendar = BusinessCalendar.from_config({
        "hours": {"mon-fri": "08:00-17:00"}, "public_holidays": False, "holiday_eves": False})
    assert calendar.is_business_day(date(2026, 12, 24))
    assert calendar.is_business_day(date(2026, 12, 25))
    only_public = BusinessCalendar.from_config({
        "hours": {"mon-fri": "08:00-17:00"}, "holiday_eves": False})
    assert only_public.is_business_day(date(2026, 12, 24))
    assert not only_public.is_business_day(date(2026, 12, 25))


def test_extra_closed_dates_and_ranges(office):
    calendar = BusinessCalendar.from_config({
        "hours": {"mon-fri": "08:00-17:00"},
        "closed": ["2026-03-09", "2026-07-06..2026-07-31", date(2026, 3, 11)]})
    assert calendar.closed_reason(date(2026, 3, 9)) == "closed"
    assert not calendar.is_business_day(date(2026, 7, 15))
    assert not calendar.is_business_day(date(2026, 3, 11))
    assert add_business_time(at(2026, 3, 6, 16), 4 * H, calendar) == at(2026, 3, 10, 11)
    assert add_business_time(at(2026, 7, 3, 16), 2 * H, calendar) == at(2026, 8, 3, 9)


def test_lunch_break():
    calendar = BusinessCalendar.from_config({"hours": {"mon-fri": ["08:00-12:00", "13:00-17:00"]}})
    assert add_business_time(at(2026, 3, 9, 11), 2 * H, calendar) == at(2026, 3, 9, 14)
    assert business_time_between(at(2026, 3, 9, 8), at(2026, 3, 9, 17), calendar) == 8 * H
    assert not calendar.is_open(at(2026, 3, 9, 12, 30))
    assert calendar.next_open(at(2026, 3, 9, 12, 30)) == at(2026, 3, 9, 13)


def test_day_names_ranges_and_lists():
    calendar = BusinessCalendar.from_config(
        {"hours": {"mon-wed,fri": "9-17", "thu": "12.00–20.00", "sat-sun": None}})
    assert calendar.hours is not None
    assert calendar.hours[0] == ((540, 1020),)
    assert calendar.hours[3] == ((720, 1200),)
    assert calendar.hours[5] == calendar.hours[6] == ()


# --- daylight saving time ----------------------------------------------------------------------

def test_opening_hours_keep_their_wall_clock_on_the_spring_change():
    every_day = BusinessCalendar.from_config({"hours": {"mon-sun": "08:00-17:00"}})
    # 29 March 2026 at 02:00 the clocks jump to 03:00; the opening is still at 08:00 local.
    due = add_business_time(at(2026, 3, 28, 16), 2 * H, every_day)
    assert due == at(2026, 3, 29, 9)
    assert due.utcoffset() == timedelta(hours=2)
    assert business_time_between(at(2026, 3, 28, 8), at(2026, 3, 30, 8), every_day) == 18 * H


def test_a_round_the_clock_day_is_23_or_25_hours():
    around = BusinessCalendar.from_config({"hours": {"mon-sun": "00:00-24:00"}})
    [(opens, closes)] = around.open_intervals(date(2026, 3, 29))
    assert closes - opens == 23 * H
    [(opens, closes)] = around.open_intervals(date(2026, 10, 25))
    assert closes - opens == 25 * H
    assert business_time_between(at(2026, 10, 25, 0), at(2026, 10, 26, 0), around) == 25 * H


def test_nonexistent_and_repeated_opening_times():
    night = BusinessCalendar.from_config({"hours": {"mon-sun": "02:30-04:00"}})
    # Spring: 02:30 does not exist, so the day opens when the clock shows 03:00.
    [(opens, closes)] = night.open_intervals(date(2026, 3, 29))
    assert opens.astimezone(STHLM) == at(2026, 3, 29, 3)
    assert closes - opens == 1 * H
    # Autumn: 02:30 happens twice; the first one opens, so the night is 2.5 hours long.
    [(opens, closes)] = night.open_intervals(date(2026, 10, 25))
    assert closes - opens == timedelta(hours=2, minutes=30)


def test_24_7_counts_real_elapsed_time_across_dst():
    always = BusinessCalendar.from_config({})
    assert always.always_open and always.day_length == timedelta(days=1)
    # 24 real hours from Saturday noon before the spring change: Sunday 13:00 summer time.
    assert add_business_time(at(2026, 3, 28, 12), 24 * H, always) == at(2026, 3, 29, 13)
    assert add_business_time(at(2026, 10, 24, 12), 24 * H, always) == at(2026, 10, 25, 11)
    assert add_business_time(at(2026, 3, 28, 12), 24 * H) == at(2026, 3, 29, 13)
    assert business_time_between(at(2026, 3, 28, 12), at(2026, 3, 29, 12), always) == 23 * H
    # Holidays do not matter when the business never closes.
    assert always.is_business_day(date(2026, 12, 24))
    assert always.parse_duration("2d") == timedelta(days=2)


def test_result_is_in_the_calendars_zone(office):
    utc_start = datetime(2026, 3, 6, 15, tzinfo=ZoneInfo("UTC"))  # 16:00 in Stockholm
    due = add_business_time(utc_start, 4 * H, office)
    assert due == at(2026, 3, 9, 11) and due.tzinfo == STHLM


# --- durations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("30m", timedelta(minutes=30)),
    ("4h", 4 * H),
    ("1d4h", 28 * H),
    ("1d 4h", 28 * H),
    ("1.5h", timedelta(minutes=90)),
    ("1,5 timmar", timedelta(minutes=90)),
    ("2 dagar", timedelta(days=2)),
    ("1w", timedelta(days=7)),
    ("2 hours 15 min", timedelta(hours=2, minutes=15)),
    ("0m", timedelta(0)),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "4", "4x", "h", "-4h", "4h ago", "3 bd"])
def test_parse_duration_refuses(text):
    with pytest.raises(ValidationError, match="is not a duration"):
        parse_duration(text)


def test_days_and_weeks_are_open_days_in_a_business_calendar(office, shop):
    assert office.day_length == 9 * H and office.week_length == 45 * H
    assert office.parse_duration("2d") == 18 * H
    # "2d" from Monday 10:00 is Wednesday 10:00; "1w" from Monday is next Monday.
    assert add_business_time(at(2026, 3, 9, 10), office.parse_duration("2d"), office) == \
        at(2026, 3, 11, 10)
    assert add_business_time(at(2026, 3, 9, 10), shop.parse_duration("1w"), shop) == \
        at(2026, 3, 16, 10)
    assert shop.day_length == 9 * H and shop.week_length == 49 * H
    eight = BusinessCalendar.from_config({"hours": {"mon-fri": "08:00-17:00"},
                                          "business_day": "8h"})
    assert eight.parse_duration("1d") == 8 * H


def test_format_duration():
    assert format_duration(timedelta(hours=26, minutes=30)) == "26h 30m"
    assert format_duration(timedelta(hours=26, minutes=30), day=9 * H) == "2d 8h 30m"
    assert format_duration(timedelta(minutes=-65)) == "-1h 5m"
    assert format_duration(timedelta(0)) == "0m"
    assert format_duration(timedelta(minutes=45)) == "45m"


# --- configuration -----------------------------------------------------------------------------

@pytest.mark.parametrize("config,message", [
    ({"hours": {"mon-fri": "17:00-08:00"}}, "closes before it opens"),
    ({"hours": {"mon": ["08:00-12:00", "11:00-17:00"]}}, "overlap"),
    ({"hours": {"mon-fri": "08:00-17:00", "fri": "10-12"}}, "fri already has opening hours"),
    ({"hours": {"monday": "08:00-17:00"}}, "not a day or a range of days"),
    ({"hours": {"mon": "25:00-26:00"}}, "not a time of day"),
    ({"hours": {"mon": "9 to 5"}}, "is not opening hours"),
    ({"hours": {"mon-sun": "closed"}}, "never open"),
    ({"timezone": "Europe/Atlantis"}, "unknown time zone 'Europe/Atlantis'"),
    ({"closed": ["2026-02-30"]}, "not a real date"),
    ({"closed": ["2026-07-31..2026-07-01"]}, "must run forwards"),
    ({"closed": ["July"]}, "is not a date"),
    ({"hour": {}}, "unknown key 'hour'"),
    ({"public_holidays": "yes"}, "must be true or false"),
])
def test_bad_configuration(config, message):
    with pytest.raises(ValidationError, match=message) as caught:
        BusinessCalendar.from_config(config)
    assert caught.value.field and caught.value.field.startswith("calendar")


def test_naive_and_negative_values_are_refused(office):
    with pytest.raises(ValidationError, match="time zone"):
        add_business_time(datetime(2026, 3, 9, 10), H, office)
    with pytest.raises(ValidationError, match="negative"):
        add_business_time(at(2026, 3, 9, 10), -H, office)
    with pytest.raises(KundkitError):
        business_time_between(at(2026, 3, 9, 10), datetime(2026, 3, 9, 12), office)


def test_a_calendar_that_never_opens_again_fails_cleanly():
    calendar = BusinessCalendar.from_config({"hours": {"mon-fri": "08:00-17:00"},
                                             "closed": ["2026-01-01..2035-12-31"]})
    with pytest.raises(ValidationError, match="no opening hours in the next ten years"):
        add_business_time(at(2026, 3, 9, 10), 1000 * H * 24 * 10, calendar)


def test_schema_reports_located_problems():
    doc, problems = parse_yaml(
        "timezone: Europe/Stockholm\n"
        "hours:\n"
        "  mon-fri: \"08:00-17:00\"\n"
        "  mondag: 08-17\n"
        "  sun: 9 to 5\n"
        "closed: [\"2026-07-20..2026-07-31\", \"20260720\"]\n"
        "business_day: soon\n", "kundkit.yaml")
    assert problems == []
    found = [str(p) for p in validate(doc, CALENDAR_SCHEMA)]
    assert found == [
        "kundkit.yaml:4:3: hours: unknown key 'mondag'",
        "kundkit.yaml:5:8: hours.sun: '9 to 5' has the wrong form "
        "(opening hours such as 08:00-17:00)",
        "kundkit.yaml:6:36: closed[1]: '20260720' has the wrong form "
        "(a date (2026-07-20) or a range (2026-07-20..2026-07-31))",
        "kundkit.yaml:7:15: business_day: 'soon' has the wrong form "
        "(a duration such as 30m, 4h, 2d or 1d4h)",
    ]


def test_schema_accepts_what_from_config_builds():
    doc, _problems = parse_yaml(
        "timezone: Europe/Stockholm\n"
        "hours:\n"
        "  mån-fre: 08:00-17:00\n"
        "  lör: [10:00-12:00, 12:30-14:00]\n"
        "  sön: closed\n"
        "public_holidays: true\n"
        "holiday_eves: false\n"
        "closed: [\"2026-07-20\"]\n"
        "business_day: 8h\n", "kundkit.yaml")
    assert validate(doc, CALENDAR_SCHEMA) == []
    calendar = BusinessCalendar.from_config(doc.data)
    assert calendar.day_length == 8 * H
    assert calendar.week_length == timedelta(hours=48, minutes=30)


def test_default_timezone_comes_from_the_caller():
    calendar = BusinessCalendar.from_config({"hours": {"mon-fri": "09-17"}},
                                            timezone="Europe/Helsinki")
    helsinki = ZoneInfo("Europe/Helsinki")
    due = add_business_time(datetime(2026, 3, 9, 9, tzinfo=helsinki), H, calendar)
    assert due == datetime(2026, 3, 9, 10, tzinfo=helsinki)
