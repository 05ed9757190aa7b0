/** A page's query as Next.js gives it: a parameter given twice (`?q=a&q=b`) arrives as an array. */
export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Each parameter's first value, as `URLSearchParams.get` reads it in route handlers: a page never
 * gets an array where it expects text, whatever the address says. Every page reads its query here.
 */
export async function firstValues(searchParams: PageSearchParams): Promise<Record<string, string | undefined>> {
  const query = await searchParams;
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
}

/** The same for a route handler's URL: each parameter's first value. */
export function firstValuesOf(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...new Set(params.keys())].map((name) => [name, params.get(name)!]));
}
