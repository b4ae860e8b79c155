// Comms subscription patterns (COMPAT B6), as Node-RED reads them: `+` stands for one or more characters
// within a topic level, a trailing `/#` for "this level and anything below it"; everything else is literal.
// Matched level by level without regular expressions, so no pattern can make matching slow.

/** True when `topic` matches the subscription `pattern`. */
export function topicMatches(pattern: string, topic: string): boolean {
  const anyDepth = pattern.endsWith('/#');
  const wanted = (anyDepth ? pattern.slice(0, -2) : pattern).split('/');
  const levels = topic.split('/');
  if (anyDepth ? levels.length < wanted.length : levels.length !== wanted.length) return false;
  for (let i = 0; i < wanted.length; i++) {
    if (!levelMatches(wanted[i]!, levels[i]!)) return false;
  }
  return true;
}

/** One level: each `+` in the pattern consumes at least one character; the rest must be equal. */
function levelMatches(pattern: string, level: string): boolean {
  let p = 0;
  let l = 0;
  let starP = -1; // position after the last `+` seen
  let starL = 0; // where that `+` stopped consuming
  while (l < level.length) {
    if (p < pattern.length && pattern[p] === '+') {
      if (l >= level.length) return false;
      starP = ++p;
      starL = ++l; // the mandatory first character
    } else if (p < pattern.length && pattern[p] === level[l]) {
      p++;
      l++;
    } else if (starP !== -1) {
      p = starP;
      l = ++starL; // let the last `+` take one more character
    } else {
      return false;
    }
  }
  return p === pattern.length;
}
