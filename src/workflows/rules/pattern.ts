/**
 * Guard for the `matches` operator.
 *
 * JavaScript regexes backtrack and cannot be given a timeout, so a bad pattern
 * would freeze the import worker. We therefore only run patterns whose worst
 * case we can bound, checked when the rule is saved:
 *
 * 1. at most MAX_PATTERN_LENGTH characters, and it must compile;
 * 2. no back-references (they make matching exponential in general);
 * 3. no repetition of something that can itself match in several ways, e.g.
 *    `(a+)+`, `(\w*\s?)*`, `(a|ab)*`: the classic exponential shapes;
 * 4. what is left backtracks at most polynomially. We estimate the number of
 *    ways the engine can split the input: every variable repetition multiplies
 *    it by the number of counts it may take (an open one like `+` by the input
 *    length), alternatives add, and an unanchored pattern is retried at every
 *    start position. The estimate must stay under MAX_PATTERN_COST.
 *
 * At evaluation the input is cut to MAX_MATCH_INPUT_LENGTH characters, which is
 * the length the estimate assumes. The estimate over-counts (it ignores that
 * `\d+-\d+` cannot backtrack across the dash), so the bound is safe but some
 * harmless patterns are refused; bounding repetitions (`\w{1,30}`) or anchoring
 * with `^` makes them pass.
 */

export const MAX_PATTERN_LENGTH = 200
export const MAX_MATCH_INPUT_LENGTH = 1000
/** Roughly 10 ms of backtracking in the worst case on current V8. */
export const MAX_PATTERN_COST = 10_000_000

type Atom = { cost: number; quantifiable: boolean }

type Frame = {
  alternatives: { cost: number; anchored: boolean }[]
  cost: number
  anchored: boolean
  empty: boolean
  last: Atom | null
}

function newFrame(): Frame {
  return { alternatives: [], cost: 1, anchored: false, empty: true, last: null }
}

function flushAtom(frame: Frame): void {
  if (frame.last) {
    frame.cost *= frame.last.cost
    frame.last = null
  }
}

function pushAtom(frame: Frame, atom: Atom, isStartAnchor = false): void {
  flushAtom(frame)
  if (frame.empty && isStartAnchor) {
    frame.anchored = true
  }
  frame.empty = false
  frame.last = atom
}

function endAlternative(frame: Frame): void {
  flushAtom(frame)
  frame.alternatives.push({ cost: frame.cost, anchored: frame.anchored })
  frame.cost = 1
  frame.anchored = false
  frame.empty = true
}

/** Reads `{n}`, `{n,}` or `{n,m}` at `i`; null when the brace is a literal. */
function readBraces(pattern: string, i: number): { min: number; max: number; end: number } | null {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24))
  if (!m) {
    return null
  }
  const min = Number(m[1])
  const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3])
  return { min, max, end: i + m[0].length }
}

/** Skips a character class starting at `i` (the `[`); returns the index after `]`. */
function skipClass(pattern: string, i: number): number {
  let j = i + 1
  while (j < pattern.length && pattern[j] !== "]") {
    j += pattern[j] === "\\" ? 2 : 1
  }
  return j + 1
}

/**
 * Returns null when the pattern is safe to run, or a message saying why not.
 */
