// server.mjs stamps every request with a fresh id in this header (overwriting any a client sent).
export const REQUEST_ID_HEADER = 'x-portal-request-id';

export function requestIdFrom(headerBag: Headers | Record<string, string | string[] | undefined>): string | null {
  const value = headerBag instanceof Headers ? headerBag.get(REQUEST_ID_HEADER) : headerBag[REQUEST_ID_HEADER];
  const id = Array.isArray(value) ? value[0] : value;
  return id && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null;
}
