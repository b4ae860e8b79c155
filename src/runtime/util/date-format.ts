// Local-time date formatting with moment.js format tokens (English locale), used for `date` typed values
// (Node-RED calls moment().format(fmt); moment is not a Crimson dependency, so the tokens are done here).

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_FORMATS: Record<string, string> = {
  LT: 'h:mm A', LTS: 'h:mm:ss A', L: 'MM/DD/YYYY', LL: 'MMMM D, YYYY', LLL: 'MMMM D, YYYY h:mm A',
  LLLL: 'dddd, MMMM D, YYYY h:mm A', l: 'M/D/YYYY', ll: 'MMM D, YYYY', lll: 'MMM D, YYYY h:mm A',
  llll: 'ddd, MMM D, YYYY h:mm A',
};
const LONG_TOKENS = /(\[[^\[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})/g;
const TOKENS = /(\[[^\[]*\])|(\\)?(Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|Y|.)/g;

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
};

/** English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st... */
function ordinal(n: number): string {
  const tens = Math.floor((n % 100) / 10);
  const unit = n % 10;
  const suffix = tens === 1 ? 'th' : unit === 1 ? 'st' : unit === 2 ? 'nd' : unit === 3 ? 'rd' : 'th';
  return n + suffix;
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - start.getTime()) / 864e5) + 1;
}

/** Week and week-year where weeks start on `dow` and week 1 contains day `doy` (moment's weekOfYear). */
function weekOfYear(d: Date, dow: number, doy: number): { week: number; year: number } {
  const firstWeekOffset = (year: number) => {
    const fwd = 7 + dow - doy;
    const fwdlw = (7 + new Date(year, 0, fwd).getDay() - dow) % 7;
    return -fwdlw + fwd - 1;
  };
  const weeksInYear = (year: number) => {
    const days = new Date(year, 1, 29).getDate() === 29 ? 366 : 365;
    return (days - firstWeekOffset(year) + firstWeekOffset(year + 1)) / 7;
  };
  const year = d.getFullYear();
  const weekOffset = firstWeekOffset(year);
  const week = Math.floor((dayOfYear(d) - weekOffset - 1) / 7) + 1;
  if (week < 1) return { week: week + weeksInYear(year - 1), year: year - 1 };
  if (week > weeksInYear(year)) return { week: week - weeksInYear(year), year: year + 1 };
  return { week, year };
}

function zone(d: Date, separator: string): string {
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return sign + pad(Math.floor(abs / 60), 2) + separator + pad(abs % 60, 2);
}

function year(y: number, width: number): string {
  return y > 9999 && width === 4 ? '+' + y : pad(y, width);
}

function token(t: string, d: Date): string {
  const hours = d.getHours();
  const iso = () => weekOfYear(d, 1, 4);
  const local = () => weekOfYear(d, 0, 6);
  switch (t) {
    case 'YYYY': return year(d.getFullYear(), 4);
    case 'YYYYY': return pad(d.getFullYear(), 5);
    case 'YYYYYY': return (d.getFullYear() < 0 ? '-' : '+') + pad(Math.abs(d.getFullYear()), 6);
    case 'YY': return pad(d.getFullYear() % 100, 2);
    case 'Y': return d.getFullYear() > 9999 ? '+' + d.getFullYear() : String(d.getFullYear());
    case 'Q': return String(Math.floor(d.getMonth() / 3) + 1);
    case 'Qo': return ordinal(Math.floor(d.getMonth() / 3) + 1);
    case 'M': return String(d.getMonth() + 1);
    case 'Mo': return ordinal(d.getMonth() + 1);
    case 'MM': return pad(d.getMonth() + 1, 2);
    case 'MMM': return MONTHS[d.getMonth()]!.slice(0, 3);
    case 'MMMM': return MONTHS[d.getMonth()]!;
    case 'D': return String(d.getDate());
    case 'Do': return ordinal(d.getDate());
    case 'DD': return pad(d.getDate(), 2);
    case 'DDD': return String(dayOfYear(d));
    case 'DDDo': return ordinal(dayOfYear(d));
    case 'DDDD': return pad(dayOfYear(d), 3);
    case 'd': case 'e': return String(d.getDay());
    case 'do': return ordinal(d.getDay());
    case 'dd': return DAYS[d.getDay()]!.slice(0, 2);
    case 'ddd': return DAYS[d.getDay()]!.slice(0, 3);
    case 'dddd': return DAYS[d.getDay()]!;
    case 'E': return String(d.getDay() || 7);
    case 'w': return String(local().week);
    case 'wo': return ordinal(local().week);
    case 'ww': return pad(local().week, 2);
    case 'W': return String(iso().week);
    case 'Wo': return ordinal(iso().week);
    case 'WW': return pad(iso().week, 2);
    case 'gg': return pad(local().year % 100, 2);
    case 'gggg': return pad(local().year, 4);
    case 'ggggg': return pad(local().year, 5);
    case 'GG': return pad(iso().year % 100, 2);
    case 'GGGG': return pad(iso().year, 4);
    case 'GGGGG': return pad(iso().year, 5);
    case 'N': case 'NN': case 'NNN': case 'NNNNN': return d.getFullYear() > 0 ? 'AD' : 'BC';
    case 'NNNN': return d.getFullYear() > 0 ? 'Anno Domini' : 'Before Christ';
    case 'H': return String(hours);
    case 'HH': return pad(hours, 2);
    case 'h': return String(hours % 12 || 12);
    case 'hh': return pad(hours % 12 || 12, 2);
    case 'k': return String(hours || 24);
    case 'kk': return pad(hours || 24, 2);
    case 'm': return String(d.getMinutes());
    case 'mm': return pad(d.getMinutes(), 2);
    case 's': return String(d.getSeconds());
    case 'ss': return pad(d.getSeconds(), 2);
    case 'a': return hours < 12 ? 'am' : 'pm';
    case 'A': return hours < 12 ? 'AM' : 'PM';
    case 'Z': return zone(d, ':');
    case 'ZZ': return zone(d, '');
    case 'z': case 'zz': return '';
    case 'X': return String(Math.floor(d.getTime() / 1000));
    case 'x': return String(d.getTime());
    default:
      if (/^S+$/.test(t)) return pad(d.getMilliseconds(), 3).padEnd(t.length, '0').slice(0, t.length);
      return t;
  }
}

/** Formats `date` (local time) with a moment.js format string, e.g. `YYYY-MM-DD HH:mm:ss`. */
export function formatDate(date: Date, format: string): string {
  if (Number.isNaN(date.getTime())) return 'Invalid date';
  const expanded = format.replace(LONG_TOKENS, (m, bracketed: string | undefined, escaped: string | undefined, t: string) =>
    bracketed || escaped ? m : LONG_FORMATS[t]!);
  return expanded.replace(TOKENS, (m, bracketed: string | undefined, escaped: string | undefined, t: string) => {
    if (bracketed) return bracketed.slice(1, -1);
    if (escaped) return t;
    return token(t, date);
  });
}