export function checkPattern(pattern: string): string | null {
  if (pattern.length === 0) {
    return "pattern must not be empty"
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `pattern is too long (${pattern.length} characters, at most ${MAX_PATTERN_LENGTH})`
  }
  try {
    new RegExp(pattern, "i")
  } catch (e) {
    return `invalid pattern: ${(e as Error).message}`
  }

  const L = MAX_MATCH_INPUT_LENGTH
  const stack: Frame[] = [newFrame()]
  let i = 0
  while (i < pattern.length) {
    const frame = stack[stack.length - 1]
    const ch = pattern[i]
    if (ch === "\\") {
      const next = pattern[i + 1] ?? ""
      if (/[1-9]/.test(next) || (next === "k" && pattern[i + 2] === "<")) {
        return "back-references (\\1, \\k<name>) are not allowed in patterns"
      }
      // \b and \B are assertions and cannot be repeated; everything else is one character.
      pushAtom(frame, { cost: 1, quantifiable: next !== "b" && next !== "B" })
      i += next === "u" ? 6 : next === "x" ? 4 : next === "c" ? 3 : 2
      continue
    }
    if (ch === "[") {
      pushAtom(frame, { cost: 1, quantifiable: true })
      i = skipClass(pattern, i)
      continue
    }
    if (ch === "(") {
      flushAtom(frame)
      stack.push(newFrame())
      if (pattern.startsWith("(?<=", i) || pattern.startsWith("(?<!", i)) {
        i += 4
      } else if (pattern.startsWith("(?<", i)) {
        i = pattern.indexOf(">", i) + 1
      } else if (pattern[i + 1] === "?") {
        i += 3
      } else {
        i += 1
      }
      continue
    }
    if (ch === ")") {
      endAlternative(frame)
      stack.pop()
      const parent = stack[stack.length - 1]
      const cost = frame.alternatives.reduce((sum, a) => sum + a.cost, 0)
      pushAtom(parent, { cost, quantifiable: true })
      i += 1
      continue
    }
    if (ch === "|") {
      endAlternative(frame)
      i += 1
      continue
    }
    let quantifier: { min: number; max: number; end: number } | null = null
    if (ch === "*") quantifier = { min: 0, max: Infinity, end: i + 1 }
    else if (ch === "+") quantifier = { min: 1, max: Infinity, end: i + 1 }
    else if (ch === "?") quantifier = { min: 0, max: 1, end: i + 1 }
    else if (ch === "{") quantifier = readBraces(pattern, i)

    if (quantifier && frame.last?.quantifiable) {
      const atom = frame.last
      const { min, max } = quantifier
      if (max !== min && atom.cost > 1) {
        return "pattern repeats a group that can itself match in several ways, like (a+)+ or (a|ab)*; use a character class such as [ab]+ instead"
      }
      if (max === min) {
        atom.cost = Math.pow(atom.cost, min)
      } else {
        const top = Math.min(max, L)
        atom.cost = Math.max(1, top - min + 1)
      }
      atom.quantifiable = false
      i = quantifier.end
      if (pattern[i] === "?") {
        i += 1 // lazy quantifier: same cost
      }
      continue
    }
    pushAtom(frame, { cost: 1, quantifiable: ch !== "^" && ch !== "$" }, ch === "^")
    i += 1
  }

  const root = stack[0]
  endAlternative(root)
  const cost = root.alternatives.reduce((sum, a) => sum + a.cost * (a.anchored ? 1 : L), 0)
  if (!(cost <= MAX_PATTERN_COST)) {
    return "pattern could be too slow: use fewer repetitions (*, +, ?, {n,m}), bound open-ended ones (e.g. \\w{1,30}), or anchor the pattern with ^"
  }
  return null
}

const compiled = new Map<string, RegExp | null>()
const MAX_COMPILED = 500

function compile(pattern: string): RegExp | null {
  let re = compiled.get(pattern)
  if (re === undefined) {
    // Rules saved before a guard change are re-checked here: an unsafe pattern never runs.
    re = checkPattern(pattern) === null ? new RegExp(pattern, "i") : null
    if (compiled.size >= MAX_COMPILED) {
      compiled.clear()
    }
    compiled.set(pattern, re)
  }
  return re
}

/** Case-insensitive test on the first MAX_MATCH_INPUT_LENGTH characters; false for unsafe patterns. */
export function matchesPattern(pattern: string, input: string): boolean {
  const re = compile(pattern)
  if (!re) {
    return false
  }
  return re.test(input.length > MAX_MATCH_INPUT_LENGTH ? input.slice(0, MAX_MATCH_INPUT_LENGTH) : input)
}
