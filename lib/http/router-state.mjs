// @ts-check
// The router state a client navigation sends (`Next-Router-State-Tree`), checked before Next.js
// reads it. Next.js answers one it cannot parse with a 500 and an error in the log, and checks its
// shape in time that grows with the square of its depth: 1,400 levels, a 15 KB header, cost 0.5 s
// of CPU, on any page rendered per request. The portal's routes nest a dozen levels.
import { createRequire } from 'node:module';

const { parseAndValidateFlightRouterState } = createRequire(import.meta.url)('next/dist/server/app-render/parse-and-validate-flight-router-state.js');

export const ROUTER_STATE_HEADER = 'next-router-state-tree';
/** Arrays and objects inside one another, far more than any tree of the portal's routes. */
const MAX_DEPTH = 64;

/** Whether JSON text nests arrays and objects deeper than `max`, read in one pass without parsing it. */
function nestsDeeperThan(text, max) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (inString) {
      if (character === '\\') i++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '[' || character === '{') {
      if (++depth > max) return true;
    } else if (character === ']' || character === '}') depth--;
  }
  return false;
}

/** Whether a request's router state (absent, or the header's value) is one Next.js reads without throwing, and at little cost. */
export function isSoundRouterState(value) {
  if (value === undefined) return true;
  if (typeof value !== 'string') return false;
  let text;
  try {
    text = decodeURIComponent(value);
  } catch {
    return false;
  }
  if (nestsDeeperThan(text, MAX_DEPTH)) return false;
  try {
    parseAndValidateFlightRouterState(value);
    return true;
  } catch {
    return false;
  }
}
