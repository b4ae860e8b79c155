// formatDate: moment.js format tokens. FORMATS was produced by moment 2.30.1 (what Node-RED uses) for the
// same local dates; it is literal here.
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../../src/runtime/util/date-format.js';

const FORMATS: Array<[number[], string, string]> = [
  [[2024, 0, 1, 0, 5, 9, 7], "YYYY-MM-DD HH:mm:ss.SSS", "2024-01-01 00:05:09.007"],
  [[2024, 0, 1, 0, 5, 9, 7], "YY M D H h hh k kk m s a A", "24 1 1 0 12 12 24 24 5 9 am AM"],
  [[2024, 0, 1, 0, 5, 9, 7], "Q Qo Mo Do DDD DDDo DDDD", "1 1st 1st 1st 1 1st 001"],
  [[2024, 0, 1, 0, 5, 9, 7], "d do dd ddd dddd e E", "1 1st Mo Mon Monday 1 1"],
  [[2024, 0, 1, 0, 5, 9, 7], "w wo ww W Wo WW gg gggg GG GGGG", "1 1st 01 1 1st 01 24 2024 24 2024"],
  [[2024, 0, 1, 0, 5, 9, 7], "S SS SSS SSSS SSSSSS", "0 00 007 0070 007000"],
  [[2024, 0, 1, 0, 5, 9, 7], "[Today is] dddd", "Today is Monday"],
  [[2024, 0, 1, 0, 5, 9, 7], "\\YYYY YYYY", "YYYY 2024"],
  [[2024, 0, 1, 0, 5, 9, 7], "LT LTS L LL LLL LLLL", "12:05 AM 12:05:09 AM 01/01/2024 January 1, 2024 January 1, 2024 12:05 AM Monday, January 1, 2024 12:05 AM"],
  [[2024, 0, 1, 0, 5, 9, 7], "l ll lll llll", "1/1/2024 Jan 1, 2024 Jan 1, 2024 12:05 AM Mon, Jan 1, 2024 12:05 AM"],
  [[2024, 0, 1, 0, 5, 9, 7], "MMM MMMM", "Jan January"],
  [[2024, 0, 1, 0, 5, 9, 7], "YYYYY YYYYYY Y", "02024 +002024 2024"],
  [[2024, 0, 1, 0, 5, 9, 7], "N NNNN", "AD Anno Domini"],
  [[2024, 0, 1, 0, 5, 9, 7], "z zz", " "],
  [[2024, 0, 1, 0, 5, 9, 7], "foo bar", "foo bamr"],
  [[2024, 0, 1, 0, 5, 9, 7], "HHmmss", "000509"],
  [[2024, 0, 1, 0, 5, 9, 7], "[a[b]c]", "[amb]c"],
  [[2024, 0, 1, 0, 5, 9, 7], "YYYY-MM-DDTHH:mm:ss", "2024-01-01T00:05:09"],
  [[2021, 0, 3, 13, 0, 0, 999], "YYYY-MM-DD HH:mm:ss.SSS", "2021-01-03 13:00:00.999"],
  [[2021, 0, 3, 13, 0, 0, 999], "YY M D H h hh k kk m s a A", "21 1 3 13 1 01 13 13 0 0 pm PM"],
  [[2021, 0, 3, 13, 0, 0, 999], "Q Qo Mo Do DDD DDDo DDDD", "1 1st 1st 3rd 3 3rd 003"],
  [[2021, 0, 3, 13, 0, 0, 999], "d do dd ddd dddd e E", "0 0th Su Sun Sunday 0 7"],
  [[2021, 0, 3, 13, 0, 0, 999], "w wo ww W Wo WW gg gggg GG GGGG", "2 2nd 02 53 53rd 53 21 2021 20 2020"],
  [[2021, 0, 3, 13, 0, 0, 999], "S SS SSS SSSS SSSSSS", "9 99 999 9990 999000"],
  [[2021, 0, 3, 13, 0, 0, 999], "[Today is] dddd", "Today is Sunday"],
  [[2021, 0, 3, 13, 0, 0, 999], "\\YYYY YYYY", "YYYY 2021"],
  [[2021, 0, 3, 13, 0, 0, 999], "LT LTS L LL LLL LLLL", "1:00 PM 1:00:00 PM 01/03/2021 January 3, 2021 January 3, 2021 1:00 PM Sunday, January 3, 2021 1:00 PM"],
  [[2021, 0, 3, 13, 0, 0, 999], "l ll lll llll", "1/3/2021 Jan 3, 2021 Jan 3, 2021 1:00 PM Sun, Jan 3, 2021 1:00 PM"],
  [[2021, 0, 3, 13, 0, 0, 999], "MMM MMMM", "Jan January"],
  [[2021, 0, 3, 13, 0, 0, 999], "YYYYY YYYYYY Y", "02021 +002021 2021"],
  [[2021, 0, 3, 13, 0, 0, 999], "N NNNN", "AD Anno Domini"],
  [[2021, 0, 3, 13, 0, 0, 999], "z zz", " "],
  [[2021, 0, 3, 13, 0, 0, 999], "foo bar", "foo bpmr"],
  [[2021, 0, 3, 13, 0, 0, 999], "HHmmss", "130000"],
  [[2021, 0, 3, 13, 0, 0, 999], "[a[b]c]", "[pmb]c"],
  [[2021, 0, 3, 13, 0, 0, 999], "YYYY-MM-DDTHH:mm:ss", "2021-01-03T13:00:00"],
  [[2020, 11, 31, 23, 59, 59, 50], "YYYY-MM-DD HH:mm:ss.SSS", "2020-12-31 23:59:59.050"],
  [[2020, 11, 31, 23, 59, 59, 50], "YY M D H h hh k kk m s a A", "20 12 31 23 11 11 23 23 59 59 pm PM"],
  [[2020, 11, 31, 23, 59, 59, 50], "Q Qo Mo Do DDD DDDo DDDD", "4 4th 12th 31st 366 366th 366"],
  [[2020, 11, 31, 23, 59, 59, 50], "d do dd ddd dddd e E", "4 4th Th Thu Thursday 4 4"],
  [[2020, 11, 31, 23, 59, 59, 50], "w wo ww W Wo WW gg gggg GG GGGG", "1 1st 01 53 53rd 53 21 2021 20 2020"],
  [[2020, 11, 31, 23, 59, 59, 50], "S SS SSS SSSS SSSSSS", "0 05 050 0500 050000"],
  [[2020, 11, 31, 23, 59, 59, 50], "[Today is] dddd", "Today is Thursday"],
  [[2020, 11, 31, 23, 59, 59, 50], "\\YYYY YYYY", "YYYY 2020"],
  [[2020, 11, 31, 23, 59, 59, 50], "LT LTS L LL LLL LLLL", "11:59 PM 11:59:59 PM 12/31/2020 December 31, 2020 December 31, 2020 11:59 PM Thursday, December 31, 2020 11:59 PM"],
  [[2020, 11, 31, 23, 59, 59, 50], "l ll lll llll", "12/31/2020 Dec 31, 2020 Dec 31, 2020 11:59 PM Thu, Dec 31, 2020 11:59 PM"],
  [[2020, 11, 31, 23, 59, 59, 50], "MMM MMMM", "Dec December"],
  [[2020, 11, 31, 23, 59, 59, 50], "YYYYY YYYYYY Y", "02020 +002020 2020"],
  [[2020, 11, 31, 23, 59, 59, 50], "N NNNN", "AD Anno Domini"],
  [[2020, 11, 31, 23, 59, 59, 50], "z zz", " "],
  [[2020, 11, 31, 23, 59, 59, 50], "foo bar", "foo bpmr"],
  [[2020, 11, 31, 23, 59, 59, 50], "HHmmss", "235959"],
  [[2020, 11, 31, 23, 59, 59, 50], "[a[b]c]", "[pmb]c"],
  [[2020, 11, 31, 23, 59, 59, 50], "YYYY-MM-DDTHH:mm:ss", "2020-12-31T23:59:59"],
  [[2026, 6, 15, 12, 30, 1, 123], "YYYY-MM-DD HH:mm:ss.SSS", "2026-07-15 12:30:01.123"],
  [[2026, 6, 15, 12, 30, 1, 123], "YY M D H h hh k kk m s a A", "26 7 15 12 12 12 12 12 30 1 pm PM"],
  [[2026, 6, 15, 12, 30, 1, 123], "Q Qo Mo Do DDD DDDo DDDD", "3 3rd 7th 15th 196 196th 196"],
  [[2026, 6, 15, 12, 30, 1, 123], "d do dd ddd dddd e E", "3 3rd We Wed Wednesday 3 3"],
  [[2026, 6, 15, 12, 30, 1, 123], "w wo ww W Wo WW gg gggg GG GGGG", "29 29th 29 29 29th 29 26 2026 26 2026"],
  [[2026, 6, 15, 12, 30, 1, 123], "S SS SSS SSSS SSSSSS", "1 12 123 1230 123000"],
  [[2026, 6, 15, 12, 30, 1, 123], "[Today is] dddd", "Today is Wednesday"],
  [[2026, 6, 15, 12, 30, 1, 123], "\\YYYY YYYY", "YYYY 2026"],
  [[2026, 6, 15, 12, 30, 1, 123], "LT LTS L LL LLL LLLL", "12:30 PM 12:30:01 PM 07/15/2026 July 15, 2026 July 15, 2026 12:30 PM Wednesday, July 15, 2026 12:30 PM"],
  [[2026, 6, 15, 12, 30, 1, 123], "l ll lll llll", "7/15/2026 Jul 15, 2026 Jul 15, 2026 12:30 PM Wed, Jul 15, 2026 12:30 PM"],
  [[2026, 6, 15, 12, 30, 1, 123], "MMM MMMM", "Jul July"],
  [[2026, 6, 15, 12, 30, 1, 123], "YYYYY YYYYYY Y", "02026 +002026 2026"],
  [[2026, 6, 15, 12, 30, 1, 123], "N NNNN", "AD Anno Domini"],
  [[2026, 6, 15, 12, 30, 1, 123], "z zz", " "],
  [[2026, 6, 15, 12, 30, 1, 123], "foo bar", "foo bpmr"],
  [[2026, 6, 15, 12, 30, 1, 123], "HHmmss", "123001"],
  [[2026, 6, 15, 12, 30, 1, 123], "[a[b]c]", "[pmb]c"],
  [[2026, 6, 15, 12, 30, 1, 123], "YYYY-MM-DDTHH:mm:ss", "2026-07-15T12:30:01"],
  [[2027, 0, 1, 11, 0, 0, 0], "YYYY-MM-DD HH:mm:ss.SSS", "2027-01-01 11:00:00.000"],
  [[2027, 0, 1, 11, 0, 0, 0], "YY M D H h hh k kk m s a A", "27 1 1 11 11 11 11 11 0 0 am AM"],
  [[2027, 0, 1, 11, 0, 0, 0], "Q Qo Mo Do DDD DDDo DDDD", "1 1st 1st 1st 1 1st 001"],
  [[2027, 0, 1, 11, 0, 0, 0], "d do dd ddd dddd e E", "5 5th Fr Fri Friday 5 5"],
  [[2027, 0, 1, 11, 0, 0, 0], "w wo ww W Wo WW gg gggg GG GGGG", "1 1st 01 53 53rd 53 27 2027 26 2026"],
  [[2027, 0, 1, 11, 0, 0, 0], "S SS SSS SSSS SSSSSS", "0 00 000 0000 000000"],
  [[2027, 0, 1, 11, 0, 0, 0], "[Today is] dddd", "Today is Friday"],
  [[2027, 0, 1, 11, 0, 0, 0], "\\YYYY YYYY", "YYYY 2027"],
  [[2027, 0, 1, 11, 0, 0, 0], "LT LTS L LL LLL LLLL", "11:00 AM 11:00:00 AM 01/01/2027 January 1, 2027 January 1, 2027 11:00 AM Friday, January 1, 2027 11:00 AM"],
  [[2027, 0, 1, 11, 0, 0, 0], "l ll lll llll", "1/1/2027 Jan 1, 2027 Jan 1, 2027 11:00 AM Fri, Jan 1, 2027 11:00 AM"],
  [[2027, 0, 1, 11, 0, 0, 0], "MMM MMMM", "Jan January"],
  [[2027, 0, 1, 11, 0, 0, 0], "YYYYY YYYYYY Y", "02027 +002027 2027"],
  [[2027, 0, 1, 11, 0, 0, 0], "N NNNN", "AD Anno Domini"],
  [[2027, 0, 1, 11, 0, 0, 0], "z zz", " "],
  [[2027, 0, 1, 11, 0, 0, 0], "foo bar", "foo bamr"],
  [[2027, 0, 1, 11, 0, 0, 0], "HHmmss", "110000"],
  [[2027, 0, 1, 11, 0, 0, 0], "[a[b]c]", "[amb]c"],
  [[2027, 0, 1, 11, 0, 0, 0], "YYYY-MM-DDTHH:mm:ss", "2027-01-01T11:00:00"],
  [[2015, 11, 28, 0, 0, 0, 1], "YYYY-MM-DD HH:mm:ss.SSS", "2015-12-28 00:00:00.001"],
  [[2015, 11, 28, 0, 0, 0, 1], "YY M D H h hh k kk m s a A", "15 12 28 0 12 12 24 24 0 0 am AM"],
  [[2015, 11, 28, 0, 0, 0, 1], "Q Qo Mo Do DDD DDDo DDDD", "4 4th 12th 28th 362 362nd 362"],
  [[2015, 11, 28, 0, 0, 0, 1], "d do dd ddd dddd e E", "1 1st Mo Mon Monday 1 1"],
  [[2015, 11, 28, 0, 0, 0, 1], "w wo ww W Wo WW gg gggg GG GGGG", "1 1st 01 53 53rd 53 16 2016 15 2015"],
  [[2015, 11, 28, 0, 0, 0, 1], "S SS SSS SSSS SSSSSS", "0 00 001 0010 001000"],
  [[2015, 11, 28, 0, 0, 0, 1], "[Today is] dddd", "Today is Monday"],
  [[2015, 11, 28, 0, 0, 0, 1], "\\YYYY YYYY", "YYYY 2015"],
  [[2015, 11, 28, 0, 0, 0, 1], "LT LTS L LL LLL LLLL", "12:00 AM 12:00:00 AM 12/28/2015 December 28, 2015 December 28, 2015 12:00 AM Monday, December 28, 2015 12:00 AM"],
  [[2015, 11, 28, 0, 0, 0, 1], "l ll lll llll", "12/28/2015 Dec 28, 2015 Dec 28, 2015 12:00 AM Mon, Dec 28, 2015 12:00 AM"],
  [[2015, 11, 28, 0, 0, 0, 1], "MMM MMMM", "Dec December"],
  [[2015, 11, 28, 0, 0, 0, 1], "YYYYY YYYYYY Y", "02015 +002015 2015"],
  [[2015, 11, 28, 0, 0, 0, 1], "N NNNN", "AD Anno Domini"],
  [[2015, 11, 28, 0, 0, 0, 1], "z zz", " "],
  [[2015, 11, 28, 0, 0, 0, 1], "foo bar", "foo bamr"],
  [[2015, 11, 28, 0, 0, 0, 1], "HHmmss", "000000"],
  [[2015, 11, 28, 0, 0, 0, 1], "[a[b]c]", "[amb]c"],
  [[2015, 11, 28, 0, 0, 0, 1], "YYYY-MM-DDTHH:mm:ss", "2015-12-28T00:00:00"],
];

const local = (parts: number[]) => new Date(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!, parts[5]!, parts[6]!);

describe('formatDate', () => {
  it.each(FORMATS)('%j with %s', (parts, format, expected) => {
    expect(formatDate(local(parts), format)).toBe(expected);
  });

  it('formats the zone offset and epoch tokens', () => {
    const d = new Date(2024, 5, 1, 12, 0, 0, 250);
    const offset = -d.getTimezoneOffset();
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offset) % 60).padStart(2, '0');
    const sign = offset < 0 ? '-' : '+';
    expect(formatDate(d, 'Z|ZZ')).toBe(`${sign}${hh}:${mm}|${sign}${hh}${mm}`);
    expect(formatDate(d, 'X')).toBe(String(Math.floor(d.getTime() / 1000)));
    expect(formatDate(d, 'x')).toBe(String(d.getTime()));
  });

  it('says Invalid date for an invalid Date', () => {
    expect(formatDate(new Date(NaN), 'YYYY')).toBe('Invalid date');
  });
});
